"""Reads for the selection pages and for other apps; each function states what it loads."""

from dataclasses import dataclass, field

from django.db.models import Prefetch, QuerySet
from django.utils.translation import get_language, gettext_lazy
from django.utils.translation import gettext as _

from osallistu.areas import indicators, maps
from osallistu.areas.catalogue import POPULATION_CODE
from osallistu.areas.models import Indicator, IndicatorDomain, Suburb

from . import engine, need_index
from .models import ChosenSuburb, SelectionRound


def chosen_suburbs(year: int | None = None) -> QuerySet[Suburb]:
    """Return the suburbs chosen in decided rounds, in name order.

    With `year`, only that year's decided rounds count; otherwise every year's. One query.
    """
    rounds = SelectionRound.objects.filter(status=SelectionRound.Status.DECIDED)
    if year is not None:
        rounds = rounds.filter(year=year)
    return Suburb.objects.filter(selection_rounds__in=rounds).distinct().order_by("name")


def round_list() -> QuerySet[SelectionRound]:
    """Return every round, newest year and version first, with its chosen suburbs. Two queries."""
    return SelectionRound.objects.select_related("created_by").prefetch_related(
        Prefetch(
            "chosen", queryset=ChosenSuburb.objects.select_related("suburb").order_by("position")
        )
    )


def decided_rounds() -> QuerySet[SelectionRound]:
    """Return the decided rounds, newest decision first, with their chosen suburbs. Two queries."""
    return (
        SelectionRound.objects.filter(status=SelectionRound.Status.DECIDED)
        .order_by("-decision_date", "-year", "-version")
        .prefetch_related(
            Prefetch(
                "chosen",
                queryset=ChosenSuburb.objects.select_related("suburb").order_by("position"),
            )
        )
    )


# Names of the default domains of the engine; domains of areas.IndicatorDomain use their own.
DOMAIN_NAMES = {
    "employment": gettext_lazy("Employment"),
    "education": gettext_lazy("Education"),
    "income": gettext_lazy("Income"),
    "housing": gettext_lazy("Housing"),
    "infrastructure": gettext_lazy("Infrastructure"),
    "health": gettext_lazy("Health and welfare"),
}


def _localised(obj) -> str:
    language = (get_language() or "fi")[:2]
    return getattr(obj, f"name_{language}", "") or obj.name_fi


def domain_labels() -> dict[str, str]:
    """Return a name in the active language for every known domain code. One query."""
    labels = {code: str(name) for code, name in DOMAIN_NAMES.items()}
    labels.update({domain.code: _localised(domain) for domain in IndicatorDomain.objects.all()})
    return labels


def indicator_labels() -> dict[str, str]:
    """Return a name in the active language for every known indicator code. One query."""
    labels = {rate.code: str(rate.name) for rate in indicators.RATES}
    labels.update({indicator.code: _localised(indicator) for indicator in Indicator.objects.all()})
    return labels


@dataclass
class RoundRow:
    """One ranked or flagged area of a round's stored result, ready for the table."""

    row: dict
    flags: list[str]
    left_out: list[str]
    is_selected: bool = False
    is_chosen: bool = False


@dataclass
class Candidate:
    """A suburb in the proposal: its stored row, investment projects and map."""

    row: dict
    suburb: Suburb | None
    investments: list[dict]
    area_map: object = None


@dataclass
class RoundDetail:
    """Everything the round page and the proposal document show, read from stored JSON."""

    selection_round: SelectionRound
    versions: list[SelectionRound]
    domains: list[dict]
    suburb_rows: list[RoundRow]
    postal_area_rows: list[RoundRow]
    candidates: list[Candidate]
    chosen: list[Suburb]
    sensitivity: dict = field(default_factory=dict)
    notes: list[str] = field(default_factory=list)

    @property
    def result(self) -> dict:
        return self.selection_round.result


def round_detail(pk: int, *, with_maps: bool = False) -> RoundDetail:
    """Return a round with its table rows, candidates and versions; raise DoesNotExist.

    Every figure comes from the round's stored inputs and result; only names, maps and the
    chosen suburbs are read from their tables. A fixed number of queries whatever the number of
    areas, plus one per candidate map when `with_maps`.
    """
    selection_round = SelectionRound.objects.select_related(
        "created_by", "decided_by", "previous_version"
    ).get(pk=pk)
    versions = list(SelectionRound.objects.filter(year=selection_round.year).order_by("-version"))
    chosen = [
        link.suburb
        for link in ChosenSuburb.objects.filter(selection_round=selection_round)
        .select_related("suburb")
        .order_by("position")
    ]
    chosen_codes = {suburb.slug for suburb in chosen}
    domain_names = domain_labels()
    indicator_names = indicator_labels()
    domains = [
        {
            "code": domain["code"],
            "name": domain_names.get(domain["code"], domain["code"]),
            "weight": domain.get("weight", 1.0),
            "indicators": [
                {
                    "code": indicator["code"],
                    "name": indicator_names.get(indicator["code"], indicator["code"]),
                    "weight": indicator.get("weight", 1.0),
                }
                for indicator in domain.get("indicators", [])
            ],
        }
        for domain in selection_round.configuration.get("domains", [])
    ]
    result = selection_round.result or {}
    selected = set(result.get("selected", []))

    def table(level: str) -> list[RoundRow]:
        return [
            RoundRow(
                row=row,
                flags=flag_texts(row, domain_names),
                left_out=left_out_texts(row, domain_names, indicator_names, domains),
                is_selected=level == engine.SUBURB and row["code"] in selected,
                is_chosen=level == engine.SUBURB and row["code"] in chosen_codes,
            )
            for row in engine.rows(result, level)
        ]

    suburb_rows = table(engine.SUBURB)
    investments = (selection_round.inputs or {}).get("investments", {})
    candidate_codes = [row.row["code"] for row in suburb_rows if row.is_selected or row.is_chosen]
    suburbs = Suburb.objects.filter(slug__in=candidate_codes)
    if with_maps:
        suburbs = suburbs.prefetch_related("postal_areas")
    suburbs_by_code = {suburb.slug: suburb for suburb in suburbs}
    candidates = []
    for row in suburb_rows:
        if row.row["code"] not in candidate_codes:
            continue
        suburb = suburbs_by_code.get(row.row["code"])
        candidate = Candidate(
            row=row.row, suburb=suburb, investments=investments.get(row.row["code"], [])
        )
        if with_maps and suburb is not None:
            candidate.area_map = suburb_map(suburb)
        candidates.append(candidate)
    return RoundDetail(
        selection_round=selection_round,
        versions=versions,
        domains=domains,
        suburb_rows=suburb_rows,
        postal_area_rows=table(engine.POSTAL_AREA),
        candidates=candidates,
        chosen=chosen,
        sensitivity=result.get("sensitivity", {}),
    )


def suburb_map(suburb: Suburb):
    """Return the map of a suburb's first postal area with its other postal areas, or None."""
    areas = [area for area in suburb.postal_areas.all() if area.geometry]
    if not areas:
        return None
    return maps.render_area_map(areas[0], areas[1:], id_prefix=f"map-{suburb.slug}")


def flag_texts(row: dict, domain_names: dict[str, str]) -> list[str]:
    """Return the engine's explanation, in the active language, of each flag of a stored row.

    Flags of domains left out for missing data are skipped, because left_out_texts() explains
    them with the missing indicators.
    """
    return [
        need_index.flag_label(flag, domain_names)
        for flag in row.get("flags", [])
        if flag.partition(":")[0] != need_index.FLAG_DOMAIN_LEFT_OUT
    ]


def left_out_texts(
    row: dict, domain_names: dict[str, str], indicator_names: dict[str, str], domains: list[dict]
) -> list[str]:
    """Return a "left out of domain X because ..." sentence for each domain a row is left out of."""
    members = {
        domain["code"]: [indicator["code"] for indicator in domain["indicators"]]
        for domain in domains
    }
    missing_codes = row.get("missing_indicators", [])
    texts = []
    for item in row.get("left_out", []):
        domain = item["domain"]
        missing = ", ".join(
            indicator_names.get(code, code)
            for code in missing_codes
            if code in members.get(domain, ())
        )
        texts.append(
            _(
                "Left out of the domain %(domain)s because %(missing)s of its %(total)s "
                "indicators are missing, more than a third: %(indicators)s."
            )
            % {
                "domain": domain_names.get(domain, domain),
                "missing": item.get("missing"),
                "total": item.get("total"),
                "indicators": missing,
            }
        )
    return texts


def domain_choices(configuration: dict) -> list[tuple[str, str]]:
    """Return (code, name) of the configuration's domains, then every other known domain."""
    labels = domain_labels()
    codes = [domain["code"] for domain in configuration.get("domains", [])]
    codes += [code for code in labels if code not in codes]
    return [(code, labels.get(code, code)) for code in codes]


def indicator_choices(configuration: dict) -> list[tuple[str, str]]:
    """Return (code, name) of the configuration's indicators, then every other known one."""
    labels = indicator_labels()
    codes = [
        indicator["code"]
        for domain in configuration.get("domains", [])
        for indicator in domain.get("indicators", [])
    ]
    # Only catalogue indicators have values; the population is the size, never an indicator.
    catalogue = Indicator.objects.exclude(code=POPULATION_CODE).values_list("code", flat=True)
    codes += [code for code in catalogue if code not in codes]
    return [(code, labels.get(code, code)) for code in codes]
