from csp.decorators import csp_replace
from django.http import HttpResponse
from django.shortcuts import get_object_or_404, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.clickjacking import xframe_options_exempt
from django.views.decorators.http import require_safe

from osallistu.areas.models import Indicator, Suburb
from osallistu.events import calendar
from osallistu.events.models import Event
from osallistu.implementation import exports as implementation_exports
from osallistu.participation import rules
from osallistu.participation.models import Process

from . import exports, selectors

LICENCE_URL = "https://creativecommons.org/licenses/by/4.0/"


@require_safe
def index(request):
    return render(
        request,
        "opendata/index.html",
        {
            "indicators": selectors.indicators(),
            "processes": selectors.processes(),
            "suburbs": selectors.suburbs(),
            "licence_url": LICENCE_URL,
        },
    )


def _csv_response(content: str, filename: str) -> HttpResponse:
    # A byte order mark lets spreadsheet programs read the UTF-8 (ä, ö) correctly.
    response = HttpResponse("\ufeff" + content, content_type="text/csv; charset=utf-8")
    response["Content-Disposition"] = f'attachment; filename="{filename}"'
    response["Link"] = f'<{LICENCE_URL}>; rel="license"'
    return response


@require_safe
def indicators_csv(request):
    return _csv_response(exports.indicators_csv(), "indicators.csv")


@require_safe
def indicator_values_csv(request, code: str):
    indicator = get_object_or_404(Indicator, code=code)
    return _csv_response(exports.indicator_values_csv(indicator), f"{indicator.code}.csv")


@require_safe
def processes_csv(request):
    return _csv_response(exports.processes_csv(), "processes.csv")


@require_safe
def implementation_csv(request):
    return _csv_response(implementation_exports.items_csv(), "implementation.csv")


@require_safe
def ideas_csv(request, slug: str):
    process = get_object_or_404(Process, slug=slug)
    return _csv_response(exports.ideas_csv(process), f"{process.slug}-ideas.csv")


def _calendar(request, events, *, filename: str, name: str) -> HttpResponse:
    content = calendar.calendar_file(
        events, host=request.get_host(), absolute_url=request.build_absolute_uri, name=name
    )
    response = HttpResponse(content, content_type="text/calendar; charset=utf-8")
    response["Content-Disposition"] = f'inline; filename="{filename}"'
    return response


@require_safe
def events_ics(request):
    """Return a calendar feed of all events that have not ended."""
    events = Event.objects.filter(ends_at__gte=timezone.now()).order_by("starts_at")
    return _calendar(request, events, filename="events.ics", name=_("Participation events"))


@require_safe
def suburb_events_ics(request, slug: str):
    suburb = get_object_or_404(Suburb, slug=slug)
    events = Event.objects.filter(suburb=suburb, ends_at__gte=timezone.now()).order_by("starts_at")
    return _calendar(
        request,
        events,
        filename=f"{suburb.slug}.ics",
        name=_("Participation events in %(suburb)s") % {"suburb": suburb.name},
    )


@require_safe
@xframe_options_exempt
# Other sites show this page in an iframe: any site may frame it, and it has nothing to click
# through on this site (its one link opens a new window).
@csp_replace({"frame-ancestors": ["*"]})
def embed_process(request, slug: str):
    """Render a plain summary of a process for other sites to show in an iframe, without scripts."""
    process = get_object_or_404(Process.objects.prefetch_related("phases", "suburbs"), slug=slug)
    return render(
        request,
        "opendata/embed_process.html",
        {
            "process": process,
            "current_phase": rules.current_phase(process),
            "next_phase": rules.next_phase(process),
        },
    )
