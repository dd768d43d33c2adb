"""Helpers for the voting tests: eligibility records and identified sessions."""

import secrets

from osallistu.accounts.models import RoleAssignment
from osallistu.identity.models import EligibilityRecord
from osallistu.identity.selectors import SESSION_KEY


def make_record(process, *, postal_code: str = "70100", digest: str | None = None):
    """Create an eligibility record for a new person in `process`."""
    return EligibilityRecord.objects.create(
        process=process,
        digest=digest or secrets.token_hex(32),
        method=EligibilityRecord.MethodChoice.LOCAL_TEST,
        municipality_code="297",
        postal_code=postal_code,
    )


def identify(client, record) -> None:
    """Put the record into the client's session, as identification does."""
    session = client.session
    session[SESSION_KEY] = {str(record.process_id): record.pk}
    session.save()


def project_ids(process) -> list[int]:
    """Return the pks of the process's only area's projects, by external id."""
    projects = process.budget_areas.get().projects.order_by("external_id")
    return list(projects.values_list("pk", flat=True))


def make_staff(django_user_model, process, email: str = "henkilosto@example.fi"):
    """Create a coordinator of `process`, who may assist voting."""
    user = django_user_model.objects.create_user(email=email, password="Salasana-123")
    RoleAssignment.objects.create(user=user, role=RoleAssignment.Role.COORDINATOR, process=process)
    return user
