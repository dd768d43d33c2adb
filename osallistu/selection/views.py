"""Staff pages of area selection and the proposal document; thin views over services."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.contrib.staticfiles import finders
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import Http404, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.template.loader import render_to_string
from django.utils.translation import get_language
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods, require_POST, require_safe

from osallistu.areas.models import Suburb
from osallistu.participation import rules
from osallistu.participation.rules import Action

from . import engine, selectors, services
from .forms import ConfigurationForm, DecisionForm, ProposalForm, RoundForm
from .models import NeedIndexConfiguration, SelectionRound


def _require_manager(request) -> None:
    if not rules.can(request.user, Action.MANAGE_SELECTION, None):
        raise PermissionDenied


def _add_errors(form, error: ValidationError) -> None:
    for message in error.messages:
        form.add_error(None, message)


@require_safe
@login_required
def round_list(request):
    _require_manager(request)
    return render(
        request,
        "selection/round_list.html",
        {
            "rounds": selectors.round_list(),
            "configurations": NeedIndexConfiguration.objects.all(),
        },
    )


@require_safe
@login_required
def configuration_list(request):
    _require_manager(request)
    return render(
        request,
        "selection/configuration_list.html",
        {"configurations": NeedIndexConfiguration.objects.all()},
    )


@require_http_methods(["GET", "HEAD", "POST"])
@login_required
def configuration_edit(request, pk: int | None = None):
    """Create a configuration, or edit one; a rejected form keeps what the user typed."""
    _require_manager(request)
    instance = get_object_or_404(NeedIndexConfiguration, pk=pk) if pk else None
    stored = instance.configuration if instance else engine.default_configuration()
    options = {
        "domains": selectors.domain_choices(stored),
        "indicators": selectors.indicator_choices(stored),
    }
    if request.method == "POST":
        form = ConfigurationForm(request.POST, **options)
        if form.is_valid():
            try:
                saved = services.configuration_save(
                    user=request.user,
                    name=form.cleaned_data["name"],
                    configuration=form.configuration(),
                    is_default=form.cleaned_data["is_default"],
                    instance=instance,
                )
            except ValidationError as error:
                _add_errors(form, error)
            else:
                messages.success(request, _("The configuration was saved."))
                return redirect("selection:configuration_edit", pk=saved.pk)
    else:
        form = ConfigurationForm(
            initial=ConfigurationForm.initial_from(instance, stored), **options
        )
    return render(
        request,
        "selection/configuration_form.html",
        {"form": form, "configuration": instance},
    )


@require_http_methods(["GET", "HEAD", "POST"])
@login_required
def round_create(request):
    _require_manager(request)
    default = NeedIndexConfiguration.objects.filter(is_default=True).first()
    if request.method == "POST":
        form = RoundForm(request.POST)
        if form.is_valid():
            data = form.cleaned_data
            try:
                created = services.round_create(
                    user=request.user,
                    year=data["year"],
                    configuration=data["configuration"],
                    rule=data["rule"],
                    top_n=data["top_n"],
                    threshold=data["threshold"],
                    investment_handling=data["investment_handling"],
                    investment_bonus=data["investment_bonus"] or 0.0,
                    statistics_year=data["statistics_year"],
                )
            except ValidationError as error:
                _add_errors(form, error)
            else:
                messages.success(request, _("The draft round was created."))
                return redirect("selection:round_detail", pk=created.pk)
    else:
        form = RoundForm(initial={"configuration": default, "rule": SelectionRound.Rule.TOP_N})
    return render(request, "selection/round_form.html", {"form": form})


def _detail(pk: int, *, with_maps: bool = False) -> selectors.RoundDetail:
    try:
        return selectors.round_detail(pk, with_maps=with_maps)
    except SelectionRound.DoesNotExist:
        raise Http404(_("No such selection round.")) from None


@require_safe
@login_required
def round_detail(request, pk: int):
    _require_manager(request)
    detail = _detail(pk)
    return render(
        request,
        "selection/round_detail.html",
        {
            "detail": detail,
            "round": detail.selection_round,
            "proposal_form": ProposalForm(
                initial={"proposal_text": detail.selection_round.proposal_text}
            ),
        },
    )


def _step(request, pk: int, step, success: str):
    """Run a service step on a round and go back to its page with a message."""
    _require_manager(request)
    selection_round = get_object_or_404(SelectionRound, pk=pk)
    try:
        result = step(selection_round)
    except ValidationError as error:
        for message in error.messages:
            messages.error(request, message)
        return redirect("selection:round_detail", pk=pk)
    messages.success(request, success)
    return redirect("selection:round_detail", pk=result.pk)


@require_POST
@login_required
def round_compute(request, pk: int):
    return _step(
        request,
        pk,
        lambda selection_round: services.round_compute(
            user=request.user, selection_round=selection_round
        ),
        _("The round was computed from the current data."),
    )


@require_POST
@login_required
def round_recompute(request, pk: int):
    return _step(
        request,
        pk,
        lambda selection_round: services.round_recompute(
            user=request.user, selection_round=selection_round
        ),
        _("A new version was computed from the current data."),
    )


@require_http_methods(["GET", "HEAD", "POST"])
@login_required
def round_propose(request, pk: int):
    _require_manager(request)
    selection_round = get_object_or_404(SelectionRound, pk=pk)
    form = ProposalForm(
        request.POST or None, initial={"proposal_text": selection_round.proposal_text}
    )
    if request.method == "POST" and form.is_valid():
        try:
            services.round_propose(
                user=request.user,
                selection_round=selection_round,
                proposal_text=form.cleaned_data["proposal_text"],
            )
        except ValidationError as error:
            _add_errors(form, error)
        else:
            messages.success(request, _("The round is now a proposal to the board."))
            return redirect("selection:round_detail", pk=pk)
    return render(request, "selection/propose_form.html", {"form": form, "round": selection_round})


@require_http_methods(["GET", "HEAD", "POST"])
@login_required
def round_decide(request, pk: int):
    """Record the board's decision; a rejected form keeps what the user typed."""
    _require_manager(request)
    selection_round = get_object_or_404(SelectionRound, pk=pk)
    ranked = engine.ranked_codes(selection_round.result or {}, engine.SUBURB)
    suburbs = Suburb.objects.filter(slug__in=ranked).order_by("name")
    selected = (selection_round.result or {}).get("selected", [])
    form = DecisionForm(
        request.POST or None,
        suburbs=suburbs,
        initial={"suburbs": list(suburbs.filter(slug__in=selected))},
    )
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            services.round_decision_record(
                user=request.user,
                selection_round=selection_round,
                decision_date=data["decision_date"],
                minutes_reference=data["minutes_reference"],
                deciding_body=data["deciding_body"],
                suburbs=list(data["suburbs"]),
            )
        except ValidationError as error:
            _add_errors(form, error)
        else:
            messages.success(request, _("The board's decision was recorded."))
            return redirect("selection:round_detail", pk=pk)
    return render(request, "selection/decision_form.html", {"form": form, "round": selection_round})


def _proposal_context(pk: int) -> dict:
    detail = _detail(pk, with_maps=True)
    return {"detail": detail, "round": detail.selection_round, "language": get_language()}


@require_safe
@login_required
def proposal(request, pk: int):
    """Show the proposal document as a printable page."""
    _require_manager(request)
    return render(request, "selection/proposal.html", _proposal_context(pk))


@require_safe
@login_required
def proposal_pdf(request, pk: int):
    """Return the proposal document as a tagged PDF/UA-1 file with its language and title."""
    _require_manager(request)
    return _proposal_pdf_response(request, pk)


def _proposal_pdf_response(request, pk: int) -> HttpResponse:
    from weasyprint import CSS, HTML

    html = render_to_string(
        "selection/proposal.html", {**_proposal_context(pk), "for_pdf": True}, request=request
    )
    # The stylesheet is read from disk: fetching its URL would make the server request itself.
    stylesheet = CSS(filename=finders.find("selection/proposal.css"))
    pdf = HTML(string=html, base_url=request.build_absolute_uri("/")).write_pdf(
        stylesheets=[stylesheet], pdf_variant="pdf/ua-1"
    )
    response = HttpResponse(pdf, content_type="application/pdf")
    response["Content-Disposition"] = f'inline; filename="valintakierros-{pk}.pdf"'
    return response


def _require_decided(pk: int) -> None:
    if not SelectionRound.objects.filter(pk=pk, status=SelectionRound.Status.DECIDED).exists():
        raise Http404("No decided selection round with this number.")


@require_safe
def decision_list(request):
    """List the board's decisions on selection rounds, for everyone."""
    return render(request, "selection/decision_list.html", {"rounds": selectors.decided_rounds()})


# A decided round's proposal is public, as the proposal of any decision of a municipal body is
# once the decision is made. Drafts and pending proposals stay on the staff pages.
@require_safe
def decision_proposal(request, pk: int):
    """Show the proposal document of a decided round, for everyone."""
    _require_decided(pk)
    return render(request, "selection/proposal.html", {**_proposal_context(pk), "public": True})


@require_safe
def decision_proposal_pdf(request, pk: int):
    """Return the proposal document of a decided round as a tagged PDF, for everyone."""
    _require_decided(pk)
    return _proposal_pdf_response(request, pk)
