from urllib.parse import urlencode

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.contrib.auth.views import redirect_to_login
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.paginator import Paginator
from django.http import Http404, HttpResponse
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST, require_safe

from osallistu.participation.models import Process

from . import calendar, selectors, services
from .forms import EventCommentForm, EventFilterForm, EventForm, EventIdeaForm, OutcomeForm
from .models import Event, Registration
from .permissions import (
    can_enter_on_behalf,
    can_manage_events,
    can_view_statistics,
    manageable_processes,
)

EVENTS_PER_PAGE = 20
# The latest contributions entered for an event, listed under the entry form as a receipt.
ENTERED_SHOWN = 20


def get_event(slug: str) -> Event:
    """Return the event with its process, suburb, co-hosts and counts, or raise Http404."""
    try:
        return selectors.event_detail(slug)
    except Event.DoesNotExist:
        raise Http404(_("No such event.")) from None


def get_process(slug: str) -> Process:
    try:
        return Process.objects.get(slug=slug)
    except Process.DoesNotExist:
        raise Http404(_("No such process.")) from None


def _check_manager(user, event: Event) -> None:
    if not can_manage_events(user, event.process):
        raise PermissionDenied(_("Only the process's coordinators and administrators may do this."))


@require_safe
def event_list(request):
    filters = EventFilterForm(request.GET)
    filters.is_valid()
    when = filters.cleaned_data.get("when") or selectors.UPCOMING
    kind = filters.cleaned_data.get("kind") or None
    page = Paginator(selectors.event_list(when=when, kind=kind), EVENTS_PER_PAGE).get_page(
        request.GET.get("page")
    )
    return render(
        request,
        "events/event_list.html",
        {
            "filters": filters,
            "when": when,
            "page": page,
            "filter_query": urlencode({"when": when, "kind": kind or ""}),
            "can_create": can_manage_events(request.user, None),
        },
    )


@require_safe
def event_detail(request, slug: str):
    event = get_event(slug)
    registration = selectors.registration_of(request.user, event)
    places_left = None
    if event.capacity is not None:
        places_left = max(event.capacity - event.confirmed_count, 0)
    return render(
        request,
        "events/event_detail.html",
        {
            "event": event,
            "registration": registration,
            "waiting_position": (
                selectors.waiting_position(registration)
                if registration and registration.status == Registration.Status.WAITING
                else None
            ),
            "places_left": places_left,
            "registration_open": services.registration_is_open(event),
            "can_manage": can_manage_events(request.user, event.process),
            "outcome": selectors.event_outcome(event),
            "ideas": selectors.event_ideas(event)[:20],
        },
    )


@require_POST
def event_register(request, slug: str):
    event = get_event(slug)
    if not request.user.is_authenticated:
        return redirect_to_login(event.get_absolute_url())
    try:
        registration = services.registration_create(user=request.user, event=event)
    except ValidationError as error:
        messages.error(request, " ".join(error.messages))
        return redirect(event)
    if registration.status == Registration.Status.CONFIRMED:
        messages.success(request, _("You have registered for the event. Welcome!"))
    else:
        messages.success(
            request,
            _(
                "The event is full, so you are on the waiting list in place %(position)d. You "
                "will get a notification if a place becomes free."
            )
            % {"position": selectors.waiting_position(registration)},
        )
    return redirect(event)


@require_POST
def event_cancel(request, slug: str):
    event = get_event(slug)
    if not request.user.is_authenticated:
        return redirect_to_login(event.get_absolute_url())
    try:
        services.registration_cancel(user=request.user, event=event)
    except ValidationError as error:
        messages.error(request, " ".join(error.messages))
        return redirect(event)
    messages.success(request, _("Your registration has been cancelled."))
    return redirect(event)


def _calendar_response(request, events, *, filename: str, name: str = "") -> HttpResponse:
    content = calendar.calendar_file(
        events, host=request.get_host(), absolute_url=request.build_absolute_uri, name=name
    )
    response = HttpResponse(content, content_type="text/calendar; charset=utf-8")
    response["Content-Disposition"] = f'attachment; filename="{filename}"'
    return response


@require_safe
def event_calendar(request, slug: str):
    event = get_event(slug)
    return _calendar_response(request, [event], filename=f"{event.slug}.ics")


@require_safe
def process_calendar(request, process_slug: str):
    process = get_process(process_slug)
    return _calendar_response(
        request,
        selectors.process_events(process),
        filename=f"{process.slug}.ics",
        name=process.title,
    )


def _save_event(request, form: EventForm, *, event: Event | None):
    """Save the valid form through the service. Return the event, or None after adding errors."""
    try:
        if event is None:
            return services.event_create(user=request.user, **form.cleaned_data)
        return services.event_update(user=request.user, event=event, **form.cleaned_data)
    except ValidationError as error:
        form.add_error(None, error)
    except PermissionDenied as error:
        form.add_error("process", str(error))
    return None


@login_required
def event_create(request):
    processes = manageable_processes(request.user)
    allow_no_process = can_manage_events(request.user, None)
    if not processes and not allow_no_process:
        raise PermissionDenied(_("Only coordinators and administrators may create events."))
    form_options = {"processes": processes, "allow_no_process": allow_no_process}
    if request.method == "POST":
        form = EventForm(request.POST, **form_options)
        if form.is_valid() and (event := _save_event(request, form, event=None)):
            messages.success(request, _("The event has been created."))
            return redirect(event)
    else:
        slug = request.GET.get("process")
        initial = {"process": next((p for p in processes if p.slug == slug), None)}
        form = EventForm(initial=initial, **form_options)
    return render(request, "events/event_form.html", {"form": form, "event": None})


@login_required
def event_edit(request, slug: str):
    event = get_event(slug)
    _check_manager(request.user, event)
    form_options = {
        "processes": manageable_processes(request.user),
        "allow_no_process": can_manage_events(request.user, None),
        "instance": event,
    }
    if request.method == "POST":
        form = EventForm(request.POST, **form_options)
        if form.is_valid() and _save_event(request, form, event=event):
            messages.success(request, _("The event has been saved."))
            return redirect(event)
    else:
        form = EventForm(**form_options)
    return render(request, "events/event_form.html", {"form": form, "event": event})


@login_required
def outcome_edit(request, slug: str):
    event = get_event(slug)
    _check_manager(request.user, event)
    outcome = selectors.event_outcome(event)
    if request.method == "POST":
        form = OutcomeForm(request.POST)
        if form.is_valid():
            try:
                services.outcome_record(
                    user=request.user,
                    event=event,
                    summary=form.cleaned_data["summary"],
                    participants_by_age_group=form.participants_by_age_group(),
                )
            except ValidationError as error:
                form.add_error(None, error)
            else:
                messages.success(request, _("The outcome of the event has been saved."))
                return redirect(event)
    else:
        form = OutcomeForm(initial=OutcomeForm.initial_from(outcome) if outcome else None)
    return render(
        request,
        "events/outcome_form.html",
        {
            "event": event,
            "form": form,
            "has_started": event.starts_at <= timezone.now(),
        },
    )


def _offline_entry(request, slug: str, *, form_class, save, entered, template: str, success: str):
    """Show and handle a staff form for a contribution collected at an event.

    After a save the empty form comes back, because staff usually type in a pile of paper forms
    one after another.
    """
    event = get_event(slug)
    if event.process is None:
        raise Http404(_("Link the event to a process before entering its ideas and comments."))
    if not can_enter_on_behalf(request.user, event.process):
        raise PermissionDenied(
            _("Only the process's coordinators and administrators may enter contributions.")
        )
    if request.method == "POST":
        form = form_class(request.POST, process=event.process)
        if form.is_valid():
            try:
                save(event, form.cleaned_data)
            except ValidationError as error:
                form.add_error(None, error)
            except PermissionDenied as error:
                form.add_error(None, str(error))
            else:
                messages.success(request, success)
                return redirect(request.path)
    else:
        form = form_class(process=event.process)
    return render(
        request,
        template,
        {"event": event, "form": form, "entered": entered(event)[:ENTERED_SHOWN]},
    )


@login_required
def event_idea_create(request, slug: str):
    def save(event, data):
        services.event_idea_create(user=request.user, event=event, **data)

    return _offline_entry(
        request,
        slug,
        form_class=EventIdeaForm,
        save=save,
        entered=selectors.entered_ideas,
        template="events/event_idea_form.html",
        success=_("The idea has been saved. You can enter the next one."),
    )


@login_required
def event_comment_create(request, slug: str):
    def save(event, data):
        services.event_comment_create(user=request.user, event=event, **data)

    return _offline_entry(
        request,
        slug,
        form_class=EventCommentForm,
        save=save,
        entered=selectors.entered_comments,
        template="events/event_comment_form.html",
        success=_("The comment has been saved. You can enter the next one."),
    )


@login_required
@require_safe
def process_statistics(request, process_slug: str):
    process = get_process(process_slug)
    if not can_view_statistics(request.user, process):
        raise PermissionDenied(
            _(
                "Only the process's coordinators, administrators and evaluators may see its "
                "statistics."
            )
        )
    return render(
        request,
        "events/statistics.html",
        {
            "process": process,
            "statistics": selectors.process_statistics(process),
            "can_manage": can_manage_events(request.user, process),
        },
    )
