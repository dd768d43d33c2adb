"""Staff pages for area data: overview, imports, the suburb mapping and investments."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods, require_safe

from osallistu.participation import rules
from osallistu.participation.rules import Action

from . import aggregation, selectors, services, tasks
from .forms import ImportForm, SuburbForm
from .models import ImportJob, Suburb


def _require_manager(request) -> None:
    if not rules.can(request.user, Action.MANAGE_AREA_DATA, None):
        raise PermissionDenied(_("Only staff who manage area data may see this page."))


@require_safe
@login_required
def overview(request):
    _require_manager(request)
    return render(
        request,
        "areas/staff/overview.html",
        {"domains": selectors.area_data_overview(), "jobs": selectors.import_jobs(limit=5)},
    )


@require_http_methods(["GET", "POST"])
@login_required
def import_upload(request):
    _require_manager(request)
    form = ImportForm(request.POST or None, request.FILES or None)
    if request.method == "POST" and form.is_valid():
        job = services.import_job_start(
            user=request.user,
            kind=form.cleaned_data["kind"],
            uploaded_file=form.cleaned_data["file"],
            dry_run=form.cleaned_data["dry_run"],
            options=form.options(),
        )
        messages.success(request, _("The import was started."))
        return redirect("areas:staff_import_status", job.pk)
    return render(request, "areas/staff/import_form.html", {"form": form})


@require_safe
@login_required
def import_list(request):
    _require_manager(request)
    return render(request, "areas/staff/import_list.html", {"jobs": selectors.import_jobs()})


@require_safe
@login_required
def import_status(request, pk: int):
    _require_manager(request)
    job = get_object_or_404(ImportJob.objects.select_related("created_by"), pk=pk)
    job.processed_rows, job.total_rows = tasks.progress_read(job)
    return render(request, "areas/staff/import_status.html", {"job": job})


@require_safe
@login_required
def suburb_list(request):
    _require_manager(request)
    return render(
        request,
        "areas/staff/suburb_list.html",
        {
            "suburbs": selectors.suburb_mapping(),
            "outside": aggregation.postal_areas_outside_suburbs(),
        },
    )


@require_http_methods(["GET", "POST"])
@login_required
def suburb_edit(request, slug: str | None = None):
    _require_manager(request)
    suburb = get_object_or_404(Suburb, slug=slug) if slug else None
    initial = (
        {"name": suburb.name, "postal_areas": list(suburb.postal_areas.all())} if suburb else None
    )
    form = SuburbForm(request.POST or None, initial=initial, suburb=suburb)
    if request.method == "POST" and form.is_valid():
        services.suburb_save(
            user=request.user,
            suburb=suburb,
            name=form.cleaned_data["name"],
            slug=form.cleaned_data["slug"],
            postal_areas=list(form.cleaned_data["postal_areas"]),
        )
        messages.success(request, _("The suburb was saved."))
        return redirect("areas:staff_suburbs")
    return render(request, "areas/staff/suburb_form.html", {"form": form, "suburb": suburb})


@require_safe
@login_required
def investment_list(request):
    _require_manager(request)
    return render(
        request,
        "areas/staff/investment_list.html",
        {"projects": selectors.investment_projects()},
    )
