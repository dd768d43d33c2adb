"""Files of published results: Pabulib `.pb` per area, results CSV, and turnout by age group.

The functions return text and do not check publication; the views serve them only for processes
whose results are published (results.published_process_or_404).

Turnout compares voters with Paavo population. A ballot has no link to its voter, so age groups
come from the participation records joined with the eligibility records on the identity digest.
Suppose an area has an age group, the unknown age included, with some voters but fewer than
the process's `min_group_size`. Then the area's age column is dropped and only its total is
given, because one small cell could be worked out from the others and the total. A group with
no voters at all is shown, since a zero describes no person.
"""

import csv
import io
import random
from collections import defaultdict
from dataclasses import dataclass
from decimal import ROUND_HALF_UP, Decimal

from django.db.models import Count, OuterRef, Subquery, Value
from django.db.models.functions import Coalesce, NullIf
from django.utils.translation import gettext as _

from osallistu.areas.models import PaavoRecord
from osallistu.core.age_groups import (
    UNKNOWN,
    age_group_label,
    configured_age_groups,
    population_by_age_group,
    regroup_counts,
)
from osallistu.identity.models import EligibilityRecord
from osallistu.participation.models import Phase, Process

from .counting import money
from .counting.areas import election_for_area, settings_for
from .models import BudgetArea, ParticipationRecord
from .results import AreaResults

# Pabulib's names of the counting rules.
PABULIB_RULES = {"greedy": "greedy", "mes-cost": "equalshares", "mes-approval": "equalshares"}
# Key of a turnout row that covers all ages of an area.
ALL_AGES = "all"


def _csv_text(rows, delimiter: str = ",") -> str:
    buffer = io.StringIO()
    writer = csv.writer(buffer, delimiter=delimiter, lineterminator="\n")
    writer.writerows(rows)
    return buffer.getvalue()


def _voting_dates(process: Process) -> tuple[str, str]:
    phases = [phase for phase in process.phases.all() if phase.kind == Phase.Kind.VOTING]
    if not phases:
        return "", ""
    begin = min(phase.starts_on for phase in phases)
    end = max(phase.ends_on for phase in phases)
    return begin.strftime("%d.%m.%Y"), end.strftime("%d.%m.%Y")


def pabulib(area: BudgetArea, results: AreaResults, *, rng: random.Random | None = None) -> str:
    """Return the area's election as a Pabulib `.pb` file: META, PROJECTS and VOTES.

    Voter ids are 1..n handed out in a random order and the votes are written by voter id, so
    neither the ids nor the order of the rows follow the order of casting. Empty ballots are
    left out, as Pabulib files have none.
    """
    rng = rng or random.SystemRandom()
    process = area.process
    election = election_for_area(area)
    ballots = [sorted(ballot) for ballot in election.ballots if ballot]
    rng.shuffle(ballots)
    begin, end = _voting_dates(process)
    rule = settings_for(process)["rule"]
    meta = [
        ("description", f"{process.title}: {area.name}"),
        ("country", "Finland"),
        ("unit", "Kuopio"),
        ("instance", area.slug),
        ("num_projects", str(len(results.rows))),
        ("num_votes", str(len(ballots))),
        ("budget", money(area.budget)),
        ("vote_type", area.vote_type),
        ("rule", PABULIB_RULES.get(rule, rule)),
        ("date_begin", begin),
        ("date_end", end),
        ("currency", area.currency),
        ("language", "fi"),
    ]
    rows: list[list[str]] = [["META"], ["key", "value"], *[list(item) for item in meta]]
    rows += [["PROJECTS"], ["project_id", "cost", "votes", "name", "selected"]]
    for row in sorted(results.rows, key=lambda row: row.project.external_id):
        rows.append(
            [
                row.project.external_id,
                money(row.project.cost),
                str(row.result.votes),
                row.project.title,
                "1" if row.won else "0",
            ]
        )
    rows += [["VOTES"], ["voter_id", "vote"]]
    rows += [[str(voter_id), ",".join(ballot)] for voter_id, ballot in enumerate(ballots, 1)]
    return _csv_text(rows, delimiter=";")


RESULTS_COLUMNS = (
    "area",
    "area_name",
    "project_id",
    "title",
    "cost",
    "votes",
    "status",
    "reason",
    "explanation",
)


def results_csv(process_results: list[AreaResults]) -> str:
    """Return every project's result as CSV: one row per project, areas in name order.

    `status` and `reason` are the counting codes of docs/counting.md; `explanation` is in the
    active language.
    """
    rows: list[list[str]] = [list(RESULTS_COLUMNS)]
    for area_result in process_results:
        area = area_result.area
        for row in area_result.rows:
            rows.append(
                [
                    area.slug,
                    area.name,
                    row.project.external_id,
                    row.project.title,
                    money(row.project.cost),
                    str(row.result.votes),
                    row.result.status,
                    row.result.reason,
                    row.explanation,
                ]
            )
    return _csv_text(rows)


@dataclass(frozen=True)
class TurnoutRow:
    """Voters of an area in one age group (ALL_AGES for the area total) against population.

    `population` is None where Paavo has no complete count for the group's postal areas, and
    `turnout` (per cent, one decimal) is None then too.
    """

    area: BudgetArea
    age_group: str
    voters: int
    population: int | None

    @property
    def label(self) -> str:
        """Return the age group's name in the active language."""
        return _("All ages") if self.age_group == ALL_AGES else age_group_label(self.age_group)

    @property
    def turnout(self) -> Decimal | None:
        if not self.population:
            return None
        share = Decimal(self.voters * 100) / Decimal(self.population)
        return share.quantize(Decimal("0.1"), rounding=ROUND_HALF_UP)


@dataclass(frozen=True)
class AreaTurnout:
    """An area's total row, and its age rows unless small groups suppressed them."""

    area: BudgetArea
    total: TurnoutRow
    by_age: list[TurnoutRow]
    suppressed: bool

    @property
    def rows(self) -> list[TurnoutRow]:
        return [self.total, *self.by_age]


def _area_postal_codes(area: BudgetArea) -> list[str]:
    if area.postal_codes:
        return list(area.postal_codes)
    if area.suburb_id:
        return [postal_area.code for postal_area in area.suburb.postal_areas.all()]
    return []


def _latest_paavo(codes: set[str]) -> dict[str, dict]:
    """Return the values of the newest Paavo record of each postal code."""
    latest: dict[str, dict] = {}
    records = PaavoRecord.objects.filter(postal_area__code__in=codes).order_by(
        "postal_area__code", "-statistics_year"
    )
    for code, values in records.values_list("postal_area__code", "values"):
        latest.setdefault(code, values)
    return latest


def _population(codes: list[str], paavo: dict[str, dict], groups) -> dict[str, int | None]:
    totals: dict[str, int | None] = {group.key: 0 for group in groups}
    if not codes or any(code not in paavo for code in codes):
        return dict.fromkeys(totals)
    for code in codes:
        for key, count in population_by_age_group(paavo[code], groups).items():
            totals[key] = None if count is None or totals[key] is None else totals[key] + count
    return totals


def _voters_by_area_and_age(process: Process) -> dict[int, dict[str, int]]:
    age = EligibilityRecord.objects.filter(
        process=OuterRef("process"), digest=OuterRef("digest")
    ).values("age_group")[:1]
    # Records keep their own age group since it was added; older ones take it from the
    # eligibility record while that still exists.
    rows = (
        ParticipationRecord.objects.filter(process=process)
        .annotate(age=Coalesce(NullIf("age_group", Value("")), Subquery(age)))
        .values("area_id", "age")
        .annotate(n=Count("pk"))
        .order_by()
    )
    counts: dict[int, dict[str, int]] = defaultdict(dict)
    for row in rows:
        key = row["age"] or UNKNOWN
        counts[row["area_id"]][key] = counts[row["area_id"]].get(key, 0) + row["n"]
    return counts


def turnout(process: Process, min_group_size: int) -> list[AreaTurnout]:
    """Return each area's voters and turnout, in total and by age group, against Paavo.

    An area whose age groups include one with some voters but fewer than `min_group_size` keeps
    only its total row.
    """
    groups = configured_age_groups()
    areas = list(
        BudgetArea.objects.filter(process=process)
        .select_related("suburb", "process")
        .prefetch_related("suburb__postal_areas")
    )
    codes = {area.pk: _area_postal_codes(area) for area in areas}
    paavo = _latest_paavo({code for area_codes in codes.values() for code in area_codes})
    voters = _voters_by_area_and_age(process)
    result = []
    for area in areas:
        counted, not_comparable = regroup_counts(voters.get(area.pk, {}), groups)
        counted[UNKNOWN] += not_comparable
        population = _population(codes[area.pk], paavo, groups)
        known = list(population.values())
        total_population = None if None in known or not known else sum(known)
        total = TurnoutRow(area, ALL_AGES, sum(counted.values()), total_population)
        by_age = [
            TurnoutRow(area, group.key, counted[group.key], population[group.key])
            for group in groups
        ]
        if counted[UNKNOWN]:
            by_age.append(TurnoutRow(area, UNKNOWN, counted[UNKNOWN], None))
        suppressed = any(0 < row.voters < min_group_size for row in by_age)
        result.append(AreaTurnout(area, total, [] if suppressed else by_age, suppressed))
    return result


TURNOUT_COLUMNS = ("area", "area_name", "age_group", "voters", "population", "turnout_percent")


def turnout_csv(rows: list[AreaTurnout]) -> str:
    """Return the turnout as CSV; `age_group` is "all" on an area's total row.

    An area whose age column was dropped for small groups has only its total row.
    """
    lines: list[list[str]] = [list(TURNOUT_COLUMNS)]
    for area_turnout in rows:
        for row in area_turnout.rows:
            lines.append(
                [
                    row.area.slug,
                    row.area.name,
                    row.age_group,
                    str(row.voters),
                    "" if row.population is None else str(row.population),
                    "" if row.turnout is None else str(row.turnout),
                ]
            )
    return _csv_text(lines)
