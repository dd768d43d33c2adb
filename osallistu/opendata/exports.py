"""CSV files of the open data, with the same content and licence as the API."""

import csv
import io

from osallistu.areas.models import Indicator
from osallistu.participation.models import Process

from . import selectors


def _csv(header: list[str], rows) -> str:
    buffer = io.StringIO()
    writer = csv.writer(buffer, lineterminator="\r\n")
    writer.writerow(header)
    writer.writerows(rows)
    return buffer.getvalue()


def indicators_csv() -> str:
    return _csv(
        [
            "code",
            "domain",
            "name_fi",
            "name_sv",
            "name_en",
            "unit",
            "direction",
            "formula",
            "source",
            "licence",
            "statistics_year",
        ],
        (
            [
                indicator.code,
                indicator.domain.code if indicator.domain else "",
                indicator.name_fi,
                indicator.name_sv,
                indicator.name_en,
                indicator.unit,
                indicator.direction,
                indicator.formula,
                indicator.source,
                indicator.licence,
                indicator.statistics_year or "",
            ]
            for indicator in selectors.indicators()
        ),
    )


def indicator_values_csv(indicator: Indicator) -> str:
    """Return the indicator's values; a missing or suppressed value is an empty cell."""

    def area(value) -> tuple[str, str]:
        if value.postal_area_id:
            return "postal_area", value.postal_area.code
        if value.suburb_id:
            return "suburb", value.suburb.slug
        return "municipality", value.municipality_code

    return _csv(
        [
            "indicator",
            "area_kind",
            "area",
            "statistics_year",
            "value",
            "numerator",
            "denominator",
            "status",
            "breakdown",
        ],
        (
            [
                indicator.code,
                *area(value),
                value.statistics_year,
                "" if value.value is None else value.value,
                "" if value.numerator is None else value.numerator,
                "" if value.denominator is None else value.denominator,
                value.status,
                value.breakdown,
            ]
            for value in selectors.indicator_values(indicator)
        ),
    )


def processes_csv() -> str:
    return _csv(
        ["slug", "title", "kind", "suburbs", "phases", "results_published"],
        (
            [
                process.slug,
                process.title,
                process.kind,
                " ".join(suburb.slug for suburb in process.suburbs.all()),
                " ".join(
                    f"{phase.kind}:{phase.starts_on:%Y-%m-%d}/{phase.ends_on:%Y-%m-%d}"
                    for phase in process.phases.all()
                ),
                "true" if process.results_published else "false",
            ]
            for process in selectors.processes()
        ),
    )


def ideas_csv(process: Process) -> str:
    return _csv(
        ["id", "title", "description", "status", "suburb", "theme", "created_on"],
        (
            [
                idea.pk,
                idea.title,
                idea.description,
                idea.status,
                idea.suburb.slug if idea.suburb_id else "",
                idea.theme.title if idea.theme_id else "",
                f"{idea.created_at:%Y-%m-%d}",
            ]
            for idea in selectors.published_ideas(process)
        ),
    )
