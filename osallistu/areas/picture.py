"""Reads for the situational picture (tilannekuva) of the suburbs chosen for area development.

A suburb's rate is recomputed from the summed numerators and denominators of its postal areas,
never as a mean of their rates. The municipality's figure is its own total: the municipality row
where one is loaded, otherwise the sums over its postal areas that have a usable value. Both use
`aggregation.combine`, the rules of the need index. A value that is missing or suppressed in any
of the suburb's postal areas makes the suburb's value missing, never 0.
"""

from collections import defaultdict
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field

from django.conf import settings
from django.db.models import Q, QuerySet
from django.utils import formats, timezone, translation
from django.utils.translation import gettext as _

from osallistu.events.models import Event
from osallistu.feedback.picture import FeedbackSection, feedback_section
from osallistu.participation.models import Process
from osallistu.selection.selectors import chosen_suburbs

from . import aggregation, charts, maps
from .aggregation import MISSING_CELL
from .catalogue import POPULATION_CODE
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
    # True when the value was combined from postal areas rather than stored for the area itself.
    is_pooled: bool = False

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
    # None for sum indicators such as population, where the suburb is a part of the whole.
    comparison: charts.Chart | None
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
    # Feedback requests placed in the suburb's postal areas, by service and by month.
    feedback: FeedbackSection | None = None

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


class SuburbNotChosen(Exception):
    """Raised for a suburb that no decided selection round chose, when only chosen ones count."""


def suburb_picture(slug: str, *, chosen_only: bool = False, now=None) -> SuburbPicture:
    """Return the situational picture of the suburb `slug`; raise Suburb.DoesNotExist.

    With `chosen_only`, raise SuburbNotChosen for a suburb that no decided round chose, before
    anything else is loaded. Ten queries whatever the number of indicators, years or postal
    areas: the suburb, whether it is chosen, its postal areas, the municipality's postal codes,
    the indicator values, the indicators, its themes, processes, events and feedback counts.
    """
    # The programme joins the suburb's query, so linking to it costs no query.
    suburb = Suburb.objects.select_related("programme").get(slug=slug)
    chosen = is_chosen(suburb)
    if chosen_only and not chosen:
        raise SuburbNotChosen(slug)
    postal_areas = list(suburb.postal_areas.order_by("code"))
    city_name = settings.OSALLISTU_CITY_NAME
    indicators = indicator_pictures(suburb, postal_areas, city_name)
    years = sorted({year for item in indicators for year in item.years})
    processes = list(suburb.processes.order_by("-created_at"))
    return SuburbPicture(
        suburb=suburb,
        is_chosen=chosen,
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
        feedback=feedback_section(suburb),
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
    """Return one IndicatorPicture an indicator with a value for the suburb or the municipality.

    Three queries: the municipality's postal codes, the values of its postal areas, the suburb
    and the municipality row for every year, and the indicators.
    """
    municipality_code = settings.OSALLISTU_MUNICIPALITY_CODE
    suburb_codes = [area.code for area in postal_areas]
    municipality_codes = list(
        PostalArea.objects.filter(municipality_code=municipality_code)
        .order_by("code")
        .values_list("code", flat=True)
    )
    rows = (
        IndicatorValue.objects.filter(breakdown__in=TOTAL_BREAKDOWNS)
        .filter(
            Q(postal_area__code__in=[*municipality_codes, *suburb_codes])
            | Q(suburb=suburb)
            | Q(municipality_code=municipality_code)
        )
        .values_list(
            "indicator_id",
            "statistics_year",
            "postal_area__code",
            "suburb_id",
            "value",
            "numerator",
            "denominator",
            "status",
        )
    )
    values = _IndicatorRows()
    for indicator_id, year, postal_code, suburb_id, value, numerator, denominator, status in rows:
        cell = aggregation.Cell(
            value=value if status == IndicatorValue.Status.OK else None,
            numerator=numerator,
            denominator=denominator,
            status=status,
        )
        if postal_code:
            values.postal[indicator_id][year][postal_code] = cell
            if postal_code in suburb_codes:
                values.local.add(indicator_id)
        elif suburb_id:
            values.suburb[indicator_id][year] = cell
            values.local.add(indicator_id)
        else:
            values.municipality[indicator_id][year] = cell
    indicator_ids = values.local | set(values.municipality)
    indicators = Indicator.objects.select_related("domain").in_bulk(list(indicator_ids))
    ordered = sorted(indicators.values(), key=lambda i: (_domain_position(i), i.code))
    return [
        _indicator_picture(
            indicator,
            values,
            suburb,
            suburb_codes,
            municipality_codes,
            city_name,
        )
        for indicator in ordered
    ]


@dataclass
class _IndicatorRows:
    """Cells of the loaded values by indicator id and statistics year."""

    postal: dict = field(default_factory=lambda: defaultdict(lambda: defaultdict(dict)))
    suburb: dict = field(default_factory=lambda: defaultdict(dict))
    municipality: dict = field(default_factory=lambda: defaultdict(dict))
    # Indicators with a value for the suburb itself or one of its postal areas.
    local: set = field(default_factory=set)


def format_number(value: float, unit: str, decimals: int = 1) -> str:
    """Return the value in the active language's number format, with its unit."""
    # Django's number_format cuts off extra decimals, so round first: 9.678 shows as 9.7.
    number = formats.number_format(
        round(value, decimals), decimal_pos=decimals, use_l10n=True, force_grouping=True
    )
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
    values: _IndicatorRows,
    suburb: Suburb,
    suburb_codes: list[str],
    municipality_codes: list[str],
    city_name: str,
) -> IndicatorPicture:
    postal = values.postal[indicator.pk]
    own_rows = values.suburb[indicator.pk]
    municipality_rows = values.municipality[indicator.pk]
    local_years = {
        year for year, cells in postal.items() if any(code in cells for code in suburb_codes)
    } | set(own_rows)
    years = sorted(local_years | set(postal) | set(municipality_rows))
    suburb_figures = {}
    municipality_figures = {}
    for year in years:
        if year in own_rows:
            cell = own_rows[year]
        elif year in local_years:
            parts = [(code, postal[year].get(code, MISSING_CELL)) for code in suburb_codes]
            cell = aggregation.combine(indicator, parts, strict=True)
        else:
            cell = None
        is_pooled = year not in own_rows
        suburb_figures[year] = _suburb_figure(cell, city_name, local_years, is_pooled)
        if year in municipality_rows:
            cell = municipality_rows[year]
        else:
            parts = [(code, postal[year].get(code, MISSING_CELL)) for code in municipality_codes]
            cell = aggregation.combine(indicator, parts, strict=False)
        municipality_figures[year] = _municipality_figure(cell)

    year = max(local_years or years)
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
    comparison = None
    is_sum = indicator.aggregation == Indicator.Aggregation.SUM
    if not is_sum:
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
            # The city's sum would flatten the suburb's line, so sums show the suburb alone.
            [suburb_series] if is_sum else [suburb_series, municipality_series],
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


def _suburb_figure(cell, city_name: str, local_years, is_pooled: bool) -> Figure:
    """Return the suburb's cell as a figure with the reason in plain language when missing."""
    if cell is None:
        if local_years:
            reason = _("There is no number for this statistics year.")
        else:
            reason = _("This number is only published for all of %(city)s.") % {"city": city_name}
        return Figure(value=None, status=IndicatorValue.Status.MISSING, reason=reason)
    if not cell.is_missing:
        return Figure(
            value=cell.value,
            numerator=cell.numerator,
            denominator=cell.denominator,
            is_pooled=is_pooled,
        )
    if cell.status == IndicatorValue.Status.SUPPRESSED:
        reason = _privacy_reason()
    elif cell.missing_parts:
        reason = _("There is no number for postal area %(codes)s.") % {
            "codes": ", ".join(cell.missing_parts)
        }
    else:
        reason = _("The number is missing from the source data.")
    return Figure(value=None, status=cell.status, reason=reason)


def _municipality_figure(cell) -> Figure:
    """Return the municipality's cell as a figure, naming the postal areas a total leaves out."""
    if cell.is_missing:
        reason = (
            _privacy_reason()
            if cell.status == IndicatorValue.Status.SUPPRESSED
            else _("The number is missing from the source data.")
        )
        return Figure(value=None, status=cell.status, reason=reason)
    reason = ""
    if cell.missing_parts:
        reason = _(
            "The total leaves out postal areas %(codes)s because their numbers are missing or "
            "protected."
        ) % {"codes": ", ".join(cell.missing_parts)}
    return Figure(
        value=cell.value, numerator=cell.numerator, denominator=cell.denominator, reason=reason
    )


# The domain of population figures such as age groups: context for residents, not need.
CONTEXT_DOMAIN = "population"


def _privacy_reason() -> str:
    return _("The number is hidden to protect the privacy of the people who live there.")


def _decimals(indicator: Indicator, figures: Iterable[Figure]) -> int:
    """Return 1 decimal for percentages and small numbers, 0 where any value reaches 100."""
    if indicator.unit.strip() == "%":
        return 1
    values = [abs(figure.value) for figure in figures if figure.value is not None]
    if values and (max(values) >= 100 or all(float(value).is_integer() for value in values)):
        return 0
    return 1


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
    # Population and its age structure are context, not signs of need, so they get no direction.
    is_context = indicator.code == POPULATION_CODE or (
        indicator.domain is not None and indicator.domain.code == CONTEXT_DOMAIN
    )
    if not is_context:
        if indicator.direction == Indicator.Direction.LOWER:
            sentences.append(_("The lower the number, the more the area needs support."))
        else:
            sentences.append(_("The higher the number, the more the area needs support."))
    suburb_value = suburb_figure.value
    city_value = municipality_figure.value
    # A sum of the suburb is a part of the city's sum, so comparing the two says nothing.
    is_sum = indicator.aggregation == Indicator.Aggregation.SUM
    # A city total that leaves out postal areas is not the whole city's number, so the page names
    # the missing areas instead of comparing.
    is_partial = bool(municipality_figure.reason)
    if not is_sum and not is_partial and suburb_value is not None and city_value is not None:
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
    # Only shares are explained by their sums. Weighted means, such as median income weighted by
    # the number of adults, have sums that mean nothing to a resident.
    is_share = indicator.unit.strip() == "%"
    has_sums = suburb_figure.numerator is not None and suburb_figure.denominator is not None
    if is_share and suburb_figure.is_pooled and has_sums:
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
    return formats.number_format(
        round(number, decimals), decimal_pos=decimals, use_l10n=True, force_grouping=True
    )
