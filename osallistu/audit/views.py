import csv

from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.core.paginator import Paginator
from django.http import StreamingHttpResponse
from django.shortcuts import render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_safe

from osallistu.participation import rules
from osallistu.participation.rules import Action

from . import selectors
from .forms import AuditFilterForm

PAGE_SIZE = 50


def _require_auditor(request) -> None:
    if not rules.can(request.user, Action.VIEW_AUDIT_LOG):
        raise PermissionDenied


@login_required
@require_safe
def event_list(request):
    """List the audit log of staff actions, searched and filtered from the query string."""
    _require_auditor(request)
    form = AuditFilterForm(request.GET)
    form.is_valid()
    events = selectors.audit_event_list(**form.filters())
    page = Paginator(events, PAGE_SIZE).get_page(request.GET.get("page"))
    query = request.GET.copy()
    query.pop("page", None)
    return render(
        request, "audit/event_list.html", {"form": form, "page": page, "query": query.urlencode()}
    )


class _Echo:
    """A file-like object whose write() returns the line, for streaming csv.writer output."""

    def write(self, value: str) -> str:
        return value


def _csv_cell(value) -> str:
    text = "" if value is None else str(value)
    # Spreadsheets run a cell that starts with these characters as a formula.
    if text[:1] in ("=", "+", "-", "@", "\t", "\r"):
        return "'" + text
    return text


@login_required
@require_safe
def event_csv(request):
    """Return the filtered audit log as CSV, streamed so that a long log needs little memory."""
    _require_auditor(request)
    form = AuditFilterForm(request.GET)
    form.is_valid()
    events = selectors.audit_event_list(**form.filters())
    writer = csv.writer(_Echo())
    header = [
        _("Time"),
        _("Staff member"),
        _("Action"),
        _("Target type"),
        _("Target ID"),
        _("Target name"),
        _("Process"),
        _("Suburb"),
        _("Summary"),
    ]

    def rows():
        yield writer.writerow(header)
        for event in events.iterator(chunk_size=1000):
            yield writer.writerow(
                [
                    _csv_cell(timezone.localtime(event.occurred_at).isoformat()),
                    _csv_cell(event.actor_label),
                    _csv_cell(event.action),
                    _csv_cell(event.target_type),
                    _csv_cell(event.target_id),
                    _csv_cell(event.target_label),
                    _csv_cell(event.process),
                    _csv_cell(event.suburb),
                    _csv_cell(event.summary),
                ]
            )

    response = StreamingHttpResponse(rows(), content_type="text/csv; charset=utf-8")
    filename = f"audit-log-{timezone.localdate().isoformat()}.csv"
    response["Content-Disposition"] = f'attachment; filename="{filename}"'
    return response
