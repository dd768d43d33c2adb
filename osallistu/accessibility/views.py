from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import timezone, translation
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods, require_POST, require_safe

from osallistu.participation import rules
from osallistu.participation.rules import Action

from . import selectors, services
from .forms import AnswerForm, FeedbackForm
from .models import ANSWER_DUE_DAYS, Feedback


@require_safe
def statement(request):
    details = selectors.statement_details()
    language = translation.get_language() or "fi"
    return render(
        request,
        "accessibility/statement.html",
        {
            "details": details,
            "known_issues": details.known_issues(language[:2]) if details else "",
            "due_days": ANSWER_DUE_DAYS,
        },
    )


@require_http_methods(["GET", "HEAD", "POST"])
def feedback(request):
    initial = {"page_address": request.GET.get("page", "")[:500]}
    form = FeedbackForm(request.POST or None, initial=initial)
    if request.method == "POST" and form.is_valid():
        try:
            services.feedback_submit(
                page_address=form.cleaned_data["page_address"],
                message=form.cleaned_data["message"],
                contact_email=form.cleaned_data["contact_email"],
                language=translation.get_language() or "fi",
            )
        except ValidationError as error:
            form.add_error("message", error)
        else:
            messages.success(
                request,
                _("Thank you. We answer feedback that has a contact address within %(days)s days.")
                % {"days": ANSWER_DUE_DAYS},
            )
            return redirect("accessibility:statement")
    return render(request, "accessibility/feedback.html", {"form": form})


@require_safe
@login_required
def staff_feedback(request):
    if not rules.can(request.user, Action.ANSWER_FEEDBACK):
        raise PermissionDenied
    today = timezone.localdate()
    open_items = [
        (item, selectors.feedback_age_days(item, today), item.due_on < today)
        for item in selectors.open_feedback()
    ]
    return render(
        request,
        "accessibility/staff_feedback.html",
        {
            "open_items": open_items,
            "answered": selectors.answered_feedback(),
            "answer_form": AnswerForm(),
            "due_days": ANSWER_DUE_DAYS,
        },
    )


@require_POST
@login_required
def mark_answered(request, feedback_id: int):
    get_object_or_404(Feedback, pk=feedback_id)
    form = AnswerForm(request.POST)
    if not form.is_valid():
        messages.error(request, _("Write how the feedback was answered."))
        return redirect("accessibility:staff_feedback")
    try:
        services.feedback_mark_answered(
            user=request.user, feedback_id=feedback_id, answer_note=form.cleaned_data["answer_note"]
        )
    except ValidationError as error:
        messages.error(request, error.messages[0])
    else:
        messages.success(request, _("The feedback is marked as answered."))
    return redirect("accessibility:staff_feedback")
