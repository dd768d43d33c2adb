"""Build the need index input from the database.

Values come from osallistu.areas.aggregation, which computes a suburb's rates from the summed
numerators and denominators of its postal areas. The input has one row per suburb (the
candidates) and one per postal area of the municipality (context only). Postal areas outside
every suburb are never candidates, because only rows of kind `suburb` enter the selection rule.
"""

from collections.abc import Iterable

from django.db.models import Max, Min

from osallistu.areas import aggregation
from osallistu.areas.catalogue import POPULATION_CODE
from osallistu.areas.models import IndicatorValue, InvestmentProject

from .need_index import POSTAL_AREA, SUBURB, IndexConfiguration, IndexInput

__all__ = ["IndexInput", "NoDataError", "index_input", "newest_statistics_year"]


class NoDataError(LookupError):
    """No indicator values exist for the requested statistics year."""

    def __init__(self, statistics_year: int | None):
        self.statistics_year = statistics_year
        super().__init__(f"no indicator values for statistics year {statistics_year}")


def newest_statistics_year() -> int | None:
    """Return the newest statistics year with a population value, or None if there is none."""
    return IndicatorValue.objects.filter(
        indicator__code=POPULATION_CODE, status=IndicatorValue.Status.OK
    ).aggregate(year=Max("statistics_year"))["year"]


def index_input(
    statistics_year: int | None = None,
    indicator_codes: Iterable[str] | None = None,
    *,
    configuration: IndexConfiguration | None = None,
) -> IndexInput:
    """Return the index input of `statistics_year` (default: the newest year with data).

    The indicators are `indicator_codes`, else those of `configuration`, else every indicator
    with a value in that year. Raise NoDataError when the year has no population values and
    ValueError naming indicator codes that are not in the catalogue. Six queries.
    """
    year = statistics_year if statistics_year is not None else newest_statistics_year()
    if year is None or not _has_population(year):
        raise NoDataError(statistics_year)
    if indicator_codes is None and configuration is not None:
        indicator_codes = configuration.indicator_codes
    if indicator_codes is None:
        indicator_codes = _codes_with_values(year)
    matrix = aggregation.indicator_matrix(year, list(indicator_codes))
    rows = [*matrix.suburbs, *matrix.postal_areas]
    return IndexInput(
        kinds=[SUBURB if row.kind == "suburb" else POSTAL_AREA for row in rows],
        identifiers=[row.key for row in rows],
        names=[row.name for row in rows],
        population=[_number(row.population) for row in rows],
        indicator_codes=matrix.indicator_codes,
        values=[[_number(value) for value in row.values(matrix.indicator_codes)] for row in rows],
        directions={code: indicator.direction for code, indicator in matrix.indicators.items()},
        statistics_year=year,
        details=[_details(row, matrix.indicator_codes) for row in rows],
    )


def prioritised_suburbs(year: int) -> dict[str, int]:
    """Return the slugs of suburbs with a prioritised investment in `year` and its best priority.

    One query. Priority 1 is the highest.
    """
    return dict(
        InvestmentProject.objects.filter(year=year, is_prioritised=True)
        .values("suburb__slug")
        .annotate(best=Min("priority"))
        .values_list("suburb__slug", "best")
    )


def _has_population(year: int) -> bool:
    return IndicatorValue.objects.filter(
        indicator__code=POPULATION_CODE, statistics_year=year
    ).exists()


def _codes_with_values(year: int) -> list[str]:
    return list(
        IndicatorValue.objects.filter(statistics_year=year)
        .exclude(indicator__code=POPULATION_CODE)
        .values_list("indicator__code", flat=True)
        .distinct()
        .order_by("indicator__code")
    )


def _number(value: float | None) -> float:
    return float("nan") if value is None else float(value)


def _details(row: aggregation.AreaRow, codes: list[str]) -> dict:
    cells = {}
    for code in codes:
        cell = row.cell(code)
        cells[code] = {
            "value": cell.value,
            "numerator": cell.numerator,
            "denominator": cell.denominator,
            "status": cell.status,
            "missing_parts": list(cell.missing_parts),
        }
    return {"postal_codes": list(row.postal_codes), "cells": cells}
