import pytest

from osallistu.budgeting.models import BudgetingSettings


@pytest.fixture
def process(make_process):
    """A budgeting process in its voting phase with one area, Kuopio's rules and defaults."""
    process = make_process()
    BudgetingSettings.objects.create(process=process)
    area = process.budget_areas.get()
    area.postal_codes = ["70100", "70110"]
    area.save()
    return process


@pytest.fixture
def coordinator(django_user_model):
    from osallistu.accounts.models import RoleAssignment

    user = django_user_model.objects.create_user(email="koordinaattori@example.fi", password="x")
    RoleAssignment.objects.create(user=user, role=RoleAssignment.Role.COORDINATOR)
    return user
