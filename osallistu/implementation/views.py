"""Public implementation pages and the staff pages that update them."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.paginator import Paginator
from django.http import Http404, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods, require_POST, require_safe

from . import csv_import, selectors, services
from .forms import CsvImportForm, ItemFilterForm, ItemForm, MilestoneForm, UpdateForm
from .models import Milestone

PAGE_SIZE = 50


@require_safe
def item_list(request):
    """List public items, filtered by suburb, status and kind."""
    form = ItemFilterForm(request.GET or None)
    filters = form.cleaned_data if form.is_valid() else {}
    items = selectors.item_list(
        suburb=filters.get("suburb"),
        status=filters.get("status", ""),
        kind=filters.get("kind", ""),
    )
    page = Paginator(items, PAGE_SIZE).get_page(request.GET.get("page"))
    return render(request, "implementation/item_list.html", {"form": form, "page": page})


@require_safe
def item_detail(request, pk: int):
    """Show a public item: status, progress, schedule, money, milestones, updates and map."""
    item = selectors.item_detail(pk)
    if item is None:
        raise Http404(_("No such implementation item."))
    return render(
        request,
        "implementation/item_detail.html",
        {
            "item": item,
            "map": selectors.item_map(item),
            "status_history": selectors.status_history(item),
            "can_update": request.user.is_authenticated and services.can_update(request.user, item),
        },
    )


# --- Staff pages ----------------------------------------------------------------------------------


def _staff_item(request, pk: int):
    item = selectors.item_detail(pk, public_only=False)
    if item is None:
        raise Http404(_("No such implementation item."))
    if not services.can_update(request.user, item):
        raise PermissionDenied
    return item


@login_required
@require_safe
def staff_list(request):
    """List the items the user may update, and warn of untracked packages and winners."""
    if not services.can_update_any(request.user):
        raise PermissionDenied
    items = [
        item
        for item in selectors.item_list(public_only=False)
        if services.can_update(request.user, item)
    ]
    return render(
        request,
        "implementation/staff_list.html",
        {"items": items, "untracked": selectors.untracked()},
    )


@login_required
@require_POST
def staff_track(request):
    """Create items for every untracked package and winner."""
    created = services.ensure_tracked(request.user)
    messages.success(
        request,
        _("Implementation items created: %(count)s.") % {"count": len(created)},
    )
    return redirect("implementation:staff_list")


@login_required
@require_http_methods(["GET", "POST"])
def staff_edit(request, pk: int):
    """Edit an item; the milestones and updates are managed on their own pages."""
    item = _staff_item(request, pk)
    form = ItemForm(request.POST or None, instance=selectors.item_detail(pk, public_only=False))
    if request.method == "POST" and form.is_valid():
        try:
            services.update_item(request.user, item, form.changes())
        except ValidationError as error:
            form.add_error(None, error)
        else:
            messages.success(request, _("The item has been saved."))
            return redirect("implementation:staff_edit", pk=item.pk)
    return render(
        request,
        "implementation/staff_edit.html",
        {"item": item, "form": form, "milestone_form": MilestoneForm(prefix="milestone")},
    )


@login_required
@require_http_methods(["GET", "POST"])
def staff_milestone_add(request, pk: int):
    item = _staff_item(request, pk)
    form = MilestoneForm(request.POST or None, prefix="milestone")
    if request.method == "POST" and form.is_valid():
        services.add_milestone(request.user, item, **form.cleaned_data)
        messages.success(request, _("The milestone has been added."))
        return redirect("implementation:staff_edit", pk=item.pk)
    return render(request, "implementation/staff_milestone.html", {"item": item, "form": form})


@login_required
@require_POST
def staff_milestone_done(request, pk: int, milestone_pk: int):
    """Mark a milestone reached today, or not reached."""
    item = _staff_item(request, pk)
    milestone = get_object_or_404(Milestone, pk=milestone_pk, item=item)
    milestone.item = item
    done_on = None if milestone.done_on else timezone.localdate()
    services.set_milestone_done(request.user, milestone, done_on)
    return redirect("implementation:staff_edit", pk=item.pk)


@login_required
@require_http_methods(["GET", "POST"])
def staff_update(request, pk: int):
    """Post an update with photos and an optional invitation to take part."""
    item = _staff_item(request, pk)
    form = UpdateForm(request.POST or None, request.FILES or None)
    if request.method == "POST" and form.is_valid():
        try:
            services.post_update(
                request.user,
                item,
                text=form.cleaned_data["text"],
                published_on=form.publication_date(),
                photos=form.photos(),
                invitation=form.invitation(),
            )
        except ValidationError as error:
            form.add_error(None, error)
        else:
            messages.success(request, _("The update has been published."))
            return redirect("implementation:item_detail", pk=item.pk)
    return render(request, "implementation/staff_update.html", {"item": item, "form": form})


@login_required
@require_http_methods(["GET", "POST"])
def staff_import(request):
    """Import a CSV of item changes: check every row, then save all rows or none."""
    if not services.can_update_any(request.user):
        raise PermissionDenied
    form = CsvImportForm(request.POST or None, request.FILES or None)
    report = None
    if request.method == "POST" and form.is_valid():
        report = csv_import.import_csv(
            request.user, form.cleaned_data["file"], dry_run=form.cleaned_data["dry_run"]
        )
        if report.applied:
            messages.success(
                request,
                _("The file has been imported: %(count)s items updated.")
                % {"count": len(report.updated)},
            )
            return redirect("implementation:staff_list")
    return render(request, "implementation/staff_import.html", {"form": form, "report": report})


@login_required
@require_safe
def staff_template(request):
    """Download a CSV with the current values of the items the user may update."""
    if not services.can_update_any(request.user):
        raise PermissionDenied
    # A byte order mark lets spreadsheet programs read the UTF-8 (ä, ö) correctly.
    response = HttpResponse(
        "\ufeff" + csv_import.template_csv(request.user), content_type="text/csv; charset=utf-8"
    )
    response["Content-Disposition"] = 'attachment; filename="implementation.csv"'
    return response
