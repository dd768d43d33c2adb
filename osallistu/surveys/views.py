"""Pages of the surveys app: answering, public results and the staff tools."""

import csv

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import translate_url
from django.utils import timezone, translation
from django.utils.translation import gettext as _
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_http_methods, require_POST, require_safe

from osallistu.areas.models import Suburb
from osallistu.participation import rules
from osallistu.participation.rules import Action

from . import selectors, services
from .forms import CodeCountForm, PaperResponseForm, ResponseForm, RoundForm
from .models import Questionnaire, SurveyRound


def _round(round_id: int) -> SurveyRound:
    return get_object_or_404(
        SurveyRound.objects.select_related("questionnaire", "suburb", "event"), pk=round_id
    )


def _add_errors(form, error: ValidationError) -> None:
    for message in error.messages:
        form.add_error(None, message)


def _staff(request) -> None:
    if not rules.can(request.user, Action.MANAGE_SURVEYS):
        raise PermissionDenied


def _notes_context() -> dict:
    return {"min_group": selectors.min_group()}


@require_safe
def index(request):
    """List the surveys open now and the suburbs that have participation indicator rounds."""
    suburbs = Suburb.objects.filter(
        survey_rounds__questionnaire__kind=Questionnaire.Kind.ESIS
    ).distinct()
    return render(
        request,
        "surveys/index.html",
        {"rounds": selectors.open_rounds(), "suburbs": suburbs.order_by("name")},
    )


@never_cache
@login_required
@require_http_methods(["GET", "POST"])
def answer(request, round_id: int):
    """Show the round's form in an offered language and store one answer per person."""
    survey_round = _round(round_id)
    language = translation.get_language()
    offered = selectors.offered_languages(survey_round)
    if language not in offered:
        links = [(code, translate_url(request.path, code)) for code in offered]
        return render(
            request,
            "surveys/language_unavailable.html",
            {"round": survey_round, "links": links},
        )
    items = selectors.form_items(survey_round, language)
    form = ResponseForm(request.POST or None, items=items, ask_age_group=survey_round.ask_age_group)
    is_open = survey_round.is_open(timezone.localdate())
    if request.method == "POST" and form.is_valid():
        try:
            services.response_submit_online(
                user=request.user, survey_round=survey_round, **form.answer_data()
            )
        except ValidationError as error:
            _add_errors(form, error)
        else:
            return redirect("surveys:thanks", round_id=survey_round.pk)
    return render(
        request,
        "surveys/answer.html",
        {
            "round": survey_round,
            "form": form,
            "is_open": is_open,
            "texts_official": selectors.texts_are_official(items),
        },
    )


@require_safe
def thanks(request, round_id: int):
    return render(request, "surveys/thanks.html", {"round": _round(round_id)})


@require_safe
def suburb_results(request, slug: str):
    """Show a suburb's participation indicator over time and its workshop feedback results."""
    suburb = get_object_or_404(Suburb, slug=slug)
    results = [r for r in selectors.inclusion_results(suburb) if r.is_published]
    return render(
        request,
        "surveys/suburb_results.html",
        {
            "suburb": suburb,
            "results": results,
            "feedback_rounds": selectors.event_rounds(suburb),
            **_notes_context(),
        },
    )


@require_safe
def comparison(request):
    """Compare the suburbs' participation indicator at the same time points."""
    suburbs, rows = selectors.inclusion_comparison()
    table = [(row, [row.results.get(suburb.pk) for suburb in suburbs]) for row in rows]
    return render(
        request,
        "surveys/comparison.html",
        {"suburbs": suburbs, "table": table, **_notes_context()},
    )


@require_safe
def feedback_results(request, round_id: int):
    """Show the published item results of a workshop feedback round; free texts never."""
    survey_round = _round(round_id)
    responses, results, published = selectors.item_results(survey_round, translation.get_language())
    return render(
        request,
        "surveys/feedback_results.html",
        {
            "round": survey_round,
            "responses": responses,
            "results": results,
            "published": published,
            **_notes_context(),
        },
    )


# --- Staff ---------------------------------------------------------------------------------------


@never_cache
@login_required
@require_http_methods(["GET", "POST"])
def staff_rounds(request):
    """List the rounds and create a new one."""
    _staff(request)
    form = RoundForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            survey_round = services.round_create(user=request.user, **data)
        except ValidationError as error:
            _add_errors(form, error)
        else:
            messages.success(request, _("The survey round was created."))
            return redirect("surveys:staff_round", round_id=survey_round.pk)
    return render(
        request,
        "surveys/staff_rounds.html",
        {"rounds": selectors.rounds_for_staff(), "form": form},
    )


@never_cache
@login_required
@require_safe
def staff_round(request, round_id: int):
    """Show a round's results to staff, with paper codes, paper entry and the CSV export."""
    _staff(request)
    survey_round = _round(round_id)
    context = {"round": survey_round, "code_form": CodeCountForm(), **_notes_context()}
    if survey_round.questionnaire.scoring:
        context["result"] = selectors.round_results(survey_round)
    responses, item_results, published = selectors.item_results(
        survey_round, translation.get_language()
    )
    context.update(
        responses=responses,
        item_results=item_results,
        published=published,
        text_answers=selectors.text_answers(survey_round) if published else [],
        unused_codes=survey_round.paper_codes.filter(is_used=False).count(),
    )
    return render(request, "surveys/staff_round.html", context)


@never_cache
@login_required
@require_POST
def staff_codes(request, round_id: int):
    """Generate single-use paper codes and show them once, ready to print."""
    _staff(request)
    survey_round = _round(round_id)
    form = CodeCountForm(request.POST)
    codes: list[str] = []
    if form.is_valid():
        try:
            codes = services.paper_codes_generate(
                user=request.user, survey_round=survey_round, count=form.cleaned_data["count"]
            )
        except ValidationError as error:
            _add_errors(form, error)
    status = 200 if codes else 400
    return render(
        request,
        "surveys/staff_codes.html",
        {"round": survey_round, "codes": codes, "code_form": form},
        status=status,
    )


@never_cache
@login_required
@require_http_methods(["GET", "POST"])
def staff_paper(request, round_id: int):
    """Enter one paper form with its single-use code."""
    _staff(request)
    survey_round = _round(round_id)
    offered = selectors.offered_languages(survey_round)
    language = translation.get_language()
    # Staff enter the form in the language it was printed in, which may differ from the page's.
    if offered and language not in offered:
        language = offered[0]
    items = selectors.form_items(survey_round, language) if offered else []
    form = PaperResponseForm(
        request.POST or None, items=items, ask_age_group=survey_round.ask_age_group
    )
    if request.method == "POST" and form.is_valid():
        try:
            services.response_enter_paper(
                user=request.user,
                survey_round=survey_round,
                code=form.cleaned_data["code"],
                **form.answer_data(),
            )
        except ValidationError as error:
            _add_errors(form, error)
        else:
            messages.success(request, _("The paper form was saved. Enter the next one."))
            return redirect("surveys:staff_paper", round_id=survey_round.pk)
    return render(request, "surveys/staff_paper.html", {"round": survey_round, "form": form})


@never_cache
@login_required
@require_safe
def staff_csv(request, round_id: int):
    """Download the round's aggregated results as CSV: no single response is included."""
    _staff(request)
    survey_round = _round(round_id)
    response = HttpResponse(content_type="text/csv; charset=utf-8")
    response["Content-Disposition"] = f'attachment; filename="survey-{survey_round.pk}.csv"'
    # The byte order mark makes Excel read the file as UTF-8 instead of the Windows code page.
    response.write("\ufeff")
    writer = csv.writer(response, delimiter=";")
    writer.writerow(["round", "group", "n", "mean", "ci_low", "ci_high", "suppressed"])
    if survey_round.questionnaire.scoring:
        result = selectors.round_results(survey_round)
        rows = [("all", result.n, result.mean, result.low, result.high, result.suppressed)]
        rows += [
            (group.key, group.n, group.mean, group.low, group.high, group.suppressed)
            for group in result.age_groups
        ]
    else:
        _responses, item_results, _published = selectors.item_results(
            survey_round, translation.get_language()
        )
        rows = [
            (f"item {r.form_item.item.position}", r.n, r.mean, r.low, r.high, r.suppressed)
            for r in item_results
        ]
    for key, n, mean, low, high, suppressed in rows:
        writer.writerow(
            [
                survey_round.label,
                key,
                "" if suppressed else n,
                "" if mean is None else mean,
                "" if low is None else low,
                "" if high is None else high,
                "yes" if suppressed else "no",
            ]
        )
    return response
