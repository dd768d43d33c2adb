import secrets
from urllib.parse import urlencode

from allauth.account.adapter import get_adapter
from django.core import signing
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import Http404, JsonResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import NoReverseMatch, reverse
from django.utils.translation import gettext as _
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_safe

from osallistu.core.ratelimit import is_rate_limited
from osallistu.identity import selectors as identity_selectors
from osallistu.participation import rules
from osallistu.participation.models import Channel, Process

from . import receipts, results, selectors, services
from .forms import BallotForm, ReceiptCodeForm
from .models import BudgetArea, BudgetingSettings

# Receipt codes are long random strings, so guessing one is hopeless. The limit still keeps
# scripts from trying and from loading the server; a service point behind one address checks a
# few codes a minute at most.
RECEIPT_CHECK_LIMIT = 30
RECEIPT_CHECK_PERIOD_SECONDS = 10 * 60

# The review step signs the reviewed choice, so only a reviewed ballot can be cast.
REVIEW_SALT = "osallistu.budgeting.review"
# Seconds a review stays valid. A voter who waits longer reviews the ballot again.
REVIEW_MAX_AGE = 3 * 60 * 60
# Session key of {process id: seed of the random order of the ballot's proposals}.
ORDER_SESSION_KEY = "budgeting_ballot_order"


def _get_process(slug: str) -> Process:
    process = Process.objects.prefetch_related("phases").filter(slug=slug).first()
    if process is None:
        raise Http404(_("No such process."))
    return process


def _identification_url(request, process: Process) -> str | None:
    try:
        start = reverse("identity:start", kwargs={"process_slug": process.slug})
    except NoReverseMatch:
        return None
    return f"{start}?{urlencode({'next': request.get_full_path()})}"


def _order_seed(request, process: Process) -> int:
    seeds = dict(request.session.get(ORDER_SESSION_KEY, {}))
    key = str(process.pk)
    if key not in seeds:
        seeds[key] = secrets.randbits(32)
        request.session[ORDER_SESSION_KEY] = seeds
    return seeds[key]


def _identify_page(request, process: Process):
    return render(
        request,
        "budgeting/ballot_identify.html",
        {"process": process, "identification_url": _identification_url(request, process)},
    )


def _voting_state(request, process: Process) -> dict:
    record = identity_selectors.session_record(request, process)
    participation = record and selectors.participation_record_get(process, record.digest)
    paper_ballot = bool(
        record and not participation and selectors.paper_ballot_issued(process, record.digest)
    )
    options = services.budgeting_settings_get(process)
    return {
        "process": process,
        "record": record,
        "participation": participation,
        "paper_ballot": paper_ballot,
        "voting_is_open": rules.voting_is_open(process),
        "voting_has_closed": selectors.voting_has_closed(process),
        "results_published": results.results_are_public(process),
        "can_replace": bool(
            participation and options.allow_replacement and participation.channel == Channel.ONLINE
        ),
        "options": options,
    }


@require_safe
def ballot_area_choice(request, slug: str):
    process = _get_process(slug)
    state = _voting_state(request, process)
    if state["record"] is None and not state["voting_is_open"]:
        # No one can vote now, so identifying first would only delay the message.
        return render(request, "budgeting/ballot_area_choice.html", {**state, "areas": []})
    if state["record"] is None:
        return _identify_page(request, process)
    areas = list(selectors.budget_areas(process))
    if state["voting_is_open"] and not (state["participation"] or state["paper_ballot"]):
        if len(areas) == 1:
            return redirect("budgeting:ballot_area", slug=process.slug, area_slug=areas[0].slug)
        if state["options"].area_choice == BudgetingSettings.AreaChoice.OWN_AREA:
            postal_code = state["record"].postal_code
            home = [area for area in areas if postal_code and postal_code in area.postal_codes]
            if home:
                return redirect("budgeting:ballot_area", slug=process.slug, area_slug=home[0].slug)
    return render(request, "budgeting/ballot_area_choice.html", {**state, "areas": areas})


def _review_token(area: BudgetArea, project_ids: list[int], code: str) -> str:
    return signing.dumps({"area": area.pk, "projects": project_ids, "code": code}, salt=REVIEW_SALT)


def _read_review(request, area: BudgetArea) -> dict | None:
    try:
        review = signing.loads(
            request.POST.get("review", ""), salt=REVIEW_SALT, max_age=REVIEW_MAX_AGE
        )
    except signing.BadSignature:
        return None
    return review if review.get("area") == area.pk else None


def _cast(state: dict, area: BudgetArea, review: dict):
    record = state["record"]
    if review["code"]:
        return services.replace_ballot(record, review["code"], area, review["projects"])
    return services.cast_ballot(record, area, review["projects"])


@never_cache
def ballot(request, slug: str, area_slug: str):
    """Show the ballot, then the review of the choice, then cast it and show the receipt code.

    Nothing is stored before the voter confirms the reviewed choice, which arrives signed from
    the review page. A voter who replaces a ballot carries the old receipt code through the
    steps in a form field, never in the session.
    """
    process = _get_process(slug)
    area = get_object_or_404(selectors.budget_areas(process), slug=area_slug)
    state = _voting_state(request, process)
    if state["record"] is None and not state["voting_is_open"]:
        # No one can vote now, so identifying first would only delay the message.
        return render(request, "budgeting/ballot.html", {**state, "area": area, "blocked": True})
    if state["record"] is None:
        return _identify_page(request, process)
    projects = selectors.ballot_projects(area, _order_seed(request, process))
    context = {**state, "area": area}
    action = request.POST.get("action") if request.method == "POST" else None
    review = _read_review(request, area) if action in ("cast", "change") else None
    replacing = review["code"] if review else request.POST.get("receipt_code", "")
    if replacing and not (
        state["can_replace"] and selectors.receipt_code_matches(state["participation"], replacing)
    ):
        replacing = ""
    blocked = (
        not state["voting_is_open"]
        or state["paper_ballot"]
        or bool(state["participation"] and not replacing)
    )

    if action in ("cast", "change") and not blocked:
        chosen = {"projects": review["projects"] if review else []}
        # A bound form keeps the reviewed choice checked and can carry non-field errors.
        form = BallotForm(chosen, projects=projects)
        form.is_valid()
        if review is None:
            form.add_error(None, _("The review expired. Check your choice and review it again."))
        elif action == "cast":
            try:
                receipt = _cast(state, area, review)
            except ValidationError as error:
                form.add_rule_errors(error)
            except PermissionDenied as error:
                form.add_error(None, str(error))
            else:
                # Whoever uses this browser next must identify again, also to replace the ballot.
                identity_selectors.forget_record(request, process)
                return render(
                    request,
                    "budgeting/ballot_receipt.html",
                    {
                        **context,
                        "receipt": receipt,
                        "code_display": receipts.display(receipt.code),
                        "replaced": bool(review["code"]),
                    },
                )
    elif action == "review" and not blocked:
        form = BallotForm(request.POST, projects=projects)
        review = form.review(state["record"], area, state["options"])
        if review is not None:
            token = _review_token(area, [p.pk for p in review["chosen"]], replacing)
            return render(
                request, "budgeting/ballot_review.html", {**context, **review, "review": token}
            )
    else:
        form = BallotForm(projects=projects)
    return render(
        request,
        "budgeting/ballot.html",
        {**context, "form": form, "blocked": blocked, "receipt_code": replacing},
    )


@never_cache
def ballot_replace(request, slug: str):
    """Ask an online voter for the receipt code, then show the ballot to replace with it."""
    process = _get_process(slug)
    state = _voting_state(request, process)
    if state["record"] is None and not state["voting_is_open"]:
        return render(request, "budgeting/ballot_replace.html", state)
    if state["record"] is None:
        return _identify_page(request, process)
    form = ReceiptCodeForm(request.POST or None)
    if request.method == "POST" and state["can_replace"] and state["voting_is_open"]:
        if form.is_valid() and selectors.receipt_code_matches(
            state["participation"], form.cleaned_data["code"]
        ):
            area = state["participation"].area
            projects = selectors.ballot_projects(area, _order_seed(request, process))
            return render(
                request,
                "budgeting/ballot.html",
                {
                    **state,
                    "area": area,
                    "form": BallotForm(projects=projects),
                    "blocked": False,
                    "receipt_code": form.cleaned_data["code"],
                },
            )
        if form.is_valid():
            form.add_error("code", _("This receipt code is not the code of your current ballot."))
    return render(request, "budgeting/ballot_replace.html", {**state, "form": form})


@never_cache
def receipt_check(request, slug: str):
    """Tell whoever holds a receipt code whether and on which day its ballot arrived."""
    process = _get_process(slug)
    form = ReceiptCodeForm(request.POST or None)
    receipt = None
    checked = False
    if request.method == "POST" and form.is_valid():
        client_ip = get_adapter(request).get_client_ip(request)
        if is_rate_limited(
            f"receipt_check:{client_ip}",
            limit=RECEIPT_CHECK_LIMIT,
            period_seconds=RECEIPT_CHECK_PERIOD_SECONDS,
        ):
            form.add_error(
                None,
                _(
                    "Too many receipt checks from this address in a short time. Wait "
                    "%(minutes)d minutes and try again."
                )
                % {"minutes": RECEIPT_CHECK_PERIOD_SECONDS // 60},
            )
        else:
            checked = True
            receipt = selectors.receipt_get(process, form.cleaned_data["code"])
    return render(
        request,
        "budgeting/receipt_check.html",
        {"process": process, "form": form, "receipt": receipt, "checked": checked},
    )


@require_safe
def receipt_hashes(request, slug: str):
    """List the SHA-256 hashes of all counted receipt codes, once voting has closed."""
    process = _get_process(slug)
    closed = selectors.voting_has_closed(process)
    hashes = selectors.counted_receipt_hashes(process) if closed else []
    return render(
        request,
        "budgeting/receipt_hashes.html",
        {"process": process, "closed": closed, "hashes": hashes},
    )


@require_safe
def receipt_hashes_json(request, slug: str):
    """Return the counted receipt hashes as JSON, or 404 while voting has not closed."""
    process = _get_process(slug)
    if not selectors.voting_has_closed(process):
        raise Http404(_("The receipt hashes are published after voting closes."))
    return JsonResponse(
        {
            "process": process.slug,
            "algorithm": "sha256",
            "hashes": selectors.counted_receipt_hashes(process),
        }
    )
