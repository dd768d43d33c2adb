from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.http import Http404
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_safe

from osallistu.participation import rules
from osallistu.participation.models import Process

from . import selectors, services
from .forms import BallotForm


def _get_process(slug: str) -> Process:
    process = Process.objects.prefetch_related("phases").filter(slug=slug).first()
    if process is None:
        raise Http404(_("No such process."))
    return process


@login_required
@require_safe
def ballot_area_choice(request, slug: str):
    process = _get_process(slug)
    areas = list(selectors.budget_areas(process))
    if len(areas) == 1:
        return redirect("budgeting:ballot_area", slug=process.slug, area_slug=areas[0].slug)
    return render(
        request,
        "budgeting/ballot_area_choice.html",
        {
            "process": process,
            "areas": areas,
            "voting_is_open": rules.voting_is_open(process),
            "has_voted": selectors.has_voted(request.user, process),
        },
    )


@login_required
def ballot(request, slug: str, area_slug: str):
    process = _get_process(slug)
    area = get_object_or_404(selectors.budget_areas(process), slug=area_slug)
    voting_is_open = rules.voting_is_open(process)
    has_voted = selectors.has_voted(request.user, process)
    form = BallotForm(request.POST or None, area=area)
    if request.method == "POST" and voting_is_open and not has_voted and form.is_valid():
        try:
            services.ballot_cast(
                voter=request.user,
                area=area,
                project_ids=[project.pk for project in form.cleaned_data["projects"]],
            )
        except ValidationError as error:
            for message in error.messages:
                form.add_error(None, message)
        else:
            messages.success(request, _("Thank you! Your ballot has been stored."))
            return redirect("budgeting:ballot_done", slug=process.slug)
    return render(
        request,
        "budgeting/ballot.html",
        {
            "process": process,
            "area": area,
            "form": form,
            "voting_is_open": voting_is_open,
            "has_voted": has_voted,
        },
    )


@login_required
@require_safe
def ballot_done(request, slug: str):
    process = _get_process(slug)
    return render(request, "budgeting/ballot_done.html", {"process": process})


@require_safe
def results(request, slug: str):
    process = _get_process(slug)
    area_results = []
    if process.results_published:
        area_results = [selectors.area_result(area) for area in selectors.budget_areas(process)]
    return render(
        request,
        "budgeting/results.html",
        {"process": process, "area_results": area_results},
    )
