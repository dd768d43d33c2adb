"""Example evaluations for the demo: criteria, a verdict and a public answer per budget proposal."""

import datetime
from decimal import Decimal

from django.utils import timezone

from osallistu.accounts.models import ServiceArea
from osallistu.accounts.services import service_areas_ensure
from osallistu.participation.models import Process

from .models import (
    Assignment,
    ConsolidatedIdea,
    Consolidation,
    CostRow,
    Criterion,
    CriterionAnswer,
    Verdict,
)

# Example criteria: city land, the city's own remit, quick feasibility and annual upkeep.
# Criterion has a single text field, so the texts are Finnish only, as staff would write them.
EXAMPLE_CRITERIA = [
    ("Kohde on kaupungin maalla", "Idea toteutetaan kaupungin omistamalla alueella."),
    (
        "Toteutus kuuluu kaupungin tehtäviin",
        "Kaupunki voi itse päättää toteutuksesta. Se ei kuulu esimerkiksi hyvinvointialueelle, "
        "valtiolle tai yksityiselle maanomistajalle.",
    ),
    (
        "Idea voidaan toteuttaa vuoden kuluessa",
        "Suunnittelu, luvat ja rakentaminen mahtuvat vuoteen äänestyksestä.",
    ),
    (
        "Vuosittainen ylläpito on kohtuullinen",
        "Vastuupalvelualue pystyy maksamaan tuloksen vuotuisen ylläpidon omasta talousarviostaan.",
    ),
]
# Slug of the service area that evaluates and owns every example proposal.
EXAMPLE_OWNER_SLUG = "kaupunkiympariston-palvelualue"


def _before_ideation(process: Process) -> datetime.datetime:
    """Return noon of the day before the first phase of `process`, or now without phases."""
    first = process.phases.order_by("starts_on").first()
    if first is None:
        return timezone.now()
    day = first.starts_on - datetime.timedelta(days=1)
    return datetime.datetime.combine(day, datetime.time(12, 0), timezone.get_current_timezone())


def example_criteria_load(process: Process) -> list[Criterion]:
    """Publish the example criteria in `process` before its first phase, unless it has criteria.

    A process that already has criteria keeps them as they are, so a second demo load adds
    nothing and keeps criteria that staff have edited. Return the criteria of the process.
    """
    if not process.evaluation_criteria.exists():
        published = _before_ideation(process)
        Criterion.objects.bulk_create(
            Criterion(
                process=process,
                text=text,
                description=description,
                position=position,
                published_at=published,
            )
            for position, (text, description) in enumerate(EXAMPLE_CRITERIA, start=1)
        )
    return list(process.evaluation_criteria.order_by("position", "pk"))


def example_evaluations_load(process: Process) -> None:
    """Add the example criteria, and a feasible verdict and public answer for each budget proposal.

    Run once, right after the process and its proposals are created. The rows are written
    directly, without the services, because the demo has no staff user to act as.
    """
    service_areas_ensure()
    owner = ServiceArea.objects.get(slug=EXAMPLE_OWNER_SLUG)
    criteria = example_criteria_load(process)
    # Verdicts are given during the evaluation phase, before their deadline.
    submitted = timezone.now() - datetime.timedelta(days=31)
    deadline = timezone.localdate() - datetime.timedelta(days=30)
    for area in process.budget_areas.all():
        for project in area.projects.select_related("idea"):
            if project.idea is None:
                continue
            assignment = Assignment.objects.create(
                idea=project.idea, service_area=owner, deadline=deadline
            )
            verdict = Verdict.objects.create(
                assignment=assignment,
                feasible=True,
                cost_estimate=project.cost,
                annual_maintenance_cost=(project.cost / 20).quantize(Decimal("0.01")),
                schedule="Toteutus ensi kesänä",
                owning_service_area=owner,
                public_reason="Idea voidaan toteuttaa kaupungin maalla ehdotetussa paikassa.",
                submitted_at=submitted,
            )
            CostRow.objects.create(
                verdict=verdict, label="Suunnittelu ja toteutus", amount=project.cost
            )
            CriterionAnswer.objects.bulk_create(
                CriterionAnswer(
                    verdict=verdict, criterion=criterion, answer=CriterionAnswer.Answer.MET
                )
                for criterion in criteria
            )
            consolidation = Consolidation.objects.create(
                process=process,
                decision=Consolidation.Decision.PROPOSAL,
                final_cost=project.cost,
                owning_service_area=owner,
                public_reason="Palvelualue puoltaa ideaa, ja se on mukana äänestyksessä.",
                project=project,
            )
            ConsolidatedIdea.objects.create(
                consolidation=consolidation, idea=project.idea, is_primary=True
            )
