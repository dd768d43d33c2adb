from django.http import Http404
from django.shortcuts import render
from django.urls import path
from django.utils.translation import gettext as _
from django.views.decorators.http import require_safe

from .. import rules, selectors
from ..models import Process


def get_process(slug: str) -> Process:
    """Return the process with its phases, suburbs and budget areas, or raise Http404."""
    try:
        return selectors.process_detail(slug)
    except Process.DoesNotExist:
        raise Http404(_("No such process.")) from None


@require_safe
def process_list(request):
    return render(
        request, "participation/process_list.html", {"processes": selectors.process_list()}
    )


@require_safe
def process_detail(request, slug: str):
    process = get_process(slug)
    return render(
        request,
        "participation/process_detail.html",
        {
            "process": process,
            "current_phase": selectors.current_phase(process),
            "next_phase": selectors.next_phase(process),
            "can_submit_idea": rules.ideation_is_open(process),
            "voting_is_open": rules.voting_is_open(process),
        },
    )


urlpatterns = [
    path("", process_list, name="process_list"),
    path("<slug:slug>/", process_detail, name="process_detail"),
]
