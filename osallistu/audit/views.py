from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.core.paginator import Paginator
from django.shortcuts import render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_safe

from osallistu.core.csv_export import streaming_csv_response
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


@login_required
@require_safe
def event_csv(request):
    """Return the filtered audit log as CSV, streamed so that a long log needs little memory."""
    _require_auditor(request)
    form = AuditFilterForm(request.GET)
    form.is_valid()
    events = selectors.audit_event_list(**form.filters())
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
    rows = (
        [
            timezone.localtime(event.occurred_at).isoformat(),
            event.actor_label,
            event.action,
            event.target_type,
            event.target_id,
            event.target_label,
            event.process,
            event.suburb,
            event.summary,
        ]
        for event in events.iterator(chunk_size=1000)
    )
    filename = f"audit-log-{timezone.localdate().isoformat()}.csv"
    return streaming_csv_response(header, rows, filename)
