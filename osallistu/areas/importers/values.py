"""Create or update IndicatorValue rows by their natural key, counting what changed."""

from dataclasses import dataclass

from django.db import transaction

from ..models import Indicator, IndicatorValue, PostalArea, Suburb
from .base import ImportResult, Progress


@dataclass(frozen=True)
class ValueRow:
    """One checked value of an import: the area, year and breakdown name the stored row."""

    indicator: Indicator
    statistics_year: int
    value: float | None
    status: str
    numerator: float | None = None
    denominator: float | None = None
    postal_area: PostalArea | None = None
    suburb: Suburb | None = None
    municipality_code: str = ""
    breakdown: str = ""

    @property
    def key(self) -> tuple:
        return (
            self.indicator.pk,
            self.postal_area.pk if self.postal_area else None,
            self.suburb.pk if self.suburb else None,
            self.municipality_code,
            self.statistics_year,
            self.breakdown,
        )


def _key(value: IndicatorValue) -> tuple:
    return (
        value.indicator_id,
        value.postal_area_id,
        value.suburb_id,
        value.municipality_code,
        value.statistics_year,
        value.breakdown,
    )


def write_values(rows: list[ValueRow], result: ImportResult) -> None:
    """Create, update or keep the stored value of each row; count each in `result`.

    Call inside a transaction. Existing values of the rows' indicators and years are locked and
    read in one query. Each indicator's `statistics_year` moves up to the newest year written.
    """
    indicators = {row.indicator.pk: row.indicator for row in rows}
    years = {row.statistics_year for row in rows}
    existing = {
        _key(value): value
        # Ordered by primary key, because the default ordering joins IndicatorDomain with an
        # outer join, which PostgreSQL cannot lock.
        for value in IndicatorValue.objects.select_for_update()
        .filter(indicator__in=indicators, statistics_year__in=years)
        .order_by("pk")
    }
    new_values = []
    for row in rows:
        fields = {
            "value": row.value,
            "numerator": row.numerator,
            "denominator": row.denominator,
            "status": row.status,
        }
        current = existing.get(row.key)
        if current is None:
            new_values.append(
                IndicatorValue(
                    indicator=row.indicator,
                    postal_area=row.postal_area,
                    suburb=row.suburb,
                    municipality_code=row.municipality_code,
                    statistics_year=row.statistics_year,
                    breakdown=row.breakdown,
                    **fields,
                )
            )
            result.count("created")
        elif all(getattr(current, name) == value for name, value in fields.items()):
            result.count("unchanged")
        else:
            for name, value in fields.items():
                setattr(current, name, value)
            current.save(update_fields=list(fields))
            result.count("updated")
    IndicatorValue.objects.bulk_create(new_values)
    for indicator in indicators.values():
        newest = max(row.statistics_year for row in rows if row.indicator.pk == indicator.pk)
        if (indicator.statistics_year or 0) < newest:
            indicator.statistics_year = newest
            indicator.save(update_fields=["statistics_year"])


def write_checked_values(
    rows: list[ValueRow], result: ImportResult, *, progress: Progress | None = None
) -> ImportResult:
    """Write `rows` in one transaction unless `result` has errors; roll back a dry run.

    Report every row as processed when done, and return `result`.
    """
    if not result.ok:
        return result
    with transaction.atomic():
        write_values(rows, result)
        if result.dry_run:
            transaction.set_rollback(True)
    if progress:
        progress(result.rows_read, result.rows_read)
    return result
