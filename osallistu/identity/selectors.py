"""Reads for the ballot: which record the session holds and where it may vote."""

from django.db.models import QuerySet

from osallistu.budgeting.models import BudgetArea
from osallistu.participation.models import Process

from .models import EligibilityRecord
from .services import budgeting_settings, residence_decides_area

# Session key of {process id: eligibility record id}; nothing else about the person is kept there.
SESSION_KEY = "identity_eligibility"


def session_record(request, process: Process) -> EligibilityRecord | None:
    """Return the eligibility record that this session established for `process`, if any."""
    record_id = request.session.get(SESSION_KEY, {}).get(str(process.pk))
    if record_id is None:
        return None
    return (
        EligibilityRecord.objects.select_related("process").filter(pk=record_id, process=process)
    ).first()


def remember_record(request, record: EligibilityRecord) -> None:
    """Keep the record's id in the session, rotating the session key against fixation."""
    records = dict(request.session.get(SESSION_KEY, {}))
    records[str(record.process_id)] = record.pk
    request.session.cycle_key()
    request.session[SESSION_KEY] = records


def forget_record(request, process: Process) -> None:
    """Drop the process's record from the session, for example after the ballot is cast."""
    records = dict(request.session.get(SESSION_KEY, {}))
    if records.pop(str(process.pk), None) is not None:
        request.session[SESSION_KEY] = records


def eligible_areas(record: EligibilityRecord) -> QuerySet[BudgetArea]:
    """Return the areas of the record's process in which the person may vote.

    Where the postal code decides the area (`residence_decides_area`), these are the areas whose
    postal codes include the record's. Otherwise every area of the process is returned.
    """
    areas = BudgetArea.objects.filter(process_id=record.process_id).order_by("name")
    if not residence_decides_area(record.process, budgeting_settings(record.process)):
        return areas
    # JSON containment lookups differ between SQLite and PostgreSQL; a process has few areas.
    matching = [area.pk for area in areas if record.postal_code in (area.postal_codes or [])]
    return areas.filter(pk__in=matching)
