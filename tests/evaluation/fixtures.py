"""Fixtures for the evaluation tests: service areas, staff roles, ideas and criteria.

The browser tests import them with `from tests.evaluation.fixtures import *`.
"""

import datetime
from decimal import Decimal

import pytest
from django.utils import timezone

from osallistu.accounts.models import RoleAssignment, ServiceArea
from osallistu.evaluation import services
from osallistu.evaluation.models import Criterion, CriterionAnswer
from osallistu.participation.models import Idea, Phase, Visibility

__all__ = [
    "assignment",
    "coordinator",
    "criteria",
    "deadline",
    "evaluation_process",
    "evaluator",
    "feasible_verdict",
    "growth",
    "make_staff",
    "resident_idea",
    "second_idea",
    "urban",
    "welfare",
    "welfare_evaluator",
]


@pytest.fixture
def urban(db):
    return ServiceArea.objects.create(
        name="Kaupunkiympäristön palvelualue", short_name="KYP", slug="kyp"
    )


@pytest.fixture
def welfare(db):
    return ServiceArea.objects.create(
        name="Hyvinvoinnin edistämisen palvelualue", short_name="HYPA", slug="hypa"
    )


@pytest.fixture
def growth(db):
    return ServiceArea.objects.create(
        name="Kasvun ja oppimisen palvelualue", short_name="KOPA", slug="kopa"
    )


@pytest.fixture
def evaluation_process(make_process):
    """Return a budgeting process in its evaluation phase, after ideation."""
    return make_process(current=Phase.Kind.EVALUATION, slug="arviointi")


@pytest.fixture
def make_staff(django_user_model):
    def factory(email: str, role: str, process=None, service_area=None, **fields):
        user = django_user_model.objects.create_user(email=email, password="Salasana-123", **fields)
        RoleAssignment.objects.create(
            user=user, role=role, process=process, service_area=service_area
        )
        return user

    return factory


@pytest.fixture
def coordinator(make_staff, evaluation_process):
    return make_staff(
        "koordinaattori@example.fi",
        RoleAssignment.Role.COORDINATOR,
        evaluation_process,
        first_name="Kaisa",
        last_name="Koordinaattori",
    )


@pytest.fixture
def evaluator(make_staff, evaluation_process, urban):
    """Return an evaluator of the urban environment service area in the process."""
    return make_staff(
        "arvioija@example.fi", RoleAssignment.Role.EVALUATOR, evaluation_process, urban
    )


@pytest.fixture
def welfare_evaluator(make_staff, evaluation_process, welfare):
    return make_staff(
        "hyvinvointi@example.fi", RoleAssignment.Role.EVALUATOR, evaluation_process, welfare
    )


@pytest.fixture
def criteria(evaluation_process):
    """Return two published criteria of the process."""
    published = timezone.now() - datetime.timedelta(days=120)
    return [
        Criterion.objects.create(
            process=evaluation_process,
            text="Kohde on kaupungin maalla",
            position=1,
            published_at=published,
        ),
        Criterion.objects.create(
            process=evaluation_process,
            text="Vuosittainen ylläpito on kohtuullinen",
            position=2,
            published_at=published,
        ),
    ]


@pytest.fixture
def resident_idea(evaluation_process, resident):
    return Idea.objects.create(
        process=evaluation_process,
        author=resident,
        title="Penkkejä rantaan",
        description="Rantapolulle tarvitaan penkkejä.",
        visibility=Visibility.VISIBLE,
    )


@pytest.fixture
def second_idea(evaluation_process, other_resident):
    return Idea.objects.create(
        process=evaluation_process,
        author=other_resident,
        title="Istumapaikkoja rantapolulle",
        description="Ikäihmiset tarvitsevat levähdyspaikkoja.",
        visibility=Visibility.VISIBLE,
    )


@pytest.fixture
def deadline(today):
    return today + datetime.timedelta(days=14)


@pytest.fixture
def feasible_verdict(criteria, urban):
    """Return a factory of verdict_submit arguments for a feasible verdict owned by `urban`."""

    def factory(**overrides):
        arguments = {
            "feasible": True,
            "public_reason": "Penkit voidaan sijoittaa kaupungin maalle.",
            "answers": {criterion.pk: CriterionAnswer.Answer.MET for criterion in criteria},
            "cost_estimate": Decimal("12000.00"),
            "cost_rows": [
                services.CostRowInput("Penkit", Decimal("9000.00")),
                services.CostRowInput("Asennus", Decimal("3000.00")),
            ],
            "annual_maintenance_cost": Decimal("400.00"),
            "schedule": "kesä 2027",
            "owning_service_area": urban,
        }
        arguments.update(overrides)
        return arguments

    return factory


@pytest.fixture
def assignment(coordinator, evaluation_process, resident_idea, urban, deadline):
    """Return the assignment of `resident_idea` to the urban environment service area."""
    return services.ideas_assign(
        coordinator,
        evaluation_process,
        ideas=[resident_idea],
        service_areas=[urban],
        deadline=deadline,
    )[0]
