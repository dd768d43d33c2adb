from django.contrib import messages
from django.contrib.auth import get_user_model
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ObjectDoesNotExist, PermissionDenied, ValidationError
from django.core.paginator import Paginator
from django.http import Http404
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST, require_safe

from osallistu.core.csv_export import streaming_csv_response
from osallistu.notifications.views import redirect_back
from osallistu.participation.models import Visibility

from . import selectors, services
from .forms import BlockForm, HideForm, LogFilterForm, ReportForm, RestoreForm, UnblockForm
from .models import AccountBlock


def _content_or_404(kind: str, pk: int):
    try:
        return selectors.get_content(kind, pk)
    except (LookupError, ObjectDoesNotExist):
        raise Http404(_("Content not found.")) from None


def _require_moderator(request, content) -> None:
    if not selectors.is_moderator(request.user, selectors.content_process(content)):
        raise PermissionDenied(_("Only the moderators of this process may moderate its content."))


def _require_account_moderator(request) -> None:
    if not selectors.is_account_moderator(request.user):
        raise PermissionDenied(_("Only city-wide moderators may do this."))


@login_required
def report(request, kind: str, pk: int):
    """Show and handle the report form of an idea or comment."""
    content = _content_or_404(kind, pk)
    if content.visibility != Visibility.VISIBLE:
        raise Http404(_("Content not found."))
    form = ReportForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            services.report_create(request.user, content, reason=form.cleaned_data["reason"])
        except ValidationError as error:
            form.add_error(None, error)
        else:
            messages.success(request, _("Thank you. A moderator will look at your report."))
            return redirect_back(request, selectors.content_url(content))
    return render(
        request,
        "moderation/report_form.html",
        {"form": form, "content": content, "kind": kind, "next": _next(request)},
    )


def _next(request) -> str:
    return request.POST.get("next") or request.GET.get("next") or ""


@login_required
@require_safe
def queue(request):
    """List reported and pending content of the processes the user moderates, oldest first."""
    if not selectors.moderates_anything(request.user):
        raise PermissionDenied(_("Only moderators may see the moderation queue."))
    page = Paginator(selectors.moderation_queue(request.user), 25).get_page(request.GET.get("page"))
    return render(
        request,
        "moderation/queue.html",
        {"page": page, "can_block": selectors.is_account_moderator(request.user)},
    )


def _content_action(request, kind, pk, *, form_class, service, template, success_message):
    content = _content_or_404(kind, pk)
    _require_moderator(request, content)
    form = form_class(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            service(request.user, content, form.cleaned_data["reason"])
        except ValidationError as error:
            form.add_error(None, error)
        else:
            messages.success(request, success_message)
            return redirect_back(request, "moderation:queue")
    return render(
        request,
        template,
        {"form": form, "content": content, "kind": kind, "next": _next(request)},
    )


@login_required
def hide(request, kind: str, pk: int):
    """Show and handle the form that hides an idea or comment with a reason."""
    return _content_action(
        request,
        kind,
        pk,
        form_class=HideForm,
        service=services.content_hide,
        template="moderation/hide_form.html",
        success_message=_("The content is hidden, and its reason is shown in its place."),
    )


@login_required
def restore(request, kind: str, pk: int):
    """Show and handle the form that shows a hidden idea or comment again."""
    return _content_action(
        request,
        kind,
        pk,
        form_class=RestoreForm,
        service=services.content_restore,
        template="moderation/restore_form.html",
        success_message=_("The content is visible again."),
    )


def _queue_action(request, kind, pk, service, success_message):
    content = _content_or_404(kind, pk)
    _require_moderator(request, content)
    try:
        service(request.user, content)
    except ValidationError as error:
        for message in error.messages:
            messages.error(request, message)
    else:
        messages.success(request, success_message)
    return redirect_back(request, "moderation:queue")


@login_required
@require_POST
def approve(request, kind: str, pk: int):
    """Publish content that waits for pre-moderation."""
    return _queue_action(
        request, kind, pk, services.content_approve, _("The content is approved and public.")
    )


@login_required
@require_POST
def dismiss(request, kind: str, pk: int):
    """Close the open reports of content and leave the content visible."""
    return _queue_action(
        request,
        kind,
        pk,
        services.reports_dismiss,
        _("The reports are dismissed and the content stays visible."),
    )


@login_required
@require_safe
def log(request):
    """List the audit log of moderator actions, filtered by moderator, action and dates."""
    _require_account_moderator(request)
    form = LogFilterForm(request.GET)
    form.is_valid()
    entries = selectors.log_entry_list(**form.filters())
    page = Paginator(entries, 50).get_page(request.GET.get("page"))
    query = request.GET.copy()
    query.pop("page", None)
    return render(
        request,
        "moderation/log.html",
        {"form": form, "page": page, "query": query.urlencode()},
    )


@login_required
@require_safe
def log_csv(request):
    """Return the filtered audit log as CSV, streamed so that a long log needs little memory."""
    _require_account_moderator(request)
    form = LogFilterForm(request.GET)
    form.is_valid()
    entries = selectors.log_entry_list(**form.filters(), with_targets=False)
    header = [
        _("Time"),
        _("Moderator"),
        _("Action"),
        _("Target type"),
        _("Target ID"),
        _("Reason"),
    ]
    rows = (
        [
            timezone.localtime(entry.created_at).isoformat(),
            entry.moderator,
            entry.get_action_display(),
            entry.content_type.model,
            entry.object_id,
            entry.reason,
        ]
        for entry in entries.iterator(chunk_size=1000)
    )
    filename = f"moderation-log-{timezone.localdate().isoformat()}.csv"
    return streaming_csv_response(header, rows, filename)


@login_required
@require_safe
def block_list(request):
    """List the blocked accounts, each with a link to lift the block."""
    _require_account_moderator(request)
    page = Paginator(selectors.account_block_list(), 50).get_page(request.GET.get("page"))
    return render(request, "moderation/block_list.html", {"page": page})


def _account_action(request, user_id, *, form_class, service, template, success_message):
    _require_account_moderator(request)
    account = get_object_or_404(get_user_model(), pk=user_id)
    form = form_class(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            service(request.user, account, form.cleaned_data["reason"])
        except ValidationError as error:
            form.add_error(None, error)
        else:
            messages.success(request, success_message)
            return redirect("moderation:block_list")
    account_block = AccountBlock.objects.filter(user=account).select_related("blocked_by").first()
    return render(
        request, template, {"form": form, "account": account, "account_block": account_block}
    )


@login_required
def block(request, user_id: int):
    """Show and handle the form that blocks an account from posting."""
    return _account_action(
        request,
        user_id,
        form_class=BlockForm,
        service=services.account_block,
        template="moderation/block_form.html",
        success_message=_("The account is blocked from posting."),
    )


@login_required
def unblock(request, user_id: int):
    """Show and handle the form that lifts the block of an account."""
    return _account_action(
        request,
        user_id,
        form_class=UnblockForm,
        service=services.account_unblock,
        template="moderation/unblock_form.html",
        success_message=_("The block is lifted, and the account may post again."),
    )
