"""Staff pages of expert evaluation. The public answer shows on the idea page via templatetags."""

import csv
import json

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.http import Http404, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST, require_safe

from osallistu.participation import rules
from osallistu.participation.models import Idea, Process, Visibility
from osallistu.participation.views.processes import get_process

from . import selectors, services
from .forms import (
    AssignForm,
    ConsolidationForm,
    CriterionForm,
    NoteForm,
    VerdictForm,
    cost_rows_text,
)
from .models import Assignment, Criterion


def _add_errors(form, error: ValidationError) -> None:
    """Attach a service's ValidationError to `form`, on the named field where the form has it."""
    if hasattr(error, "error_dict"):
        for field, errors in error.error_dict.items():
            form.add_error(field if field in form.fields else None, errors)
    else:
        form.add_error(None, error)


def _get_idea(process, idea_id: int) -> Idea:
    return get_object_or_404(Idea, pk=idea_id, process=process, visibility=Visibility.VISIBLE)


@login_required
@require_safe
def dashboard(request, slug: str):
    process = get_process(slug)
    services.check_may_evaluate(request.user, process)
    return render(
        request,
        "evaluation/dashboard.html",
        {
            "process": process,
            "today": timezone.localdate(),
            "can_consolidate": rules.can(request.user, rules.Action.CONSOLIDATE, process),
            **selectors.dashboard(process),
        },
    )


@login_required
@require_safe
def dashboard_by_id(request, process_id: int):
    """Redirect to the dashboard by the process's primary key, as the staff home links tools."""
    process = get_object_or_404(Process, pk=process_id)
    return redirect("evaluation:dashboard", slug=process.slug)


@login_required
def criteria(request, slug: str):
    process = get_process(slug)
    services.check_may_consolidate(request.user, process)
    form = CriterionForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            services.criterion_add(request.user, process, **form.cleaned_data)
        except ValidationError as error:
            _add_errors(form, error)
        else:
            messages.success(request, _("The criterion has been added. Publish it when ready."))
            return redirect("evaluation:criteria", slug=process.slug)
    return render(
        request,
        "evaluation/criteria.html",
        {
            "process": process,
            "form": form,
            "criteria": process.evaluation_criteria.all(),
            "editable": services.criteria_editable(process),
        },
    )


def _run_and_report(request, action, success_message: str) -> None:
    """Call `action()` and report its success or its ValidationError as a message."""
    try:
        action()
    except ValidationError as error:
        messages.error(request, " ".join(error.messages))
    else:
        messages.success(request, success_message)


@login_required
@require_POST
def criteria_publish(request, slug: str):
    process = get_process(slug)
    _run_and_report(
        request,
        lambda: services.criteria_publish(request.user, process),
        _("The criteria have been published."),
    )
    return redirect("evaluation:criteria", slug=process.slug)


@login_required
@require_POST
def criterion_remove(request, slug: str, criterion_id: int):
    process = get_process(slug)
    criterion = get_object_or_404(Criterion, pk=criterion_id, process=process)
    _run_and_report(
        request,
        lambda: services.criterion_remove(request.user, criterion),
        _("The criterion has been removed."),
    )
    return redirect("evaluation:criteria", slug=process.slug)


@login_required
def assign(request, slug: str):
    process = get_process(slug)
    services.check_may_consolidate(request.user, process)
    ideas = selectors.ideas_for_assignment(process)
    form = AssignForm(request.POST or None, ideas=selectors.open_ideas(process))
    if request.method == "POST" and form.is_valid():
        try:
            services.ideas_assign(request.user, process, **form.cleaned_data)
        except ValidationError as error:
            _add_errors(form, error)
        else:
            messages.success(request, _("The ideas have been assigned for evaluation."))
            return redirect("evaluation:assign", slug=process.slug)
    return render(
        request,
        "evaluation/assign.html",
        {
            "process": process,
            "form": form,
            "ideas": ideas,
            "answered_count": selectors.answered_idea_count(process),
        },
    )


@login_required
@require_POST
def assignment_remove(request, slug: str, assignment_id: int):
    process = get_process(slug)
    assignment = get_object_or_404(Assignment, pk=assignment_id, idea__process=process)
    _run_and_report(
        request,
        lambda: services.assignment_remove(request.user, assignment),
        _("The assignment has been removed."),
    )
    return redirect("evaluation:assign", slug=process.slug)


@login_required
@require_safe
def worklist(request, slug: str):
    process = get_process(slug)
    services.check_may_evaluate(request.user, process)
    # Coordinators see every group; evaluators only their own.
    if rules.can(request.user, rules.Action.CONSOLIDATE, process):
        area_ids = None
    else:
        area_ids = rules.service_areas_of(request.user, process)
    return render(
        request,
        "evaluation/worklist.html",
        {"process": process, "assignments": selectors.worklist(process, area_ids)},
    )


@login_required
def verdict(request, slug: str, assignment_id: int):
    process = get_process(slug)
    try:
        assignment = selectors.assignment_for_verdict(process, assignment_id)
    except Assignment.DoesNotExist:
        raise Http404(_("No such assignment.")) from None
    services.check_may_evaluate(request.user, process, assignment.service_area_id)
    existing = getattr(assignment, "verdict", None)
    initial = {}
    if existing is not None:
        initial = {
            "feasible": "yes" if existing.feasible else "no",
            "cost_estimate": existing.cost_estimate,
            "cost_rows": cost_rows_text(existing),
            "annual_maintenance_cost": existing.annual_maintenance_cost,
            "schedule": existing.schedule,
            "owning_service_area": existing.owning_service_area,
            "public_reason": existing.public_reason,
            **{f"criterion_{a.criterion_id}": a.answer for a in existing.answers.all()},
        }
    form = VerdictForm(
        request.POST or None, initial=initial, criteria=selectors.public_criteria(process)
    )
    if request.method == "POST" and form.is_valid():
        try:
            services.verdict_submit(request.user, assignment, **form.service_arguments())
        except ValidationError as error:
            _add_errors(form, error)
        else:
            messages.success(request, _("The verdict has been saved and published."))
            return redirect("evaluation:worklist", slug=process.slug)
    return render(
        request,
        "evaluation/verdict.html",
        {"process": process, "assignment": assignment, "idea": assignment.idea, "form": form},
    )


@login_required
def idea_notes(request, slug: str, idea_id: int):
    process = get_process(slug)
    services.check_may_evaluate(request.user, process)
    idea = _get_idea(process, idea_id)
    form = NoteForm(request.POST or None, staff=services.mentionable_staff(process))
    if request.method == "POST" and form.is_valid():
        try:
            services.note_add(request.user, idea, **form.cleaned_data)
        except ValidationError as error:
            _add_errors(form, error)
        else:
            messages.success(request, _("The note has been saved."))
            return redirect("evaluation:idea_notes", slug=process.slug, idea_id=idea.pk)
    return render(
        request,
        "evaluation/idea_notes.html",
        {
            "process": process,
            "idea": idea,
            "form": form,
            "notes": selectors.idea_notes(idea),
            "assignments": selectors.idea_evaluation(idea),
            "can_consolidate": rules.can(request.user, rules.Action.CONSOLIDATE, process),
        },
    )


@login_required
def consolidate(request, slug: str, idea_id: int):
    process = get_process(slug)
    services.check_may_consolidate(request.user, process)
    idea = _get_idea(process, idea_id)
    answer = selectors.public_answer(idea)
    form = None
    if answer["consolidation"] is None:
        candidates = selectors.open_ideas(process).exclude(pk=idea.pk).order_by("title", "pk")
        # The budget area of the idea's suburb is the usual choice.
        suburb_area = next(
            (area for area in process.budget_areas.all() if area.suburb_id == idea.suburb_id),
            None,
        )
        form = ConsolidationForm(
            request.POST or None,
            initial={"budget_area": suburb_area},
            idea=idea,
            merge_candidates=candidates,
            budget_areas=process.budget_areas.all(),
        )
    if request.method == "POST" and form is not None and form.is_valid():
        try:
            services.consolidate(request.user, idea, **form.cleaned_data)
        except ValidationError as error:
            _add_errors(form, error)
        else:
            messages.success(request, _("The public answer has been published."))
            return redirect("evaluation:dashboard", slug=process.slug)
    return render(
        request,
        "evaluation/consolidate.html",
        {
            "process": process,
            "idea": idea,
            "form": form,
            "answer": answer,
            "assignments": selectors.idea_evaluation(idea),
        },
    )


@login_required
@require_safe
def notes_export(request, slug: str, export_format: str):
    process = get_process(slug)
    idea_ids = None
    if request.GET.get("idea", "").isdigit():
        idea_ids = [int(request.GET["idea"])]
    rows = services.notes_export_rows(request.user, process, idea_ids)
    filename = f"internal-notes-{process.slug}-{timezone.localdate().isoformat()}"
    if export_format == "json":
        response = HttpResponse(
            json.dumps(rows, ensure_ascii=False, indent=2),
            content_type="application/json; charset=utf-8",
        )
        response["Content-Disposition"] = f'attachment; filename="{filename}.json"'
        return response
    response = HttpResponse(content_type="text/csv; charset=utf-8")
    response["Content-Disposition"] = f'attachment; filename="{filename}.csv"'
    # A byte order mark lets spreadsheet programs read the file as UTF-8.
    response.write("\ufeff")
    writer = csv.DictWriter(response, fieldnames=services.NOTE_EXPORT_FIELDS)
    writer.writeheader()
    writer.writerows(rows)
    return response


@login_required
@require_safe
def audit(request, slug: str):
    process = get_process(slug)
    services.check_may_consolidate(request.user, process)
    return render(
        request,
        "evaluation/audit.html",
        {"process": process, "entries": selectors.audit_entries(process, limit=200)},
    )
