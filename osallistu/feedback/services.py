"""Writes of the feedback app: source settings, Open311 fetches and CSV imports.

Each write checks MANAGE_FEEDBACK_DATA for a signed-in user. Management commands pass
`user=None`, because a user who can run them already controls the server. Each write is audited.
"""

import datetime
import logging
from collections.abc import Iterable
from dataclasses import dataclass, field

from django.core.exceptions import PermissionDenied
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from osallistu.audit.services import record as audit_record
from osallistu.participation import rules
from osallistu.participation.rules import Action

from . import windows
from .models import FeedbackFetch, FeedbackRequest, FeedbackService, FeedbackSourceConfig
from .placement import AreaIndex
from .sources import FeedbackSourceError, RequestRecord, ServiceRecord
from .sources.csv_import import CsvFeedbackFile
from .sources.open311 import Open311Source

logger = logging.getLogger(__name__)

# Rows per query when existing requests are looked up, below SQLite's variable limit.
LOOKUP_BATCH = 500
# Rows of a CSV preview shown to staff.
PREVIEW_ROWS = 20


def _require_manager(user) -> None:
    if user is not None and not rules.can(user, Action.MANAGE_FEEDBACK_DATA, None):
        raise PermissionDenied(_("Only staff who manage feedback data may do this."))


@dataclass
class StoreResult:
    """Counts of created and updated requests, and of the flags that placement set."""

    created: int = 0
    updated: int = 0
    swapped: int = 0
    outside: int = 0
    unplaced: int = 0


@dataclass
class CsvImportResult:
    """A validated CSV file: its first rows placed, and what storing changed (None if previewed)."""

    row_count: int
    preview: list[dict] = field(default_factory=list)
    stored: StoreResult | None = None


def source_save(*, user, source: FeedbackSourceConfig) -> FeedbackSourceConfig:
    """Save a new or changed source configuration and audit it."""
    _require_manager(user)
    is_new = source.pk is None
    with transaction.atomic():
        source.save()
        audit_record(
            user,
            "feedback.create_source" if is_new else "feedback.change_source",
            source,
            summary=source.name,
            details={"kind": source.kind, "endpoint_url": source.endpoint_url},
        )
    return source


def feedback_fetch(
    *, user, source: FeedbackSourceConfig, since: datetime.date, until: datetime.date
) -> FeedbackFetch:
    """Fetch the source's services and its requests from `since` to `until` (both included).

    Return the stored FeedbackFetch: status DONE with its counts, or FAILED with the error in
    the user's language. Nothing is stored from a fetch that fails part way.
    """
    _require_manager(user)
    if not source.is_open311:
        raise ValueError("Only Open311 sources can be fetched; CSV sources are imported.")
    start = timezone.make_aware(datetime.datetime.combine(since, datetime.time.min))
    end = timezone.make_aware(datetime.datetime.combine(until, datetime.time.min))
    end += datetime.timedelta(days=1)
    adapter = Open311Source.from_config(source)
    try:
        services = adapter.fetch_services()
        outcome = windows.fetch_all(adapter, start, end)
    except FeedbackSourceError as error:
        logger.warning("feedback fetch failed source=%s error=%s", source.slug, error)
        with transaction.atomic():
            fetch = FeedbackFetch.objects.create(
                source=source,
                started_by=_signed_in(user),
                since=since,
                until=until,
                status=FeedbackFetch.Status.FAILED,
                error=str(error),
            )
            _audit_fetch(user, fetch)
        return fetch
    truncated = [[s.isoformat(), e.isoformat()] for s, e in outcome.truncated]
    if truncated:
        logger.warning("feedback fetch truncated source=%s windows=%s", source.slug, len(truncated))
    with transaction.atomic():
        stored = store_requests(source, services, outcome.records.values())
        fetch = FeedbackFetch.objects.create(
            source=source,
            started_by=_signed_in(user),
            since=since,
            until=until,
            status=FeedbackFetch.Status.DONE,
            created_count=stored.created,
            updated_count=stored.updated,
            skipped_count=outcome.skipped,
            call_count=outcome.calls + 1,
            truncated_windows=truncated,
        )
        _audit_fetch(user, fetch)
    logger.info(
        "feedback fetch done source=%s created=%s updated=%s calls=%s",
        source.slug,
        stored.created,
        stored.updated,
        fetch.call_count,
    )
    return fetch


def feedback_csv_import(
    *, user, source: FeedbackSourceConfig, content: bytes, dry_run: bool = False
) -> CsvImportResult:
    """Validate the CSV file and, unless `dry_run`, store all its requests.

    Raise CsvImportError listing every row error before anything is stored.
    """
    _require_manager(user)
    if source.is_open311:
        raise ValueError("CSV files are imported into CSV sources only.")
    parsed = CsvFeedbackFile.read(content)
    index = AreaIndex.load()
    result = CsvImportResult(row_count=len(parsed.records))
    for record in parsed.records[:PREVIEW_ROWS]:
        placement = index.place(record.lat, record.lon, record.postal_code)
        result.preview.append({"record": record, "placement": placement})
    if dry_run:
        return result
    with transaction.atomic():
        result.stored = store_requests(source, parsed.fetch_services(), parsed.records, index=index)
        fetch = FeedbackFetch.objects.create(
            source=source,
            started_by=_signed_in(user),
            status=FeedbackFetch.Status.DONE,
            created_count=result.stored.created,
            updated_count=result.stored.updated,
        )
        _audit_fetch(user, fetch)
    logger.info(
        "feedback csv import source=%s created=%s updated=%s",
        source.slug,
        result.stored.created,
        result.stored.updated,
    )
    return result


def store_requests(
    source: FeedbackSourceConfig,
    services: Iterable[ServiceRecord],
    records: Iterable[RequestRecord],
    *,
    index: AreaIndex | None = None,
    is_example: bool = False,
) -> StoreResult:
    """Create or update the source's services and requests, placing each request.

    Run in a transaction of its own, or as a savepoint of the caller's. The source row is locked,
    so two fetches of one source never create the same request twice. The unique constraint on
    (source, request id) backs this.
    """
    with transaction.atomic():
        return _store_requests(source, services, records, index=index, is_example=is_example)


def _store_requests(
    source: FeedbackSourceConfig,
    services: Iterable[ServiceRecord],
    records: Iterable[RequestRecord],
    *,
    index: AreaIndex | None,
    is_example: bool,
) -> StoreResult:
    FeedbackSourceConfig.objects.select_for_update().filter(pk=source.pk).first()
    records = list(records)
    index = index or AreaIndex.load()
    service_by_code = _store_services(source, services, records)
    existing = _existing_requests(source, [r.service_request_id for r in records])
    result = StoreResult()
    to_create, to_update = [], []
    for record in records:
        placement = index.place(record.lat, record.lon, record.postal_code)
        request = existing.get(record.service_request_id) or FeedbackRequest(
            source=source, service_request_id=record.service_request_id
        )
        request.service = service_by_code[record.service_code]
        request.requested_at = record.requested_at
        request.status = record.status[:40]
        request.detailed_status = record.detailed_status
        request.lat = placement.lat
        request.lon = placement.lon
        request.postal_code = record.postal_code
        request.postal_area = placement.postal_area
        request.placement = placement.method
        request.swapped_coordinates = placement.swapped_coordinates
        request.outside_city = placement.outside_city
        request.is_example = is_example
        request.imported_at = timezone.now()
        (to_update if request.pk else to_create).append(request)
        result.swapped += placement.swapped_coordinates
        result.outside += placement.outside_city
        result.unplaced += placement.postal_area is None
    FeedbackRequest.objects.bulk_create(to_create, batch_size=LOOKUP_BATCH)
    FeedbackRequest.objects.bulk_update(
        to_update,
        [
            "service",
            "requested_at",
            "status",
            "detailed_status",
            "lat",
            "lon",
            "postal_code",
            "postal_area",
            "placement",
            "swapped_coordinates",
            "outside_city",
            "is_example",
            "imported_at",
        ],
        batch_size=LOOKUP_BATCH,
    )
    result.created = len(to_create)
    result.updated = len(to_update)
    return result


def _store_services(
    source: FeedbackSourceConfig,
    services: Iterable[ServiceRecord],
    records: list[RequestRecord],
) -> dict[str, FeedbackService]:
    """Create or rename the services, also those only requests name; return them by code."""
    by_code = {service.code: service for service in source.services.all()}
    listed = {service.code: service for service in services}
    for record in records:
        # A request may use a code the service list leaves out; its own name is the best name.
        listed.setdefault(
            record.service_code, ServiceRecord(code=record.service_code, name=record.service_name)
        )
    for code, item in listed.items():
        service = by_code.get(code)
        if service is None:
            by_code[code] = FeedbackService.objects.create(
                source=source, code=code, name=item.name[:300], group=item.group[:300]
            )
            continue
        name, group = item.name[:300], (item.group or service.group)[:300]
        if name and (service.name, service.group) != (name, group):
            service.name, service.group = name, group
            service.save(update_fields=["name", "group"])
    return by_code


def _existing_requests(source, request_ids: list[str]) -> dict[str, FeedbackRequest]:
    existing = {}
    for offset in range(0, len(request_ids), LOOKUP_BATCH):
        batch = request_ids[offset : offset + LOOKUP_BATCH]
        for request in FeedbackRequest.objects.filter(source=source, service_request_id__in=batch):
            existing[request.service_request_id] = request
    return existing


def _signed_in(user):
    return user if user is not None and user.is_authenticated else None


def _audit_fetch(user, fetch: FeedbackFetch) -> None:
    audit_record(
        user,
        "feedback.fetch_requests",
        fetch.source,
        summary=fetch.get_status_display(),
        details={
            "fetch_id": fetch.pk,
            "since": fetch.since.isoformat() if fetch.since else None,
            "until": fetch.until.isoformat() if fetch.until else None,
            "created": fetch.created_count,
            "updated": fetch.updated_count,
            "truncated_windows": len(fetch.truncated_windows),
        },
    )
