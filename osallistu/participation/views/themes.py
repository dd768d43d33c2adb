"""Views for development themes: the public list, residents' suggestions and staff decisions."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.http import Http404
from django.shortcuts import redirect, render
from django.urls import path, reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_safe

from .. import rules, selectors, services
from ..models import Process, Theme
from ..theme_forms import ThemeDecisionForm, ThemeDraftForm, ThemeSuggestionForm
from .processes import get_process


def _sign_in_to_suggest(user, process: Process) -> bool:
    """Return True if `user` is anonymous and signing in would let them suggest a theme now."""
    if user.is_authenticated:
        return False
    phase = rules.current_phase(process)
    return phase is not None and rules.Action.SUGGEST_THEME in rules.actions_for_role(
        rules.Role.REGISTERED, phase
    )


@require_safe
def theme_list(request, slug: str):
    process = get_process(slug)
    can_manage = rules.can(request.user, rules.Action.MANAGE_THEMES, process)
    return render(
        request,
        "participation/themes_list.html",
        {
            "process": process,
            "overview": selectors.theme_overview(process),
            # Under pre-moderation the staff decision is the moderation, so suggestions stay
            # off the public page until staff have decided.
            "show_pending": can_manage or not process.premoderation,
            "can_suggest": rules.can(request.user, rules.Action.SUGGEST_THEME, process),
            "sign_in_to_suggest": _sign_in_to_suggest(request.user, process),
            "can_manage": can_manage,
        },
    )


@login_required
def theme_suggest(request, slug: str):
    process = get_process(slug)
    services.theme_check_may_suggest(request.user, process)
    form = ThemeSuggestionForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            theme = services.theme_suggest(request.user, process=process, **form.cleaned_data)
        except ValidationError as error:
            form.add_error(None, error)
        else:
            messages.success(
                request, _("Thank you! Your suggestion now waits for a decision by city staff.")
            )
            url = reverse("participation:theme_list", args=[process.slug])
            return redirect(f"{url}#theme-{theme.pk}")
    return render(request, "participation/themes_suggest.html", {"process": process, "form": form})


@login_required
def theme_manage(request, slug: str):
    process = get_process(slug)
    services.theme_check_may_manage(request.user, process)
    form = ThemeDraftForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            theme = services.theme_draft(request.user, process=process, **form.cleaned_data)
        except ValidationError as error:
            form.add_error(None, error)
        else:
            messages.success(
                request, _("The theme “%(title)s” has been added.") % {"title": theme.title}
            )
            return redirect("participation:theme_manage", slug=process.slug)
    return render(
        request,
        "participation/themes_manage.html",
        {"process": process, "form": form, "overview": selectors.theme_overview(process)},
    )


@login_required
def theme_decide(request, slug: str, theme_id: int):
    process = get_process(slug)
    services.theme_check_may_manage(request.user, process)
    try:
        theme = selectors.theme_for_decision(process, theme_id)
    except Theme.DoesNotExist:
        raise Http404(_("No such theme.")) from None
    decisions = services.theme_decisions_for(theme)
    form = None
    if decisions:
        form = ThemeDecisionForm(
            request.POST or None,
            theme=theme,
            decisions=decisions,
            merge_targets=selectors.accepted_themes(process),
        )
    if request.method == "POST" and form is not None and form.is_valid():
        try:
            services.theme_decide(request.user, theme, **form.cleaned_data)
        except ValidationError as error:
            form.add_error(None, error)
        else:
            messages.success(
                request,
                _("The decision on “%(title)s” has been published.") % {"title": theme.title},
            )
            return redirect("participation:theme_manage", slug=process.slug)
    return render(
        request,
        "participation/themes_decide.html",
        {"process": process, "theme": theme, "form": form},
    )


urlpatterns = [
    path("<slug:slug>/themes/", theme_list, name="theme_list"),
    path("<slug:slug>/themes/suggest/", theme_suggest, name="theme_suggest"),
    path("<slug:slug>/themes/manage/", theme_manage, name="theme_manage"),
    path("<slug:slug>/themes/manage/<int:theme_id>/", theme_decide, name="theme_decide"),
]
