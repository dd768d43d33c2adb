"""Public downloads of a process's proposals and published results in Decidim's CSV layout."""

from django.shortcuts import get_object_or_404
from django.views.decorators.http import require_safe

from osallistu.budgeting.results import published_process_or_404
from osallistu.opendata.views import _csv_response
from osallistu.participation.models import Process

from . import exports


@require_safe
def proposals_csv(request, slug: str):
    process = get_object_or_404(Process, slug=slug)
    content = exports.proposals_csv(process, request.build_absolute_uri("/")[:-1])
    return _csv_response(content, f"{process.slug}-decidim-proposals.csv")


@require_safe
def results_csv(request, slug: str):
    process = published_process_or_404(slug)
    content = exports.results_csv(process, request.build_absolute_uri("/")[:-1])
    return _csv_response(content, f"{process.slug}-decidim-results.csv")
