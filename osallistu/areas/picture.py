"""Reads for the situational picture (tilannekuva) of the suburbs chosen for area development.

A suburb's rate is recomputed from the summed numerators and denominators of its postal areas,
never as a mean of their rates, and the municipality's figure is its own total: the municipality
row where one is loaded, otherwise the sums over all of its postal areas. A value that is missing
or suppressed in any of the postal areas makes the suburb's value missing, never 0.
"""

import math
from collections import defaultdict
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field

from django.conf import settings
from django.db.models import Count, Q, QuerySet, Sum
from django.utils import formats, timezone, translation
from django.utils.translation import gettext as _

from osallistu.events.models import Event
from osallistu.participation.models import Process
from osallistu.selection.selectors import chosen_suburbs

from . import charts, maps
from .models import DevelopmentTheme, Indicator, IndicatorValue, PostalArea, Suburb

# Sotkanet rows carry a breakdown; the picture compares totals only.
TOTAL_BREAKDOWNS = ("", "total")
# Upcoming events listed on a suburb's page at most.
EVENT_LIMIT = 10


@dataclass(frozen=True)
class Figure:
    """One area's value of one indicator in one statistics year, with the sums behind it."""

    value: float | None
    numerator: float | None = None
    denominator: float | None = None
    status: str = IndicatorValue.Status.OK
    # Why the value is missing, in the active language; "" when it is present.
    reason: str = ""

    @property
    def is_missing(self) -> bool:
        return self.value is None


@dataclass
class IndicatorPicture:
    """One indicator of a suburb beside the municipality's total, with its charts and texts."""

    indicator: Indicator
    name: str
    year: int
    suburb: Figure
    municipality: Figure
    # Every statistics year loaded for the suburb or the municipality, oldest first.
    years: list[int]
    suburb_values: list[float | None]
    municipality_values: list[float | None]
    comparison: charts.Chart
    trend: charts.Chart | None
    # Plain-language sentences: how to read the number, and how the suburb compares.
    explanations: list[str]
    suburb_value_text: str = ""
    municipality_value_text: str = ""

    @property
    def has_trend(self) -> bool:
        return self.trend is not None


@dataclass
class SuburbPicture:
    """Everything the situational picture page of one suburb shows."""

    suburb: Suburb
    is_chosen: bool
    postal_areas: list[PostalArea]
    city_name: str
    indicators: list[IndicatorPicture]
    themes: list[DevelopmentTheme]
    processes: list[Process]
    events: list[Event]
    area_map: maps.SuburbMap | None
    # Statistics years of the values shown, oldest first.
    years: list[int] = field(default_factory=list)

    @property
    def has_any_trend(self) -> bool:
        return any(item.has_trend for item in self.indicators)

    @property
    def newest_year(self) -> int | None:
        return self.years[-1] if self.years else None


def chosen_suburb_list() -> QuerySet[Suburb]:
    """Return the suburbs chosen in decided selection rounds, in name order. One query."""
    return chosen_suburbs()


def is_chosen(suburb: Suburb) -> bool:
    """Return True if a decided selection round chose the suburb. One query."""
    return chosen_suburbs().filter(pk=suburb.pk).exists()


def suburb_picture(slug: str, *, now=None) -> SuburbPicture:
    """Return the situational picture of the suburb `slug`; raise Suburb.DoesNotExist.

    Nine queries whatever the number of indicators, years or postal areas: the suburb, its postal
    areas, whether it is chosen, the indicator values of its areas and of the municipality row,
    the municipality's pooled sums, themes, processes and events.
    """
    suburb = Suburb.objects.prefetch_related("postal_areas").get(slug=slug)
    postal_areas = sorted(suburb.postal_areas.all(), key=lambda area: area.code)
    city_name = settings.OSALLISTU_CITY_NAME
    indicators = indicator_pictures(suburb, postal_areas, city_name)
    years = sorted({year for item in indicators for year in item.years})
    processes = list(suburb.processes.order_by("-created_at"))
    return SuburbPicture(
        suburb=suburb,
        is_chosen=is_chosen(suburb),
        postal_areas=postal_areas,
        city_name=city_name,
        indicators=indicators,
        themes=list(suburb.development_themes.order_by("position", "pk")),
        processes=processes,
        events=upcoming_events(suburb, processes, now=now),
        area_map=maps.render_suburb_map(
            suburb.name,
            postal_areas,
            tile_url=getattr(settings, "OSALLISTU_MAP_TILE_URL", ""),
            color=settings.OSALLISTU_PRIMARY_COLOR,
        ),
        years=years,
    )


def upcoming_events(suburb: Suburb, processes: Sequence[Process], *, now=None) -> list[Event]:
    """Return events in the suburb or its processes that have not ended, soonest first."""
    now = now or timezone.now()
    events = (
        Event.objects.filter(Q(suburb=suburb) | Q(process__in=[p.pk for p in processes]))
        .filter(ends_at__gte=now)
        .order_by("starts_at", "pk")
    )
    return list(events[:EVENT_LIMIT])


def indicator_pictures(
    suburb: Suburb, postal_areas: Sequence[PostalArea], city_name: str
) -> list[IndicatorPicture]:
    """Return one IndicatorPicture an indicator that has a value for the suburb's areas."""
    municipality_code = settings.OSALLISTU_MUNICIPALITY_CODE
    area_ids = [area.pk for area in postal_areas]
    rows = list(
        IndicatorValue.objects.filter(breakdown__in=TOTAL_BREAKDOWNS)
        .filter(
            Q(postal_area__in=area_ids) | Q(suburb=suburb) | Q(municipality_code=municipality_code)
        )
        .select_related("indicator", "indicator__domain")
    )
    by_indicator: dict[int, list[IndicatorValue]] = defaultdict(list)
    indicators: dict[int, Indicator] = {}
    for row in rows:
        by_indicator[row.indicator_id].append(row)
        indicators[row.indicator_id] = row.indicator
    local = {
        indicator_id
        for indicator_id, indicator_rows in by_indicator.items()
        if any(row.postal_area_id or row.suburb_id for row in indicator_rows)
    }
    pooled = municipality_sums(municipality_code, local)
    pictures = []
    for indicator in sorted(
        (indicators[pk] for pk in local), key=lambda i: (_domain_position(i), i.code)
    ):
        pictures.append(
            _indicator_picture(
                indicator,
                by_indicator[indicator.pk],
                pooled.get(indicator.pk, {}),
                suburb,
                postal_areas,
                city_name,
            )
        )
    return pictures


def municipality_sums(
    municipality_code: str, indicator_ids: Iterable[int]
) -> dict[int, dict[int, Figure]]:
    """Return pooled figures of every postal area of the municipality, by indicator and year.

    A figure is pooled only where every row of that indicator and year is available with its
    numerator and denominator; otherwise it is missing. One query.
    """
    sums = (
        IndicatorValue.objects.filter(
            indicator__in=list(indicator_ids),
            postal_area__municipality_code=municipality_code,
            breakdown__in=TOTAL_BREAKDOWNS,
        )
        .values("indicator_id", "statistics_year")
        .annotate(
            numerator_sum=Sum("numerator"),
            denominator_sum=Sum("denominator"),
            rows=Count("pk"),
            complete_rows=Count(
                "pk",
                filter=Q(
                    status=IndicatorValue.Status.OK,
                    numerator__isnull=False,
                    denominator__isnull=False,
                ),
            ),
        )
    )
    result: dict[int, dict[int, Figure]] = defaultdict(dict)
    for item in sums:
        if item["rows"] == item["complete_rows"] and item["denominator_sum"]:
            figure = Figure(
                value=None, numerator=item["numerator_sum"], denominator=item["denominator_sum"]
            )
        else:
            figure = Figure(
                value=None,
                status=IndicatorValue.Status.MISSING,
                reason=_("Some postal areas of the municipality have no number for this year."),
            )
        result[item["indicator_id"]][item["statistics_year"]] = figure
    return result


def pooled_figure(
    rows: Sequence[IndicatorValue | None], area_codes: Sequence[str], scale: float
) -> Figure:
    """Combine the postal areas' rows of one indicator and year into one figure.

    `rows` holds one row a postal area, None where the area has no row, in `area_codes` order.
    The value is sum(numerators) / sum(denominators) * `scale`. Any missing, suppressed or absent
    row makes the figure missing. A value without numerator and denominator is shown as it is for
    a single postal area but cannot be combined across several.
    """
    absent = [code for code, row in zip(area_codes, rows, strict=True) if row is None]
    if absent:
        return Figure(
            value=None,
            status=IndicatorValue.Status.MISSING,
            reason=_("There is no number for postal area %(codes)s.")
            % {"codes": ", ".join(absent)},
        )
    if any(row.status == IndicatorValue.Status.SUPPRESSED for row in rows):
        return Figure(
            value=None,
            status=IndicatorValue.Status.SUPPRESSED,
            reason=_("The number is hidden to protect the privacy of the people who live there."),
        )
    if any(row.status != IndicatorValue.Status.OK or row.value is None for row in rows):
        return Figure(
            value=None,
            status=IndicatorValue.Status.MISSING,
            reason=_("The number is missing from the source data."),
        )
    if all(row.numerator is not None and row.denominator is not None for row in rows):
        numerator = sum(row.numerator for row in rows)
        denominator = sum(row.denominator for row in rows)
        if not denominator:
            return Figure(
                value=None,
                status=IndicatorValue.Status.MISSING,
                reason=_("The number cannot be computed because nobody belongs to the group."),
            )
        return Figure(
            value=numerator / denominator * scale, numerator=numerator, denominator=denominator
        )
    if len(rows) == 1:
        return Figure(value=rows[0].value)
    return Figure(
        value=None,
        status=IndicatorValue.Status.MISSING,
        reason=_("The numbers of several postal areas cannot be combined for this indicator."),
    )


def rate_scale(rows: Iterable[IndicatorValue], unit: str) -> float:
    """Return the factor between an indicator's stored value and numerator / denominator.

    The factor is read from a loaded row (1 for a share, 100 for a percentage, 1 000 for per
    mille) and rounded to a power of ten; without such a row it is 100 for the unit "%", else 1.
    """
    for row in rows:
        if row.value and row.numerator and row.denominator:
            ratio = row.value / (row.numerator / row.denominator)
            if ratio > 0:
                return 10.0 ** round(math.log10(ratio))
    return 100.0 if unit.strip() == "%" else 1.0


def format_number(value: float, unit: str, decimals: int = 1) -> str:
    """Return the value in the active language's number format, with its unit."""
    number = formats.number_format(value, decimal_pos=decimals, use_l10n=True, force_grouping=True)
    if not unit:
        return number
    return _("%(number)s %(unit)s") % {"number": number, "unit": unit}


def indicator_name(indicator: Indicator) -> str:
    """Return the indicator's name in the active language, falling back to Finnish."""
    language = (translation.get_language() or "fi")[:2]
    return getattr(indicator, f"name_{language}", "") or indicator.name_fi


def _domain_position(indicator: Indicator) -> int:
    return indicator.domain.position if indicator.domain else 1_000


def _indicator_picture(
    indicator: Indicator,
    rows: list[IndicatorValue],
    pooled: dict[int, Figure],
    suburb: Suburb,
    postal_areas: Sequence[PostalArea],
    city_name: str,
) -> IndicatorPicture:
    scale = rate_scale(rows, indicator.unit)
    area_rows: dict[int, dict[int, IndicatorValue]] = defaultdict(dict)
    suburb_rows: dict[int, IndicatorValue] = {}
    municipality_rows: dict[int, IndicatorValue] = {}
    for row in rows:
        if row.postal_area_id:
            area_rows[row.statistics_year][row.postal_area_id] = row
        elif row.suburb_id:
            suburb_rows[row.statistics_year] = row
        else:
            municipality_rows[row.statistics_year] = row
    local_years = set(area_rows) | set(suburb_rows)
    years = sorted(local_years | set(municipality_rows) | set(pooled))
    suburb_figures = {}
    municipality_figures = {}
    for year in years:
        if year in suburb_rows:
            suburb_figures[year] = _row_figure(suburb_rows[year], scale)
        elif year in area_rows:
            suburb_figures[year] = pooled_figure(
                [area_rows[year].get(area.pk) for area in postal_areas],
                [area.code for area in postal_areas],
                scale,
            )
        else:
            suburb_figures[year] = _no_data_figure()
        if year in municipality_rows:
            municipality_figures[year] = _row_figure(municipality_rows[year], scale)
        elif year in pooled:
            municipality_figures[year] = _scaled(pooled[year], scale)
        else:
            municipality_figures[year] = _no_data_figure()

    year = max(local_years)
    suburb_figure = suburb_figures[year]
    municipality_figure = municipality_figures[year]
    name = indicator_name(indicator)
    decimals = _decimals(indicator, [*suburb_figures.values(), *municipality_figures.values()])

    def format_value(value: float) -> str:
        return format_number(value, indicator.unit, decimals)

    prefix = f"indicator-{indicator.code}"
    suburb_series = charts.Series(suburb.name, tuple(suburb_figures[y].value for y in years))
    municipality_series = charts.Series(
        city_name, tuple(municipality_figures[y].value for y in years)
    )
    comparison = charts.comparison_chart(
        _("%(indicator)s, %(year)s") % {"indicator": name, "year": year},
        [
            charts.Series(suburb.name, (suburb_figure.value,)),
            charts.Series(city_name, (municipality_figure.value,)),
        ],
        format_value,
        id_prefix=f"{prefix}-comparison",
        category=_("Indicator"),
    )
    trend = None
    if len(years) > 1:
        trend = charts.trend_chart(
            _("%(indicator)s by statistics year") % {"indicator": name},
            [str(y) for y in years],
            [suburb_series, municipality_series],
            format_value,
            id_prefix=f"{prefix}-trend",
            category=_("Statistics year"),
        )
    return IndicatorPicture(
        indicator=indicator,
        name=name,
        year=year,
        suburb=suburb_figure,
        municipality=municipality_figure,
        years=years,
        suburb_values=list(suburb_series.values),
        municipality_values=list(municipality_series.values),
        comparison=comparison,
        trend=trend,
        explanations=_explanations(
            indicator, suburb.name, city_name, suburb_figure, municipality_figure, format_value
        ),
        suburb_value_text=_value_text(suburb_figure, format_value),
        municipality_value_text=_value_text(municipality_figure, format_value),
    )


def _row_figure(row: IndicatorValue, scale: float) -> Figure:
    """Return a suburb or municipality row as a figure, computing a rate from its sums."""
    if row.status == IndicatorValue.Status.SUPPRESSED:
        return Figure(
            value=None,
            status=row.status,
            reason=_("The number is hidden to protect the privacy of the people who live there."),
        )
    value = row.value
    if value is None and row.numerator is not None and row.denominator:
        value = row.numerator / row.denominator * scale
    if row.status != IndicatorValue.Status.OK or value is None:
        return Figure(
            value=None,
            status=IndicatorValue.Status.MISSING,
            reason=_("The number is missing from the source data."),
        )
    return Figure(value=value, numerator=row.numerator, denominator=row.denominator)


def _scaled(figure: Figure, scale: float) -> Figure:
    if figure.numerator is None or not figure.denominator:
        return figure
    return Figure(
        value=figure.numerator / figure.denominator * scale,
        numerator=figure.numerator,
        denominator=figure.denominator,
    )


def _no_data_figure() -> Figure:
    return Figure(
        value=None,
        status=IndicatorValue.Status.MISSING,
        reason=_("There is no number for this statistics year."),
    )


def _decimals(indicator: Indicator, figures: Iterable[Figure]) -> int:
    """Return 0 decimals where every value is a whole number and the unit is not a rate."""
    if indicator.unit.strip() == "%":
        return 1
    values = [figure.value for figure in figures if figure.value is not None]
    return 0 if values and all(float(value).is_integer() for value in values) else 1


def _value_text(figure: Figure, format_value) -> str:
    return charts.missing_text() if figure.value is None else format_value(figure.value)


def _explanations(
    indicator: Indicator,
    suburb_name: str,
    city_name: str,
    suburb_figure: Figure,
    municipality_figure: Figure,
    format_value,
) -> list[str]:
    """Return plain-language sentences on how to read the indicator and how the suburb compares."""
    sentences = []
    if indicator.direction == Indicator.Direction.LOWER:
        sentences.append(_("The lower the number, the more the area needs support."))
    else:
        sentences.append(_("The higher the number, the more the area needs support."))
    suburb_value = suburb_figure.value
    city_value = municipality_figure.value
    if suburb_value is not None and city_value is not None:
        params = {"suburb": suburb_name, "city": city_name}
        if format_value(suburb_value) == format_value(city_value):
            sentences.append(
                _("In %(suburb)s the number is the same as in all of %(city)s.") % params
            )
        elif suburb_value > city_value:
            sentences.append(
                _("In %(suburb)s the number is higher than in all of %(city)s.") % params
            )
        else:
            sentences.append(
                _("In %(suburb)s the number is lower than in all of %(city)s.") % params
            )
    if suburb_figure.numerator is not None and suburb_figure.denominator is not None:
        sentences.append(
            _(
                "The number of %(suburb)s is computed from the sums of its postal areas: "
                "%(numerator)s divided by %(denominator)s."
            )
            % {
                "suburb": suburb_name,
                "numerator": _format_count(suburb_figure.numerator),
                "denominator": _format_count(suburb_figure.denominator),
            }
        )
    return sentences


def _format_count(number: float) -> str:
    decimals = 0 if float(number).is_integer() else 1
    return formats.number_format(number, decimal_pos=decimals, use_l10n=True, force_grouping=True)
