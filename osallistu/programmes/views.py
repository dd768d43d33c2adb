"""Public pages of suburb programmes: the list, a programme and a project package."""

from django.http import Http404
from django.shortcuts import render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_safe

from osallistu.participation import rules
from osallistu.participation.rules import Action

from . import selectors
from .models import Programme, ProjectPackage


@require_safe
def programme_list(request):
    programmes = list(selectors.programme_list())
    return render(
        request,
        "programmes/programme_list.html",
        {
            "running": [item for item in programmes if item.running == 0],
            "ended": [item for item in programmes if item.running != 0],
            "can_manage": rules.can(request.user, Action.MANAGE_PROGRAMME),
        },
    )


@require_safe
def programme_detail(request, slug: str):
    try:
        programme = selectors.programme_detail(slug)
    except Programme.DoesNotExist:
        raise Http404(_("No such programme.")) from None
    return render(
        request,
        "programmes/programme_detail.html",
        {
            "programme": programme,
            "progress": selectors.goal_progress(programme),
            "can_manage": rules.can(request.user, Action.MANAGE_PROGRAMME),
        },
    )


@require_safe
def package_detail(request, slug: str, package_slug: str):
    try:
        page = selectors.package_detail(slug, package_slug)
    except ProjectPackage.DoesNotExist:
        raise Http404(_("No such project package.")) from None
    return render(
        request,
        "programmes/package_detail.html",
        {
            "page": page,
            "package": page.package,
            "programme": page.programme,
            "can_manage": rules.can(request.user, Action.MANAGE_PROGRAMME),
        },
    )
