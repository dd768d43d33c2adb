"""Reads for area pages; each function states what it loads."""

from dataclasses import dataclass, field

from django.db.models import Count, OuterRef, Prefetch, QuerySet, Subquery
from django.utils.translation import get_language

from . import indicators, maps
from .indicators import KeyFigure, Rate, RateValue
from .models import (
    ImportJob,
    Indicator,
    IndicatorDomain,
    IndicatorValue,
    InvestmentProject,
    PaavoRecord,
    PostalArea,
    Suburb,
)

# Rates shown in the area list, in column order.
LIST_RATE_CODES = ("unemployment", "basic_education_only")


@dataclass
class AreaRow:
    """A postal area in the area list, with its latest Paavo record and the list's rates."""

    area: PostalArea
    record: PaavoRecord | None
    # The rates of AreaTable.rates, in the same order; empty without a record.
    rates: list[RateValue] = field(default_factory=list)

    @property
    def population(self) -> int | None:
        return self.record.values.get("he_vakiy") if self.record else None


@dataclass
class AreaTable:
    """The area list: rows in postal-code order and the statistics years they come from."""

    rows: list[AreaRow]
    rates: list[Rate]
    # (statistics year, Paavo release) pairs of the records shown, newest first.
    years: list[tuple[int, int]]

    @property
    def has_mixed_years(self) -> bool:
        return len(self.years) > 1

    @property
    def statistics_year(self) -> int | None:
        """Return the statistics year of every row, or None when rows differ or none has data."""
        return self.years[0][0] if len(self.years) == 1 else None

    @property
    def release_year(self) -> int | None:
        return self.years[0][1] if len(self.years) == 1 else None


@dataclass
class KeyFigureValue:
    """A key figure of one postal area, with the reason when it is missing."""

    figure: KeyFigure
    value: int | float | None
    explanation: str = ""


@dataclass
class RateRow:
    """A rate of one postal area, with one sentence for each reason when it is missing."""

    result: RateValue
    explanations: list[str]


@dataclass
class AreaDetail:
    """One postal area with its latest Paavo record, rates, suburbs and neighbours."""

    area: PostalArea
    record: PaavoRecord | None
    key_figures: list[KeyFigureValue]
    rates: list[RateRow]
    suburbs: list[Suburb]
    neighbours: list[PostalArea]


def latest_records() -> QuerySet[PaavoRecord]:
    """Return each postal area's record of its newest statistics year."""
    newest_year = (
        PaavoRecord.objects.filter(postal_area=OuterRef("postal_area"))
        .order_by("-statistics_year")
        .values("statistics_year")[:1]
    )
    return PaavoRecord.objects.filter(statistics_year=Subquery(newest_year))


def area_list() -> AreaTable:
    """Return every postal area with its latest record and the list's rates.

    Three queries, however many areas there are: areas, their latest records and their suburbs.
    """
    areas = PostalArea.objects.order_by("code").prefetch_related(
        Prefetch("paavo_records", queryset=latest_records(), to_attr="latest_records"),
        Prefetch("suburbs", queryset=Suburb.objects.order_by("name")),
    )
    rates = [indicators.RATES_BY_CODE[code] for code in LIST_RATE_CODES]
    rows = []
    years: set[tuple[int, int]] = set()
    for area in areas:
        record = area.latest_records[0] if area.latest_records else None
        row = AreaRow(area=area, record=record)
        if record is not None:
            years.add((record.statistics_year, record.release_year))
            row.rates = [indicators.rate_value(rate, record.values) for rate in rates]
        rows.append(row)
    return AreaTable(rows=rows, rates=rates, years=sorted(years, reverse=True))


def area_detail(code: str) -> AreaDetail:
    """Return one postal area with everything its page shows; raise PostalArea.DoesNotExist.

    Four queries: the area, its suburbs, its latest record and the polygons of the other areas,
    from which its neighbours are found.
    """
    area = PostalArea.objects.prefetch_related(
        Prefetch("suburbs", queryset=Suburb.objects.order_by("name"))
    ).get(code=code)
    record = area.paavo_records.order_by("-statistics_year").first()
    values = record.values if record else {}
    reasons = record.missing_reasons if record else {}

    key_figures = []
    rates = []
    if record is not None:
        for figure in indicators.KEY_FIGURES:
            value = values.get(figure.field)
            explanation = (
                " ".join(indicators.missing_input_explanations([figure.field], reasons))
                if value is None
                else ""
            )
            key_figures.append(KeyFigureValue(figure=figure, value=value, explanation=explanation))
        for result in indicators.rate_values(values):
            rates.append(
                RateRow(
                    result=result, explanations=indicators.missing_explanations(result, reasons)
                )
            )

    neighbours = []
    if area.geometry:
        candidates = PostalArea.objects.filter(geometry__isnull=False).exclude(pk=area.pk)
        neighbours = maps.neighbouring_areas(area, candidates)
    return AreaDetail(
        area=area,
        record=record,
        key_figures=key_figures,
        rates=rates,
        suburbs=list(area.suburbs.all()),
        neighbours=neighbours,
    )


@dataclass
class IndicatorStatus:
    """An indicator with the years it has values for and the counts of its newest year."""

    indicator: Indicator
    name: str
    years: list[int]
    # Value counts of the newest year by IndicatorValue.Status; empty without values.
    counts: dict[str, int]

    @property
    def has_values(self) -> bool:
        return bool(self.years)

    @property
    def newest_year(self) -> int | None:
        return self.years[-1] if self.years else None

    @property
    def ok_count(self) -> int:
        return self.counts.get(IndicatorValue.Status.OK, 0)

    @property
    def missing_count(self) -> int:
        return self.counts.get(IndicatorValue.Status.MISSING, 0) + self.counts.get(
            IndicatorValue.Status.SUPPRESSED, 0
        )


@dataclass
class DomainStatus:
    domain: IndicatorDomain | None
    name: str
    indicators: list[IndicatorStatus]


def localized_name(obj) -> str:
    """Return `name_fi`, `name_sv` or `name_en` of `obj` by the active language (default fi)."""
    language = (get_language() or "fi")[:2]
    return getattr(obj, f"name_{language}", "") or obj.name_fi


def area_data_overview() -> list[DomainStatus]:
    """Return the indicator catalogue by domain, with loaded years and value counts.

    Two queries: the indicators with their domains, and value counts by indicator, year and
    status.
    """
    indicators = list(
        Indicator.objects.select_related("domain").order_by("domain__position", "code")
    )
    counts: dict[int, dict[int, dict[str, int]]] = {}
    rows = IndicatorValue.objects.values("indicator_id", "statistics_year", "status").annotate(
        count=Count("pk")
    )
    for row in rows:
        by_year = counts.setdefault(row["indicator_id"], {})
        by_year.setdefault(row["statistics_year"], {})[row["status"]] = row["count"]
    domains: dict[int | None, DomainStatus] = {}
    for indicator in indicators:
        by_year = counts.get(indicator.pk, {})
        years = sorted(by_year)
        status = IndicatorStatus(
            indicator=indicator,
            name=localized_name(indicator),
            years=years,
            counts=by_year[years[-1]] if years else {},
        )
        key = indicator.domain_id
        if key not in domains:
            domain = indicator.domain
            domains[key] = DomainStatus(
                domain=domain, name=localized_name(domain) if domain else "", indicators=[]
            )
        domains[key].indicators.append(status)
    return list(domains.values())


def import_jobs(limit: int = 50) -> QuerySet[ImportJob]:
    """Return the newest import jobs with their creators, newest first."""
    return ImportJob.objects.select_related("created_by").order_by("-created_at")[:limit]


def suburb_mapping() -> list[Suburb]:
    """Return every suburb with its postal areas by code; two queries."""
    return list(
        Suburb.objects.order_by("name").prefetch_related(
            Prefetch("postal_areas", queryset=PostalArea.objects.order_by("code"))
        )
    )


def investment_projects() -> QuerySet[InvestmentProject]:
    """Return every investment project with its suburb, by suburb, year and priority."""
    return InvestmentProject.objects.select_related("suburb").order_by(
        "suburb__name", "year", "priority", "pk"
    )
