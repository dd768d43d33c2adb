"""Views for one-off participation: the take-part page of a process and its staff page.

Anyone may answer a poll or click support without an account. The participant is the browser
session, created on the first answer, or the account when signed in.
"""

import functools

from allauth.account.adapter import get_adapter
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import Http404
from django.shortcuts import redirect, render
from django.urls import path, reverse
from django.utils.translation import gettext as _
from django.utils.translation import ngettext
from django.views.decorators.http import require_POST, require_safe

from .. import selectors, services
from ..models import Poll, PollOption, Process
from ..one_off_forms import SUPPORT_TARGET, OfflineTallyForm, PollForm
from .processes import get_process

# Stored in an otherwise empty session so that Django saves it and sends its cookie.
_SESSION_MARKER = "one_off_participant"


def _participant_key(request, *, create: bool) -> tuple[str | None, bool]:
    """Return the participant key of the request and whether it is a signed-in user.

    An anonymous visitor without a session gets one only when `create` is set, that is when
    they answer; looking at the page sets no cookie.
    """
    if request.user.is_authenticated:
        return services.participant_key(user_id=request.user.pk), True
    if request.session.session_key is None:
        if not create:
            return None, False
        request.session[_SESSION_MARKER] = True
        request.session.save()
    return services.participant_key(session_key=request.session.session_key), False


def _take_part_url(process: Process, anchor: str = "") -> str:
    url = reverse("participation:take_part", args=[process.slug])
    return f"{url}#{anchor}" if anchor else url


def _render_take_part(request, process: Process, *, status: int = 200):
    key, _is_signed_in = _participant_key(request, create=False)
    state = selectors.take_part(process, participant_key=key, user=request.user)
    return render(
        request,
        "participation/take_part.html",
        {"process": process, "take_part": state},
        status=status,
    )


def _rejected(request, process: Process, error: Exception):
    """Show the take-part page again with the reason why an answer was not counted."""
    if isinstance(error, PermissionDenied):
        messages.error(request, str(error))
        return _render_take_part(request, process, status=403)
    codes = {item.code for item in error.error_list}
    messages.error(request, " ".join(error.messages))
    return _render_take_part(request, process, status=429 if "rate_limited" in codes else 400)


@require_safe
def take_part(request, slug: str):
    return _render_take_part(request, get_process(slug))


def _count_once(request, process: Process, record, *, anchor: str, counted: str, already: str):
    """Call the service `record` for this participant and redirect with the outcome.

    `record` is support_click, or poll_answer with its poll and option bound.
    """
    key, is_signed_in = _participant_key(request, create=True)
    try:
        was_counted = record(
            user=request.user,
            process=process,
            participant_key=key,
            is_signed_in=is_signed_in,
            client_ip=get_adapter(request).get_client_ip(request),
        )
    except (PermissionDenied, ValidationError) as error:
        return _rejected(request, process, error)
    if was_counted:
        messages.success(request, counted)
    else:
        messages.info(request, already)
    return redirect(_take_part_url(process, anchor))


@require_POST
def support(request, slug: str):
    return _count_once(
        request,
        get_process(slug),
        services.support_click,
        anchor="support",
        counted=_("Thank you! Your support has been counted."),
        already=_("Your support was counted already. Each person counts once."),
    )


@require_POST
def poll_answer(request, slug: str, poll_id: int):
    process = get_process(slug)
    poll = Poll.objects.filter(process=process, pk=poll_id).first()
    if poll is None:
        raise Http404(_("No such poll."))
    option_id = request.POST.get("option", "")
    option = None
    if option_id.isdigit():
        option = PollOption.objects.filter(poll=poll, pk=int(option_id)).first()
    if option is None:
        messages.error(request, _("Choose one of the answers."))
        return _render_take_part(request, process, status=400)
    return _count_once(
        request,
        process,
        functools.partial(services.poll_answer, poll=poll, option=option),
        anchor=f"poll-{poll.pk}",
        counted=_("Thank you! Your answer has been counted."),
        already=_("Your answer to this poll was counted already."),
    )


def _require_manager(request, process: Process) -> None:
    if not selectors.can_manage_one_off(request.user, process):
        raise PermissionDenied(_("You do not have the right to manage polls."))


@login_required
def take_part_manage(request, slug: str):
    """Create polls and type in answers collected offline, on one staff page."""
    process = get_process(slug)
    _require_manager(request, process)
    open_polls = list(
        Poll.objects.filter(process=process, is_open=True).prefetch_related("options")
    )
    poll_form = PollForm(prefix="poll")
    tally_form = OfflineTallyForm(prefix="tally", polls=open_polls)
    if request.method == "POST" and "poll-question" in request.POST:
        poll_form = PollForm(request.POST, prefix="poll")
        if poll_form.is_valid():
            try:
                services.poll_create(request.user, process=process, **poll_form.cleaned_data)
            except ValidationError as error:
                poll_form.add_error(None, error)
            else:
                messages.success(request, _("The poll has been opened."))
                return redirect("participation:take_part_manage", slug=process.slug)
    elif request.method == "POST":
        tally_form = OfflineTallyForm(request.POST, prefix="tally", polls=open_polls)
        if tally_form.is_valid():
            if _record_tally(request, process, tally_form, open_polls):
                return redirect("participation:take_part_manage", slug=process.slug)
    return render(
        request,
        "participation/take_part_manage.html",
        {
            "process": process,
            "poll_form": poll_form,
            "tally_form": tally_form,
            "polls": Poll.objects.filter(process=process).order_by("-is_open", "-created_at"),
        },
    )


def _record_tally(request, process: Process, form: OfflineTallyForm, open_polls) -> bool:
    """Record the tally of a valid form and return True, or add the service's errors to it."""
    target = form.cleaned_data["target"]
    poll = option = None
    if target != SUPPORT_TARGET:
        option_id = int(target.removeprefix("option-"))
        option = next(
            option for poll in open_polls for option in poll.options.all() if option.pk == option_id
        )
        poll = next(poll for poll in open_polls if poll.pk == option.poll_id)
    try:
        count = services.one_off_record_offline(
            request.user,
            process=process,
            channel=form.cleaned_data["channel"],
            count=form.cleaned_data["count"],
            poll=poll,
            option=option,
        )
    except ValidationError as error:
        form.add_error(None, error)
        return False
    messages.success(
        request,
        ngettext(
            "%(count)d answer has been recorded.", "%(count)d answers have been recorded.", count
        )
        % {"count": count},
    )
    return True


@require_POST
@login_required
def poll_set_open(request, slug: str, poll_id: int):
    process = get_process(slug)
    _require_manager(request, process)
    poll = Poll.objects.filter(process=process, pk=poll_id).first()
    if poll is None:
        raise Http404(_("No such poll."))
    is_open = request.POST.get("open") == "1"
    services.poll_set_open(request.user, poll, is_open=is_open)
    if is_open:
        messages.success(request, _("The poll has been opened."))
    else:
        messages.success(request, _("The poll has been closed."))
    return redirect("participation:take_part_manage", slug=process.slug)


urlpatterns = [
    path("<slug:slug>/take-part/", take_part, name="take_part"),
    path("<slug:slug>/take-part/support/", support, name="take_part_support"),
    path("<slug:slug>/take-part/polls/<int:poll_id>/", poll_answer, name="poll_answer"),
    path("<slug:slug>/take-part/manage/", take_part_manage, name="take_part_manage"),
    path("<slug:slug>/take-part/polls/<int:poll_id>/open/", poll_set_open, name="poll_set_open"),
]
