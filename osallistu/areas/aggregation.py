"""Combine indicator values of postal areas into suburb and municipality values.

Public contract for the need index, the selection and the situational picture:

- A suburb's value of a RATIO indicator is `scale * sum(numerators) / sum(denominators)` over its
  postal areas for one statistics year, never a mean of the areas' rates. A SUM indicator adds
  the values. A value that the city stores for the suburb itself wins over the postal areas.
- A suburb value is missing when the suburb has no postal area, or when any of its postal areas
  has no usable value (status missing or suppressed, or a ratio without numerator and
  denominator in a suburb of several areas). Its status is then `suppressed` if any part is
  suppressed, else `missing`. A missing value is never 0.
- A municipality value is the municipality's own stored row (Sotkanet, city data) if there is
  one, else the sum over all of the municipality's postal areas, skipping areas without a value
  (Paavo suppresses only small areas) and listing them in `missing_parts`.
- Postal areas outside every suburb are context only: they are in the matrix with
  `is_candidate` False and never among `IndicatorMatrix.suburbs`.

Reads only; no function writes.
"""

from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field

from django.conf import settings
from django.db.models import Prefetch, QuerySet

from .catalogue import POPULATION_CODE
from .models import Indicator, IndicatorValue, PostalArea, Suburb

OK = IndicatorValue.Status.OK.value
MISSING = IndicatorValue.Status.MISSING.value
SUPPRESSED = IndicatorValue.Status.SUPPRESSED.value


@dataclass(frozen=True)
class Cell:
    """One indicator's value for one area and year.

    `value` is None exactly when `status` is not "ok". `missing_parts` names the postal codes
    that had no usable value in an aggregate (empty for a stored value).
    """

    value: float | None
    numerator: float | None = None
    denominator: float | None = None
    status: str = OK
    missing_parts: tuple[str, ...] = ()

    @property
    def is_missing(self) -> bool:
        return self.value is None


MISSING_CELL = Cell(value=None, status=MISSING)


@dataclass
class AreaRow:
    """A suburb, postal area or municipality with its cells by indicator code.

    `kind` is "suburb", "postal_area" or "municipality"; `key` is the suburb slug, the postal
    code or the municipality code. `postal_codes` are the postal areas the row is computed from.
    `population` is the population indicator's value for the year, None where unknown.
    """

    kind: str
    key: str
    name: str
    pk: int | None
    postal_codes: tuple[str, ...]
    population: float | None
    is_candidate: bool
    cells: dict[str, Cell] = field(default_factory=dict)
    # For postal areas: whether any suburb includes the area.
    in_suburb: bool = False

    def cell(self, code: str) -> Cell:
        return self.cells.get(code, MISSING_CELL)

    def values(self, codes: Iterable[str]) -> list[float | None]:
        """Return the values of `codes` in order, None where missing (a row of a matrix)."""
        return [self.cell(code).value for code in codes]


@dataclass
class IndicatorMatrix:
    """Indicator values of one statistics year per suburb, per postal area and in total.

    `suburbs` (the candidates, by name) and `postal_areas` (every postal area of the
    municipality, by code) share the column order `indicator_codes`.
    """

    statistics_year: int
    indicator_codes: list[str]
    indicators: dict[str, Indicator]
    suburbs: list[AreaRow]
    postal_areas: list[AreaRow]
    municipality: AreaRow

    def suburb(self, slug: str) -> AreaRow:
        return next(row for row in self.suburbs if row.key == slug)

    def postal_area(self, code: str) -> AreaRow:
        return next(row for row in self.postal_areas if row.key == code)


def combine(indicator: Indicator, parts: Sequence[tuple[str, Cell]], *, strict: bool) -> Cell:
    """Combine the cells of postal areas (postal code, cell) into one cell by the indicator.

    With `strict` (suburbs) any unusable part makes the result missing; otherwise (municipality
    totals) unusable parts are skipped and listed in `missing_parts`. No parts gives missing.
    """
    is_ratio = indicator.aggregation == Indicator.Aggregation.RATIO
    single = len(parts) == 1

    def usable(cell: Cell) -> bool:
        if cell.status != OK or cell.value is None:
            return False
        if is_ratio and not single:
            return cell.numerator is not None and cell.denominator is not None
        return True

    bad = tuple(code for code, cell in parts if not usable(cell))
    good = [cell for _code, cell in parts if usable(cell)]
    if not good or (strict and bad):
        status = SUPPRESSED if any(cell.status == SUPPRESSED for _c, cell in parts) else MISSING
        return Cell(value=None, status=status, missing_parts=bad)
    if single and len(good) == 1 and not bad:
        cell = good[0]
        return Cell(cell.value, cell.numerator, cell.denominator, OK)
    if not is_ratio:
        return Cell(value=float(sum(cell.value for cell in good)), status=OK, missing_parts=bad)
    numerator = float(sum(cell.numerator for cell in good))
    denominator = float(sum(cell.denominator for cell in good))
    if denominator == 0:
        return Cell(value=None, status=MISSING, missing_parts=bad)
    return Cell(
        value=indicator.scale * numerator / denominator,
        numerator=numerator,
        denominator=denominator,
        status=OK,
        missing_parts=bad,
    )


def suburb_value(suburb: Suburb, indicator_code: str, statistics_year: int) -> Cell:
    """Return one suburb's value of one indicator and year (a few queries; see the module)."""
    matrix = indicator_matrix(statistics_year, [indicator_code], suburbs=[suburb])
    return matrix.suburb(suburb.slug).cell(indicator_code)


def municipality_value(
    indicator_code: str, statistics_year: int, municipality_code: str | None = None
) -> Cell:
    """Return the municipality's value of one indicator and year (see the module docstring)."""
    matrix = indicator_matrix(
        statistics_year, [indicator_code], municipality_code=municipality_code
    )
    return matrix.municipality.cell(indicator_code)


def postal_areas_outside_suburbs(municipality_code: str | None = None) -> QuerySet[PostalArea]:
    """Return the municipality's postal areas that no suburb includes, by code (context only)."""
    code = municipality_code or settings.OSALLISTU_MUNICIPALITY_CODE
    return PostalArea.objects.filter(municipality_code=code, suburbs__isnull=True).order_by("code")


def indicator_matrix(
    statistics_year: int,
    indicator_codes: Sequence[str],
    *,
    municipality_code: str | None = None,
    suburbs: Iterable[Suburb] | None = None,
) -> IndicatorMatrix:
    """Return the values of `indicator_codes` for `statistics_year` per suburb and postal area.

    Every suburb (or only `suburbs`) and every postal area of the municipality (default
    settings.OSALLISTU_MUNICIPALITY_CODE) gets a row with a cell for each code, plus the
    population. Raise ValueError naming codes that are not in the catalogue. Five queries,
    however many areas and indicators there are.
    """
    municipality_code = municipality_code or settings.OSALLISTU_MUNICIPALITY_CODE
    codes = list(dict.fromkeys(indicator_codes))
    indicators = Indicator.objects.in_bulk([*codes, POPULATION_CODE], field_name="code")
    unknown = [code for code in codes if code not in indicators]
    if unknown:
        raise ValueError("Unknown indicator codes: " + ", ".join(unknown))
    wanted = list(indicators.values())

    values = IndicatorValue.objects.filter(
        indicator__in=wanted, statistics_year=statistics_year, breakdown__in=["", "total"]
    ).values_list(
        "indicator__code",
        "postal_area__code",
        "suburb__slug",
        "municipality_code",
        "value",
        "numerator",
        "denominator",
        "status",
    )
    by_postal: dict[str, dict[str, Cell]] = {}
    by_suburb: dict[str, dict[str, Cell]] = {}
    by_municipality: dict[str, Cell] = {}
    for code, postal, slug, municipality, value, numerator, denominator, status in values:
        cell = Cell(
            value=value if status == OK else None,
            numerator=numerator,
            denominator=denominator,
            status=status,
        )
        if postal:
            by_postal.setdefault(postal, {})[code] = cell
        elif slug:
            by_suburb.setdefault(slug, {})[code] = cell
        elif municipality == municipality_code:
            by_municipality[code] = cell

    areas = list(
        PostalArea.objects.filter(municipality_code=municipality_code)
        .order_by("code")
        .values_list("pk", "code", "name")
    )
    if suburbs is None:
        suburb_list = list(
            Suburb.objects.order_by("name").prefetch_related(
                Prefetch("postal_areas", queryset=PostalArea.objects.order_by("code"))
            )
        )
    else:
        suburb_list = list(suburbs)
    all_codes = [*codes, POPULATION_CODE] if POPULATION_CODE not in codes else codes
    in_suburb: set[str] = set()

    def postal_cell(postal_code: str, code: str) -> Cell:
        return by_postal.get(postal_code, {}).get(code, MISSING_CELL)

    suburb_rows = []
    for suburb in suburb_list:
        postal_codes = tuple(area.code for area in suburb.postal_areas.all())
        in_suburb.update(postal_codes)
        cells = {}
        for code in all_codes:
            own = by_suburb.get(suburb.slug, {}).get(code)
            if own is not None:
                cells[code] = own
                continue
            parts = [(postal, postal_cell(postal, code)) for postal in postal_codes]
            cells[code] = combine(indicators[code], parts, strict=True)
        suburb_rows.append(
            AreaRow(
                kind="suburb",
                key=suburb.slug,
                name=suburb.name,
                pk=suburb.pk,
                postal_codes=postal_codes,
                population=cells[POPULATION_CODE].value,
                is_candidate=True,
                cells={code: cells[code] for code in codes},
            )
        )

    postal_rows = []
    for pk, postal_code, name in areas:
        cells = {code: postal_cell(postal_code, code) for code in codes}
        postal_rows.append(
            AreaRow(
                kind="postal_area",
                key=postal_code,
                name=name,
                pk=pk,
                postal_codes=(postal_code,),
                population=postal_cell(postal_code, POPULATION_CODE).value,
                is_candidate=False,
                cells=cells,
                in_suburb=postal_code in in_suburb,
            )
        )

    municipality_cells = {}
    area_codes = [postal_code for _pk, postal_code, _name in areas]
    for code in all_codes:
        own = by_municipality.get(code)
        if own is not None:
            municipality_cells[code] = own
        else:
            parts = [(postal, postal_cell(postal, code)) for postal in area_codes]
            municipality_cells[code] = combine(indicators[code], parts, strict=False)
    municipality = AreaRow(
        kind="municipality",
        key=municipality_code,
        name=settings.OSALLISTU_CITY_NAME,
        pk=None,
        postal_codes=tuple(area_codes),
        population=municipality_cells[POPULATION_CODE].value,
        is_candidate=False,
        cells={code: municipality_cells[code] for code in codes},
    )
    return IndicatorMatrix(
        statistics_year=statistics_year,
        indicator_codes=codes,
        indicators={code: indicators[code] for code in codes},
        suburbs=suburb_rows,
        postal_areas=postal_rows,
        municipality=municipality,
    )
