"""Staff pages of communications: posters, flyers, the channel log and newsletters."""

from csp.decorators import csp_replace
from django.conf import settings
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import timezone, translation
from django.utils.translation import gettext as _
from django.utils.translation import ngettext
from django.views.decorators.clickjacking import xframe_options_sameorigin
from django.views.decorators.http import require_http_methods, require_safe

from osallistu.areas.models import Suburb
from osallistu.events.models import Event
from osallistu.participation import rules
from osallistu.participation.rules import Action

from . import printing, selectors, services
from .forms import ChannelUseForm, NewsletterForm, PosterTextForm
from .models import NewsletterIssue
from .tasks import upcoming_items


def _require_manager(request) -> None:
    if not rules.can(request.user, Action.MANAGE_PROGRAMME, None):
        raise PermissionDenied


def _add_errors(form, error: ValidationError) -> None:
    for message in error.messages:
        form.add_error(None, message)


@require_safe
@login_required
def index(request):
    """List the suburbs and upcoming events with links to their communication tools."""
    _require_manager(request)
    events = (
        Event.objects.filter(ends_at__gte=timezone.now())
        .select_related("suburb")
        .order_by("starts_at")[:50]
    )
    return render(
        request,
        "communications/index.html",
        {"suburbs": Suburb.objects.order_by("name"), "events": events},
    )


def _print_target(kind: str, slug: str) -> printing.PrintTarget:
    if kind == "event":
        event = get_object_or_404(Event.objects.select_related("suburb"), slug=slug)
        return printing.PrintTarget(suburb=event.suburb, event=event)
    return printing.PrintTarget(suburb=get_object_or_404(Suburb, slug=slug))


@require_http_methods(["GET", "HEAD", "POST"])
@login_required
def poster_edit(request, kind: str, slug: str):
    """Edit the poster's heading and text, and preview the poster with its download links."""
    _require_manager(request)
    target = _print_target(kind, slug)
    stored = printing.poster_text(target)
    if request.method == "POST":
        form = PosterTextForm(request.POST, instance=stored)
        if form.is_valid():
            services.poster_text_save(
                request.user,
                suburb=None if target.event else target.suburb,
                event=target.event,
                **form.cleaned_data,
            )
            messages.success(request, _("The poster text was saved."))
            return redirect(request.path)
    else:
        form = PosterTextForm(instance=stored)
    return render(
        request,
        "communications/poster_edit.html",
        {
            "form": form,
            "target": target,
            "kind": kind,
            "slug": slug,
            "url": selectors.absolute_url(target.page_path()),
        },
    )


@require_safe
@login_required
# The poster page shows this page in an iframe, so this site alone may frame it.
@xframe_options_sameorigin
@csp_replace({"frame-ancestors": ["'self'"]})
def print_html(request, kind: str, slug: str, document: str):
    """Show the poster or flyer as a web page, for the preview."""
    _require_manager(request)
    return HttpResponse(printing.render_html(_print_target(kind, slug), document))


@require_safe
@login_required
def print_pdf(request, kind: str, slug: str, document: str):
    """Return the poster or flyer as a tagged PDF and log the poster channel for its step.

    An event's poster is logged in each suburb of selectors.event_suburbs: its own suburb, or
    every suburb of its process. An event with neither has no log to write to.
    """
    _require_manager(request)
    target = _print_target(kind, slug)
    pdf = printing.render_pdf(target, document)
    suburbs = selectors.event_suburbs(target.event) if target.event else [target.suburb]
    for suburb in suburbs:
        services.poster_generated(request.user, suburb=suburb, step=target.step, document=document)
    response = HttpResponse(pdf, content_type="application/pdf")
    response["Content-Disposition"] = f'inline; filename="{document}-{slug}.pdf"'
    return response


def _year(request) -> int:
    try:
        year = int(request.GET.get("year", ""))
    except ValueError:
        return timezone.localdate().year
    return year if 2000 <= year <= 2100 else timezone.localdate().year


@require_http_methods(["GET", "HEAD", "POST"])
@login_required
def channel_log(request, slug: str):
    """Show which channels informed residents of each step of a suburb, and log a new use."""
    _require_manager(request)
    suburb = get_object_or_404(Suburb, slug=slug)
    year = _year(request)
    steps = selectors.suburb_steps(suburb)
    if request.method == "POST":
        form = ChannelUseForm(request.POST, steps=steps)
        if form.is_valid():
            data = form.cleaned_data
            try:
                services.channel_use_log(
                    request.user,
                    suburb=suburb,
                    channel=data["channel"],
                    step=data["step"].target,
                    used_on=data["used_on"],
                    note=data["note"],
                    reach=data["reach"],
                )
            except ValidationError as error:
                _add_errors(form, error)
            else:
                messages.success(request, _("The channel use was logged."))
                return redirect(f"{request.path}?year={data['used_on'].year}")
    else:
        form = ChannelUseForm(steps=steps)
    channels, rows = selectors.channel_use_table(suburb, year, steps)
    return render(
        request,
        "communications/channel_log.html",
        {
            "suburb": suburb,
            "year": year,
            "form": form,
            "channels": channels,
            "rows": rows,
            "summary": selectors.channel_use_summary(suburb, year),
            "uses": selectors.recent_channel_uses(suburb, year)[:100],
        },
    )


@require_safe
@login_required
def newsletter_list(request, slug: str):
    """List a suburb's newsletters, drafts and sent ones."""
    _require_manager(request)
    suburb = get_object_or_404(Suburb, slug=slug)
    counts = selectors.recipient_counts(suburb)
    return render(
        request,
        "communications/newsletter_list.html",
        {
            "suburb": suburb,
            "newsletters": selectors.newsletter_list(suburb),
            "counts": counts,
            "total": sum(counts.values()),
        },
    )


@require_http_methods(["GET", "HEAD", "POST"])
@login_required
def newsletter_edit(request, slug: str, pk: int | None = None):
    """Write a new newsletter draft or change one; a rejected form keeps what was typed."""
    _require_manager(request)
    suburb = get_object_or_404(Suburb, slug=slug)
    issue = get_object_or_404(NewsletterIssue, pk=pk, suburb=suburb) if pk else None
    if request.method == "POST":
        form = NewsletterForm(request.POST, instance=issue)
        if form.is_valid():
            try:
                issue = services.newsletter_save(
                    request.user, suburb=suburb, issue=issue, **form.cleaned_data
                )
            except ValidationError as error:
                _add_errors(form, error)
            else:
                return redirect("communications:newsletter_detail", slug=slug, pk=issue.pk)
    else:
        form = NewsletterForm(instance=issue)
    counts = selectors.recipient_counts(suburb)
    return render(
        request,
        "communications/newsletter_form.html",
        {
            "suburb": suburb,
            "form": form,
            "issue": issue,
            "counts": counts,
            "total": sum(counts.values()),
            "followers": selectors.follower_count(suburb),
        },
    )


def _newsletter_preview(issue: NewsletterIssue) -> str:
    """Return the Finnish email text of `issue` as a recipient would get it."""
    upcoming = issue.upcoming
    if issue.status == NewsletterIssue.Status.DRAFT and issue.include_upcoming:
        upcoming = services.upcoming_snapshot(issue.suburb)
    with translation.override("fi"):
        return render_to_string(
            "communications/email/newsletter.txt",
            {
                "body": issue.body,
                "suburb": issue.suburb,
                "upcoming": upcoming_items(upcoming),
                "settings_link": selectors.absolute_url(reverse("notifications:settings")),
                "city_name": settings.OSALLISTU_CITY_NAME,
            },
        )


@require_http_methods(["GET", "HEAD", "POST"])
@login_required
def newsletter_detail(request, slug: str, pk: int):
    """Preview a newsletter with its recipient counts; a POST sends a draft."""
    _require_manager(request)
    issue = get_object_or_404(
        NewsletterIssue.objects.select_related("suburb"), pk=pk, suburb__slug=slug
    )
    error = ""
    if request.method == "POST":
        try:
            count = services.newsletter_send(request.user, issue)
        except ValidationError as exc:
            error = " ".join(exc.messages)
        else:
            messages.success(
                request,
                ngettext(
                    "The newsletter is being sent to %(count)s recipient.",
                    "The newsletter is being sent to %(count)s recipients.",
                    count,
                )
                % {"count": count},
            )
            return redirect(request.path)
    is_sent = issue.status == NewsletterIssue.Status.SENT
    counts = issue.recipients_by_language if is_sent else selectors.recipient_counts(issue.suburb)
    return render(
        request,
        "communications/newsletter_detail.html",
        {
            "suburb": issue.suburb,
            "issue": issue,
            "preview": _newsletter_preview(issue),
            "counts": counts,
            "total": sum(counts.values()),
            # Today's followers say nothing about a newsletter already sent.
            "followers": None if is_sent else selectors.follower_count(issue.suburb),
            "error": error,
        },
        status=400 if error else 200,
    )
