"""Writes for areas: Paavo statistics, postal-area polygons and the Kuopio reference data.

Every import is transactional. It reads and checks the whole file before it writes, and a
malformed file raises an error that names the line or feature, with nothing written.
"""

import json
import logging
import re
from collections.abc import Callable
from dataclasses import dataclass, field
from decimal import Decimal
from pathlib import Path
from typing import BinaryIO

import shapely
from django.conf import settings
from django.core.exceptions import PermissionDenied
from django.db import transaction
from django.utils.text import slugify
from django.utils.translation import get_language
from django.utils.translation import gettext as _
from pyproj import CRS, Transformer
from pyproj.exceptions import CRSError
from shapely.errors import ShapelyError
from shapely.geometry import mapping, shape

from . import catalogue, paavo
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

logger = logging.getLogger(__name__)

DATA_DIR = Path(__file__).resolve().parent / "data"
KUOPIO_PAAVO_FILE = DATA_DIR / "kuopio_paavo_2024.csv"
KUOPIO_PAAVO_STATISTICS_YEAR = 2024
KUOPIO_PAAVO_RELEASE_YEAR = 2026
KUOPIO_POLYGON_FILE = DATA_DIR / "kuopio_postal_areas_simplified.geojson"
KUOPIO_MUNICIPALITY_CODE = "297"
KUOPIO_MUNICIPALITY_NAME = "Kuopio"
# Kuopio suburbs (lähiöt) and their Paavo postal areas. Only placements that are certain or
# confirmed by street addresses are listed; data/SOURCES.md names the suburbs left out.
KUOPIO_SUBURBS: tuple[tuple[str, tuple[str, ...]], ...] = (
    ("Neulamäki", ("70150",)),
    ("Puijonlaakso", ("70200",)),
    ("Julkula", ("70260",)),
    ("Länsi-Puijo", ("70280",)),
    ("Linnanpelto", ("70300",)),
    ("Inkilänmäki", ("70340",)),
    ("Kettulanlahti", ("70400",)),
    ("Päiväranta", ("70420",)),
    ("Saarijärvi", ("70460",)),
    ("Männistö", ("70500",)),
    ("Niirala", ("70600",)),
    ("Huuhanmäki", ("70600",)),
    ("Haapaniemi", ("70620",)),
    ("Särkiniemi", ("70700",)),
    ("Jynkkä", ("70780",)),
    ("Pitkälahti", ("70800",)),
    ("Pieni Neulamäki", ("70800",)),
    ("Petonen", ("70820",)),
    ("Litmanen", ("70820",)),
    ("Hiltulanlahti", ("70870",)),
    ("Jännevirta", ("70940",)),
)

_NAME_MAX_LENGTH = PostalArea._meta.get_field("name").max_length
# Longitude and latitude bounds of Finland with a margin. A polygon outside them has coordinates
# in another system than its file declares, or latitude and longitude swapped.
_FINLAND_BOUNDS = (19.0, 59.0, 32.0, 70.5)
_WGS84_AUTHORITIES = {("OGC", "CRS84"), ("EPSG", "4326")}
_ETRS_TM35FIN_AUTHORITY = ("EPSG", "3067")
_POSTAL_CODE = re.compile(r"\d{5}")
# Six decimals of a degree are about 0.1 m, finer than any Paavo boundary.
_COORDINATE_DECIMALS = 6


class PaavoImportError(ValueError):
    """A Paavo file that cannot be imported; the message is translated and names the line."""

    def __init__(self, message: str, *, line: int | None = None):
        super().__init__(message)
        self.line = line


class GeometryImportError(ValueError):
    """A GeoJSON file that cannot be imported; the message is translated and names the feature."""


@dataclass
class PaavoImportReport:
    """Postal codes and counts of a Paavo import, or of what a dry run would write."""

    statistics_year: int
    release_year: int
    dry_run: bool
    imported_postal_codes: list[str] = field(default_factory=list)
    created_postal_codes: list[str] = field(default_factory=list)
    updated_postal_codes: list[str] = field(default_factory=list)
    # Records of this statistics year whose postal areas are not in the new file.
    removed_postal_codes: list[str] = field(default_factory=list)
    skipped_postal_codes: list[str] = field(default_factory=list)
    missing_counts: dict[str, int] = field(default_factory=dict)
    ignored_columns: list[str] = field(default_factory=list)
    # IndicatorValue rows of the Paavo-derived indicators, by what the import did to them.
    values_created: int = 0
    values_updated: int = 0
    values_unchanged: int = 0


@dataclass
class GeometryImportReport:
    """Postal codes that a polygon import wrote, kept or skipped."""

    source_crs: str
    development_data: bool
    updated_postal_codes: list[str] = field(default_factory=list)
    created_postal_codes: list[str] = field(default_factory=list)
    # Areas whose production polygon a development polygon did not replace.
    kept_postal_codes: list[str] = field(default_factory=list)
    skipped_postal_codes: list[str] = field(default_factory=list)


def paavo_import(
    source: str | Path | bytes | BinaryIO,
    *,
    statistics_year: int,
    release_year: int,
    dry_run: bool = False,
    municipality_code: str | None = None,
    municipality_name: str | None = None,
    progress: Callable[[int, int], None] | None = None,
) -> PaavoImportReport:
    """Import Paavo statistics for one statistics year from a CSV path, bytes or binary file.

    Rows of the municipality (by default settings.OSALLISTU_MUNICIPALITY_CODE and
    OSALLISTU_CITY_NAME) create or update their PostalArea and that year's PaavoRecord. The file
    replaces the year's data, so records of the year whose postal area is not in the file are
    deleted and a second import of the same file changes nothing. Rows of other municipalities
    are skipped and listed in the report. A dry run checks and counts everything, then rolls back.

    Raise PaavoImportError, with nothing written, if the file is malformed or has no row of the
    municipality.
    """
    municipality_code = municipality_code or settings.OSALLISTU_MUNICIPALITY_CODE
    municipality_name = municipality_name or settings.OSALLISTU_CITY_NAME
    try:
        paavo_file = paavo.parse_paavo_csv(_read_bytes(source))
    except paavo.PaavoError as error:
        raise PaavoImportError(_(error.message) % error.params, line=error.line) from None
    rows, skipped = paavo.split_by_municipality(
        paavo_file, municipality_code=municipality_code, municipality_name=municipality_name
    )
    if not rows:
        raise PaavoImportError(
            _(
                "None of the %(count)d rows belongs to the municipality %(name)s (%(code)s), "
                "so nothing was imported. Check the file or the OSALLISTU_MUNICIPALITY_CODE and "
                "OSALLISTU_CITY_NAME settings."
            )
            % {"count": len(skipped), "name": municipality_name, "code": municipality_code}
        )
    for row in rows:
        if len(row.name) > _NAME_MAX_LENGTH:
            raise PaavoImportError(
                _("Line %(line)d: the area name is longer than %(max)d characters.")
                % {"line": row.line, "max": _NAME_MAX_LENGTH},
                line=row.line,
            )

    report = PaavoImportReport(
        statistics_year=statistics_year,
        release_year=release_year,
        dry_run=dry_run,
        skipped_postal_codes=[row.postal_code for row in skipped],
        missing_counts=paavo.count_missing(rows),
        ignored_columns=paavo_file.ignored_columns,
    )
    with transaction.atomic():
        _write_paavo_rows(rows, report, municipality_code, municipality_name, progress)
        if dry_run:
            transaction.set_rollback(True)
    logger.info(
        "paavo import statistics_year=%s release_year=%s dry_run=%s imported=%s removed=%s "
        "skipped=%s",
        statistics_year,
        release_year,
        dry_run,
        len(report.imported_postal_codes),
        len(report.removed_postal_codes),
        len(report.skipped_postal_codes),
    )
    return report


def postal_area_geometry_import(
    path: str | Path | bytes | BinaryIO,
    *,
    development_data: bool,
    municipality_code: str | None = None,
    municipality_name: str | None = None,
) -> GeometryImportReport:
    """Store postal-area polygons from a GeoJSON FeatureCollection, in WGS84.

    Each feature needs a `postinumeroalue` (or `posti_alue`) property and a Polygon or
    MultiPolygon. Coordinates are read as WGS84 longitude and latitude unless the collection's
    `crs` names EPSG:3067 (ETRS-TM35FIN), which is transformed with pyproj. Features whose `kunta`
    or `kunta_nimi` property names another municipality than the configured one (as in
    paavo_import) are skipped. A polygon for an unknown postal code creates the area. Development
    polygons never replace a production polygon.

    Raise GeometryImportError, with nothing written, if the file is malformed.
    """
    municipality_code = municipality_code or settings.OSALLISTU_MUNICIPALITY_CODE
    municipality_name = municipality_name or settings.OSALLISTU_CITY_NAME
    collection = load_feature_collection(path)
    source_crs, to_wgs84 = _source_transformer(collection)
    polygons = _read_features(collection, to_wgs84, municipality_code, municipality_name)
    report = GeometryImportReport(source_crs=source_crs, development_data=development_data)
    with transaction.atomic():
        areas = PostalArea.objects.select_for_update().in_bulk(
            [code for code, _name, _geometry, _in_scope in polygons], field_name="code"
        )
        for code, name, geometry, in_scope in polygons:
            if not in_scope:
                report.skipped_postal_codes.append(code)
                continue
            area = areas.get(code)
            if area is None:
                PostalArea.objects.create(
                    code=code,
                    name=name,
                    municipality_code=municipality_code,
                    municipality_name=municipality_name,
                    geometry=geometry,
                    geometry_is_development_data=development_data,
                )
                report.created_postal_codes.append(code)
                continue
            if development_data and area.geometry and not area.geometry_is_development_data:
                report.kept_postal_codes.append(code)
                continue
            area.geometry = geometry
            area.geometry_is_development_data = development_data
            area.save(update_fields=["geometry", "geometry_is_development_data"])
            report.updated_postal_codes.append(code)
    logger.info(
        "postal area geometry import crs=%s development_data=%s created=%s updated=%s kept=%s "
        "skipped=%s",
        source_crs,
        development_data,
        len(report.created_postal_codes),
        len(report.updated_postal_codes),
        len(report.kept_postal_codes),
        len(report.skipped_postal_codes),
    )
    return report


@transaction.atomic
def kuopio_reference_data_load() -> None:
    """Load Kuopio's Paavo statistics, development polygons and suburbs; a second call adds nothing.

    The shipped files are described in osallistu/areas/data/SOURCES.md. The Paavo statistics of
    year 2024 are reimported, which changes nothing when they are already there. Polygons are
    loaded as development data, so they never replace a production polygon. Suburbs are found by
    name, and a suburb gets the postal areas of KUOPIO_SUBURBS only while it has none, because
    staff maintain the mapping in the admin.
    """
    paavo_import(
        KUOPIO_PAAVO_FILE,
        statistics_year=KUOPIO_PAAVO_STATISTICS_YEAR,
        release_year=KUOPIO_PAAVO_RELEASE_YEAR,
        municipality_code=KUOPIO_MUNICIPALITY_CODE,
        municipality_name=KUOPIO_MUNICIPALITY_NAME,
    )
    postal_area_geometry_import(
        KUOPIO_POLYGON_FILE,
        development_data=True,
        municipality_code=KUOPIO_MUNICIPALITY_CODE,
        municipality_name=KUOPIO_MUNICIPALITY_NAME,
    )
    areas = PostalArea.objects.in_bulk(
        {code for _name, codes in KUOPIO_SUBURBS for code in codes}, field_name="code"
    )
    for name, codes in KUOPIO_SUBURBS:
        suburb, _created = Suburb.objects.get_or_create(name=name, defaults={"slug": slugify(name)})
        if not suburb.postal_areas.exists():
            suburb.postal_areas.add(*(areas[code] for code in codes))
    logger.info("kuopio reference data loaded suburbs=%s", len(KUOPIO_SUBURBS))


def _read_bytes(source: str | Path | bytes | BinaryIO) -> bytes:
    if isinstance(source, bytes):
        return source
    if isinstance(source, str | Path):
        return Path(source).read_bytes()
    return source.read()


def _write_paavo_rows(
    rows: list[paavo.PaavoRow],
    report: PaavoImportReport,
    municipality_code: str,
    municipality_name: str,
    progress: Callable[[int, int], None] | None = None,
) -> None:
    """Write the postal areas and records of `rows`, calling `progress(done, total)` per row."""
    codes = [row.postal_code for row in rows]
    areas = PostalArea.objects.select_for_update().in_bulk(codes, field_name="code")
    records = {
        record.postal_area.code: record
        for record in PaavoRecord.objects.select_for_update()
        .filter(statistics_year=report.statistics_year)
        .select_related("postal_area")
    }
    for row in rows:
        area = areas.get(row.postal_code)
        if area is None:
            area = PostalArea.objects.create(
                code=row.postal_code,
                name=row.name,
                municipality_code=municipality_code,
                municipality_name=municipality_name,
            )
            report.created_postal_codes.append(row.postal_code)
        else:
            area.name = row.name or area.name
            area.municipality_code = municipality_code
            area.municipality_name = municipality_name
            area.save(update_fields=["name", "municipality_code", "municipality_name"])
            report.updated_postal_codes.append(row.postal_code)

        record = records.pop(row.postal_code, None) or PaavoRecord(
            postal_area=area, statistics_year=report.statistics_year
        )
        record.release_year = report.release_year
        record.values = row.values
        record.missing_reasons = row.missing_reasons
        record.save()
        report.imported_postal_codes.append(row.postal_code)
        if progress:
            progress(len(report.imported_postal_codes), len(rows))

    # What is left are records of the year whose postal area the new file no longer has.
    report.removed_postal_codes = sorted(records)
    PaavoRecord.objects.filter(pk__in=[record.pk for record in records.values()]).delete()
    _write_paavo_indicator_values(rows, report)


def indicator_catalogue_ensure() -> dict[str, Indicator]:
    """Create or update the domains and indicators of osallistu.areas.catalogue; return them.

    Idempotent: a second call changes nothing. `statistics_year` and indicators that are not in
    the catalogue (added by staff) are left as they are.
    """
    with transaction.atomic():
        domains = {}
        for position, spec in enumerate(catalogue.DOMAINS):
            domains[spec.code], _created = IndicatorDomain.objects.update_or_create(
                code=spec.code,
                defaults={
                    "name_fi": spec.name_fi,
                    "name_sv": spec.name_sv,
                    "name_en": spec.name_en,
                    "position": position,
                },
            )
        existing = Indicator.objects.in_bulk(
            [spec.code for spec in catalogue.INDICATORS], field_name="code"
        )
        indicators = {}
        for spec in catalogue.INDICATORS:
            fields = {
                "domain": domains[spec.domain],
                "name_fi": spec.name_fi,
                "name_sv": spec.name_sv,
                "name_en": spec.name_en,
                "unit": spec.unit,
                "direction": spec.direction,
                "formula": spec.formula,
                "source": spec.source,
                "licence": spec.licence,
                "aggregation": spec.aggregation,
                "scale": spec.scale,
            }
            indicator = existing.get(spec.code)
            if indicator is None:
                indicator = Indicator.objects.create(code=spec.code, **fields)
            elif any(getattr(indicator, name) != value for name, value in fields.items()):
                for name, value in fields.items():
                    setattr(indicator, name, value)
                indicator.save()
            indicators[spec.code] = indicator
    return indicators


def paavo_indicator_value(
    spec: catalogue.IndicatorSpec, values: dict, missing_reasons: dict
) -> tuple[float | None, float | None, float | None, str]:
    """Return (value, numerator, denominator, status) of a Paavo-derived indicator for one area.

    A ratio is `scale * sum(numerator fields) / sum(denominator fields)`. A weighted indicator
    keeps its field's value, with numerator value * weight and denominator the weight, so that a
    suburb gets the weighted mean. The status is `suppressed` when an input was protected by
    Paavo and `missing` when it is absent or the denominator is 0.
    """
    inputs = (*spec.numerator, *spec.denominator, *((spec.weight,) if spec.weight else ()))
    absent = [code for code in inputs if values.get(code) is None]
    if absent:
        status = (
            IndicatorValue.Status.SUPPRESSED
            if any(code in missing_reasons for code in absent)
            else IndicatorValue.Status.MISSING
        )
        return None, None, None, status
    if spec.aggregation == catalogue.SUM:
        value = float(values[spec.numerator[0]])
        return value, None, None, IndicatorValue.Status.OK
    if spec.weight:
        value = float(values[spec.numerator[0]])
        weight = float(values[spec.weight])
        return value, value * weight, weight, IndicatorValue.Status.OK
    numerator = float(sum(values[code] for code in spec.numerator))
    denominator = float(sum(values[code] for code in spec.denominator))
    if denominator == 0:
        return None, numerator, denominator, IndicatorValue.Status.MISSING
    return spec.scale * numerator / denominator, numerator, denominator, IndicatorValue.Status.OK


def _write_paavo_indicator_values(rows: list[paavo.PaavoRow], report: PaavoImportReport) -> None:
    """Create or update the year's IndicatorValue rows of the Paavo-derived indicators."""
    indicators = indicator_catalogue_ensure()
    specs = catalogue.PAAVO_INDICATORS
    areas = PostalArea.objects.in_bulk([row.postal_code for row in rows], field_name="code")
    existing = {
        (value.indicator_id, value.postal_area_id): value
        # Ordered by primary key: the default ordering joins Indicator and IndicatorDomain,
        # and PostgreSQL cannot lock rows of the nullable side of that outer join.
        for value in IndicatorValue.objects.select_for_update()
        .filter(
            indicator__in=[indicators[spec.code] for spec in specs],
            postal_area__in=areas.values(),
            statistics_year=report.statistics_year,
            breakdown="",
        )
        .order_by("pk")
    }
    new_values = []
    for row in rows:
        area = areas[row.postal_code]
        for spec in specs:
            indicator = indicators[spec.code]
            value, numerator, denominator, status = paavo_indicator_value(
                spec, row.values, row.missing_reasons
            )
            current = existing.get((indicator.pk, area.pk))
            if current is None:
                new_values.append(
                    IndicatorValue(
                        indicator=indicator,
                        postal_area=area,
                        statistics_year=report.statistics_year,
                        value=value,
                        numerator=numerator,
                        denominator=denominator,
                        status=status,
                    )
                )
                report.values_created += 1
            elif (current.value, current.numerator, current.denominator, current.status) == (
                value,
                numerator,
                denominator,
                status,
            ):
                report.values_unchanged += 1
            else:
                current.value, current.numerator = value, numerator
                current.denominator, current.status = denominator, status
                current.save(update_fields=["value", "numerator", "denominator", "status"])
                report.values_updated += 1
    IndicatorValue.objects.bulk_create(new_values)
    # Values of postal areas whose record the file removed go with the record.
    IndicatorValue.objects.filter(
        indicator__in=[indicators[spec.code] for spec in specs],
        postal_area__code__in=report.removed_postal_codes,
        statistics_year=report.statistics_year,
    ).delete()
    for spec in specs:
        indicator = indicators[spec.code]
        if (indicator.statistics_year or 0) < report.statistics_year:
            indicator.statistics_year = report.statistics_year
            indicator.save(update_fields=["statistics_year"])


def load_feature_collection(path: str | Path | bytes | BinaryIO) -> dict:
    """Return a GeoJSON FeatureCollection as a dict; raise GeometryImportError if it is not one."""
    try:
        collection = json.loads(_read_bytes(path).decode("utf-8-sig"))
    except UnicodeDecodeError:
        raise GeometryImportError(_("The file is not UTF-8 text.")) from None
    except json.JSONDecodeError as error:
        raise GeometryImportError(
            _("The file is not valid JSON (line %(line)d, column %(column)d).")
            % {"line": error.lineno, "column": error.colno}
        ) from None
    if not isinstance(collection, dict) or collection.get("type") != "FeatureCollection":
        raise GeometryImportError(_("The file is not a GeoJSON FeatureCollection."))
    if not isinstance(collection.get("features"), list):
        raise GeometryImportError(_("The FeatureCollection has no list of features."))
    return collection


def _source_transformer(collection: dict) -> tuple[str, Transformer | None]:
    """Return the name of the collection's CRS and a transformer to WGS84, None if it is WGS84.

    A collection without `crs` is WGS84, as RFC 7946 defines. EPSG:4326 is read with longitude
    first, as GeoJSON writers do, although the EPSG definition puts latitude first.
    """
    crs_member = collection.get("crs")
    if crs_member is None:
        return "OGC:CRS84", None
    name = (
        (crs_member.get("properties") or {}).get("name") if isinstance(crs_member, dict) else None
    )
    try:
        authority = CRS.from_user_input(name).to_authority() if name else None
    except (CRSError, TypeError):
        authority = None
    if authority in _WGS84_AUTHORITIES:
        return ":".join(authority), None
    if authority == _ETRS_TM35FIN_AUTHORITY:
        return "EPSG:3067", Transformer.from_crs("EPSG:3067", "OGC:CRS84", always_xy=True)
    raise GeometryImportError(
        _(
            "The coordinate reference system %(crs)s is not supported. Use WGS84 (EPSG:4326) "
            "or ETRS-TM35FIN (EPSG:3067)."
        )
        % {"crs": str(name)[:80]}
    )


def _read_features(
    collection: dict,
    to_wgs84: Transformer | None,
    municipality_code: str,
    municipality_name: str,
) -> list[tuple[str, str, dict, bool]]:
    """Return (postal code, name, WGS84 GeoJSON geometry, in scope) for each feature."""
    polygons = []
    seen: dict[str, int] = {}
    for number, feature in enumerate(collection["features"], start=1):
        properties = (feature.get("properties") if isinstance(feature, dict) else None) or {}
        code = properties.get("postinumeroalue", properties.get("posti_alue"))
        if isinstance(code, int):
            code = str(code).zfill(5)
        if not isinstance(code, str) or not _POSTAL_CODE.fullmatch(code.strip()):
            raise GeometryImportError(
                _(
                    "Feature %(number)d has no five-digit postal code in its postinumeroalue "
                    "or posti_alue property."
                )
                % {"number": number}
            )
        code = code.strip()
        if code in seen:
            raise GeometryImportError(
                _("Feature %(number)d repeats the postal code %(code)s of feature %(first)d.")
                % {"number": number, "code": code, "first": seen[code]}
            )
        seen[code] = number
        geometry = _read_polygon(number, code, feature.get("geometry"), to_wgs84)
        name = str(properties.get("nimi") or "")[:_NAME_MAX_LENGTH]
        in_scope = _feature_in_scope(properties, municipality_code, municipality_name)
        polygons.append((code, name, geometry, in_scope))
    return polygons


def _read_polygon(number: int, code: str, geometry: object, to_wgs84: Transformer | None) -> dict:
    params = {"number": number, "code": code}
    try:
        polygon = shape(geometry)
    except (AttributeError, KeyError, TypeError, ValueError, ShapelyError):
        polygon = None
    if polygon is None or polygon.geom_type not in ("Polygon", "MultiPolygon") or polygon.is_empty:
        raise GeometryImportError(
            _("Feature %(number)d (postal code %(code)s) is not a Polygon or MultiPolygon.")
            % params
        )
    if not polygon.is_valid:
        raise GeometryImportError(
            _(
                "Feature %(number)d (postal code %(code)s) is not a valid polygon: its "
                "boundary crosses itself or its rings are not closed."
            )
            % params
        )
    if to_wgs84 is not None:
        polygon = shapely.transform(polygon, to_wgs84.transform, interleaved=False)
    min_lon, min_lat, max_lon, max_lat = polygon.bounds
    west, south, east, north = _FINLAND_BOUNDS
    if min_lon < west or max_lon > east or min_lat < south or max_lat > north:
        raise GeometryImportError(
            _(
                "Feature %(number)d (postal code %(code)s) lies outside Finland. Check that "
                "the file's crs member names the system of its coordinates (EPSG:3067 for "
                "metres) and that longitude comes before latitude."
            )
            % params
        )
    return mapping(shapely.set_precision(polygon, 10**-_COORDINATE_DECIMALS))


def _feature_in_scope(properties: dict, municipality_code: str, municipality_name: str) -> bool:
    """Return whether a feature belongs to the municipality.

    The `kunta` property may hold the municipality code (Paavo WFS) or its name (some extracts).
    A feature without `kunta` or `kunta_nimi` is taken to belong to the municipality.
    """
    code = municipality_code.strip().zfill(3)
    name = municipality_name.strip().casefold()
    municipality = properties.get("kunta")
    municipality_name = properties.get("kunta_nimi")
    if municipality is None and municipality_name is None:
        return True
    municipality = str(municipality or "").strip()
    return (
        municipality.zfill(3) == code
        or municipality.casefold() == name
        or str(municipality_name or "").strip().casefold() == name
    )


def _require_area_data_manager(user) -> None:
    from osallistu.participation import rules
    from osallistu.participation.rules import Action

    if not rules.can(user, Action.MANAGE_AREA_DATA, None):
        raise PermissionDenied(_("Only staff who manage area data may do this."))


def import_job_start(
    *, user, kind: str, uploaded_file, dry_run: bool, options: dict | None = None
) -> ImportJob:
    """Store an uploaded file as a queued ImportJob and enqueue its background task.

    `options` (statistics year, Sotkanet regions) are kept in the job's summary for the task.
    The task is enqueued after the commit, so that it always finds the job and its file.
    Raise PermissionDenied unless `user` may manage area data.
    """
    from .tasks import run_import_job

    _require_area_data_manager(user)
    with transaction.atomic():
        job = ImportJob.objects.create(
            kind=kind,
            dry_run=dry_run,
            file=uploaded_file,
            original_name=str(uploaded_file.name)[:255],
            summary={"options": options or {}},
            created_by=user,
        )
        language = get_language() or settings.LANGUAGE_CODE
        transaction.on_commit(lambda: run_import_job.enqueue(job.pk, language))
    logger.info("import job queued id=%s kind=%s dry_run=%s", job.pk, kind, dry_run)
    return job


def suburb_save(
    *, user, suburb: Suburb | None, name: str, slug: str, postal_areas: list[PostalArea]
) -> Suburb:
    """Create a suburb, or rename it, and set its postal areas; return the suburb.

    Raise PermissionDenied unless `user` may manage area data.
    """
    _require_area_data_manager(user)
    with transaction.atomic():
        if suburb is None:
            suburb = Suburb.objects.create(name=name, slug=slug)
        else:
            suburb = Suburb.objects.select_for_update().get(pk=suburb.pk)
            suburb.name = name
            suburb.save(update_fields=["name"])
        suburb.postal_areas.set(postal_areas)
    logger.info("suburb saved id=%s postal_areas=%s", suburb.pk, len(postal_areas))
    return suburb


# Example projects of the demo, marked as examples: (id, suburb slug, name, year, cost, service
# area, priority, prioritised for the coming year). Finnish, as the city's programme is.
EXAMPLE_INVESTMENTS = (
    (
        "esimerkki-1",
        "neulamaki",
        "Neulamäen koulun piha-alueen kunnostus (esimerkki)",
        2027,
        Decimal(350000),
        "Kasvun ja oppimisen palvelualue",
        1,
        True,
    ),
    (
        "esimerkki-2",
        "jynkka",
        "Jynkän kevyen liikenteen väylän valaistus (esimerkki)",
        2027,
        Decimal(180000),
        "Kaupunkiympäristön palvelualue",
        2,
        True,
    ),
    (
        "esimerkki-3",
        "petonen",
        "Petosen lähiliikuntapaikka (esimerkki)",
        2028,
        Decimal(220000),
        "Hyvinvoinnin edistämisen palvelualue",
        3,
        False,
    ),
)


@transaction.atomic
def example_investments_load() -> int:
    """Create the demo's example investment projects that are missing; return how many.

    Projects are found by their identifiers, so a second call adds nothing and keeps any edits.
    Suburbs that do not exist are skipped.
    """
    suburbs = Suburb.objects.in_bulk({row[1] for row in EXAMPLE_INVESTMENTS}, field_name="slug")
    created = 0
    for (
        external_id,
        slug,
        name,
        year,
        cost,
        service_area,
        priority,
        prioritised,
    ) in EXAMPLE_INVESTMENTS:
        if slug not in suburbs:
            continue
        _project, was_created = InvestmentProject.objects.get_or_create(
            external_id=external_id,
            defaults={
                "suburb": suburbs[slug],
                "name": name,
                "year": year,
                "cost": cost,
                "service_area": service_area,
                "priority": priority,
                "is_prioritised": prioritised,
                "is_example": True,
            },
        )
        created += was_created
    return created
