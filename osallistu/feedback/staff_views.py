"""Staff pages: feedback sources, Open311 fetches, CSV imports and flagged requests."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.core.paginator import Paginator
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods, require_safe

from osallistu.participation import rules
from osallistu.participation.rules import Action

from . import selectors, services
from .forms import CsvUploadForm, FetchForm, SourceForm
from .models import FeedbackSourceConfig
from .sources.csv_import import CsvImportError, column_help

# Flagged requests per page.
FLAGGED_PAGE_SIZE = 50


def _require_manager(request) -> None:
    if not rules.can(request.user, Action.MANAGE_FEEDBACK_DATA, None):
        raise PermissionDenied(_("Only staff who manage feedback data may see this page."))


@require_safe
@login_required
def source_list(request):
    _require_manager(request)
    return render(
        request,
        "feedback/staff/source_list.html",
        {"sources": selectors.sources(), "fetches": selectors.recent_fetches()},
    )


@require_http_methods(["GET", "POST"])
@login_required
def source_edit(request, pk: int | None = None):
    _require_manager(request)
    source = get_object_or_404(FeedbackSourceConfig, pk=pk) if pk else None
    form = SourceForm(request.POST or None, instance=source)
    if request.method == "POST" and form.is_valid():
        services.source_save(user=request.user, source=form.save(commit=False))
        messages.success(request, _("The feedback source was saved."))
        return redirect("feedback:staff_sources")
    return render(request, "feedback/staff/source_form.html", {"form": form, "source": source})


@require_http_methods(["GET", "POST"])
@login_required
def source_fetch(request, pk: int):
    _require_manager(request)
    source = get_object_or_404(FeedbackSourceConfig, pk=pk, kind=FeedbackSourceConfig.Kind.OPEN311)
    form = FetchForm(request.POST or None)
    fetch = None
    if request.method == "POST" and form.is_valid():
        fetch = services.feedback_fetch(
            user=request.user,
            source=source,
            since=form.cleaned_data["since"],
            until=form.cleaned_data["until"],
        )
    return render(
        request, "feedback/staff/fetch_form.html", {"form": form, "source": source, "fetch": fetch}
    )


@require_http_methods(["GET", "POST"])
@login_required
def source_import(request, pk: int):
    _require_manager(request)
    source = get_object_or_404(FeedbackSourceConfig, pk=pk, kind=FeedbackSourceConfig.Kind.CSV)
    form = CsvUploadForm(request.POST or None, request.FILES or None)
    result = None
    errors: list[str] = []
    if request.method == "POST" and form.is_valid():
        try:
            result = services.feedback_csv_import(
                user=request.user,
                source=source,
                content=form.cleaned_data["file"].read(),
                dry_run="import" not in request.POST,
            )
        except CsvImportError as error:
            errors = error.errors
    return render(
        request,
        "feedback/staff/import_form.html",
        {
            "form": form,
            "source": source,
            "result": result,
            "errors": errors,
            "columns": column_help(),
        },
    )


@require_safe
@login_required
def flagged_list(request):
    _require_manager(request)
    page = Paginator(selectors.flagged_requests(), FLAGGED_PAGE_SIZE).get_page(
        request.GET.get("page")
    )
    return render(request, "feedback/staff/flagged_list.html", {"page": page})
