"""Public downloads in Decidim's CSV layout, and the staff page that imports such files."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods, require_safe

from osallistu.budgeting.results import published_process_or_404
from osallistu.opendata.views import _csv_response
from osallistu.participation import rules
from osallistu.participation.models import Process
from osallistu.participation.rules import Action

from . import exports, services
from .forms import DecidimImportForm


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


@require_http_methods(["GET", "POST"])
@login_required
def import_upload(request, slug: str):
    process = get_object_or_404(Process, slug=slug)
    if not rules.can(request.user, Action.MANAGE_AREA_DATA, process):
        raise PermissionDenied(_("You may not import data into this process."))
    form = DecidimImportForm(request.POST or None, request.FILES or None)
    if request.method == "POST" and form.is_valid():
        try:
            report = services.import_decidim_by_staff(
                request.user,
                process,
                form.text(),
                form.cleaned_data["kind"],
                dry_run=form.cleaned_data["dry_run"],
            )
        except ValidationError as error:
            for message in error.messages:
                form.add_error(None, message)
        else:
            messages.success(request, report.summary())
            return redirect("interop:import_upload", process.slug)
    return render(request, "interop/import_form.html", {"form": form, "process": process})
