"""Results pages, their downloads and the staff page that publishes them.

Every public view here shows vote counts only once the process's results are published.
Before that, the results page shows a notice, and the area pages and files return 404.
"""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import Http404, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods, require_safe

from osallistu.participation import rules
from osallistu.participation.models import Process
from osallistu.participation.rules import Action

from . import exports, results, selectors, services

# Licence of the published results and files, as for the other open data.
LICENCE_URL = "https://creativecommons.org/licenses/by/4.0/"


def _file_response(content: str, filename: str, content_type: str) -> HttpResponse:
    # A byte order mark lets spreadsheet programs read the UTF-8 (ä, ö) correctly.
    body = "\ufeff" + content if content_type.startswith("text/csv") else content
    response = HttpResponse(body, content_type=content_type)
    response["Content-Disposition"] = f'attachment; filename="{filename}"'
    response["Link"] = f'<{LICENCE_URL}>; rel="license"'
    return response


def _min_group_size(process: Process) -> int:
    return services.budgeting_settings_get(process).min_group_size


@require_safe
def results_page(request, slug: str):
    """Show every area's results with explanations, or that they are not published yet."""
    process = Process.objects.prefetch_related("phases").filter(slug=slug).first()
    if process is None:
        raise Http404(_("No such process."))
    published = results.results_are_public(process)
    return render(
        request,
        "budgeting/results.html",
        {
            "process": process,
            "published": published,
            "area_results": results.process_results(process) if published else [],
        },
    )


@require_safe
def area_results_page(request, slug: str, area_slug: str):
    """Show one area's published results."""
    process = results.published_process_or_404(slug)
    area = get_object_or_404(selectors.budget_areas(process), slug=area_slug)
    return render(
        request,
        "budgeting/results_area_page.html",
        {"process": process, "result": results.area_results(area)},
    )


@require_safe
def turnout_page(request, slug: str):
    """Show the published turnout by area and age group, with small groups suppressed."""
    process = results.published_process_or_404(slug)
    size = _min_group_size(process)
    return render(
        request,
        "budgeting/results_turnout.html",
        {"process": process, "turnout": exports.turnout(process, size), "min_group_size": size},
    )


@require_safe
def results_csv(request, slug: str):
    """Download every project's published result as CSV."""
    process = results.published_process_or_404(slug)
    content = exports.results_csv(results.process_results(process))
    return _file_response(content, f"{process.slug}-results.csv", "text/csv; charset=utf-8")


@require_safe
def turnout_csv(request, slug: str):
    """Download the turnout by area and age group as CSV, with small groups suppressed."""
    process = results.published_process_or_404(slug)
    content = exports.turnout_csv(exports.turnout(process, _min_group_size(process)))
    return _file_response(content, f"{process.slug}-turnout.csv", "text/csv; charset=utf-8")


@require_safe
def area_pabulib(request, slug: str, area_slug: str):
    """Download one area's published election as a Pabulib `.pb` file."""
    process = results.published_process_or_404(slug)
    area = get_object_or_404(selectors.budget_areas(process), slug=area_slug)
    content = exports.pabulib(area, results.area_results(area))
    return _file_response(content, f"{process.slug}-{area.slug}.pb", "text/plain; charset=utf-8")


@login_required
@require_http_methods(["GET", "HEAD", "POST"])
def results_publish(request, process_id: int):
    """Let staff check the counted results and publish them after voting has closed.

    Publishing takes two POSTs: the first shows what becomes public, and only the second, with
    the confirmation box ticked, publishes.
    """
    process = get_object_or_404(Process.objects.prefetch_related("phases"), pk=process_id)
    if not rules.can(request.user, Action.PUBLISH_RESULTS, process):
        raise PermissionDenied
    error = None
    confirming = False
    if request.method == "POST" and request.POST.get("confirm") == "yes":
        try:
            results.publish_results(request.user, process)
        except ValidationError as exc:
            error = exc.messages[0]
        else:
            messages.success(request, _("The results are published."))
            return redirect("budgeting:results", slug=process.slug)
    elif request.method == "POST":
        confirming = True
        if request.POST.get("step") == "confirm":
            error = _("Tick the box to confirm that you want to publish the results.")
    return render(
        request,
        "budgeting/results_publish.html",
        {
            "process": process,
            "area_results": results.process_results(process),
            "voting_has_closed": selectors.voting_has_closed(process),
            "confirming": confirming,
            "error": error,
        },
    )
