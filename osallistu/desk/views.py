"""Pages of the service desk: the public pointer to in-person voting and the staff tools."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core import signing
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import Http404
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_safe

from osallistu.budgeting import receipts
from osallistu.budgeting.forms import BallotForm
from osallistu.budgeting.models import BudgetArea
from osallistu.budgeting.views import REVIEW_MAX_AGE
from osallistu.events.models import Event
from osallistu.identity.models import EligibilityRecord
from osallistu.identity.selectors import eligible_areas
from osallistu.participation import rules
from osallistu.participation.models import Process
from osallistu.participation.rules import Action

from . import selectors, services
from .forms import DeskCheckForm
from .models import PaperBallot

# The record of the person voting on the staff device: {process pk: record pk}. Kept in the
# staff member's session so that no URL can point the ballot at another person's record.
SESSION_KEY = "desk_record"
# Salt of the signed review of an assisted ballot. It differs from the online ballot's salt, so
# an online review token is never read as a desk review.
REVIEW_SALT = "osallistu.desk.review"


def _staff_process(request, process_id: int) -> Process:
    process = get_object_or_404(Process.objects.prefetch_related("phases"), pk=process_id)
    if not rules.can(request.user, Action.ASSIST_VOTING, process):
        raise PermissionDenied
    return process


def _add_errors(form, error: ValidationError) -> None:
    for item in error.error_list:
        form.add_error(None, item)


@require_safe
def where(request):
    """List the votes open now and their upcoming events, where staff help people vote."""
    processes = [
        process
        for process in Process.objects.filter(kind=Process.Kind.PARTICIPATORY_BUDGETING)
        .prefetch_related("phases")
        .order_by("title")
        if rules.voting_is_open(process)
    ]
    events = (
        Event.objects.filter(process__in=processes, ends_at__gte=timezone.now())
        .select_related("process")
        .order_by("starts_at")
    )
    return render(request, "desk/where.html", {"processes": processes, "events": events})


@never_cache
@login_required
def check(request, process_id: int):
    """Check a person's identity document and start their assisted or paper ballot."""
    process = _staff_process(request, process_id)
    form = DeskCheckForm(request.POST or None, process=process)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            record = services.desk_check(
                request.user,
                process,
                data["national_id"],
                data["municipality_code"],
                data["postal_code"],
            )
            if data["kind"] == DeskCheckForm.Kind.PAPER:
                paper = services.paper_ballot_open(request.user, record, data["area"])
        except ValidationError as error:
            _add_errors(form, error)
        else:
            if data["kind"] == DeskCheckForm.Kind.PAPER:
                messages.success(
                    request,
                    _("Write the number %(number)s on the paper ballot.") % {"number": paper.pk},
                )
                return redirect("desk:paper_entry", process_id=process.pk, paper_id=paper.pk)
            request.session[SESSION_KEY] = {str(process.pk): record.pk}
            return redirect("desk:assisted", process_id=process.pk)
    return render(
        request,
        "desk/check.html",
        {
            "process": process,
            "form": form,
            "papers": selectors.open_paper_ballots(process),
            "voting_is_open": rules.voting_is_open(process),
        },
    )


def _session_record(request, process: Process) -> EligibilityRecord | None:
    record_id = request.session.get(SESSION_KEY, {}).get(str(process.pk))
    if record_id is None:
        return None
    return EligibilityRecord.objects.filter(process=process, pk=record_id).first()


def _review_token(record: EligibilityRecord, area: BudgetArea, project_ids: list[int]) -> str:
    payload = {"record": record.pk, "area": area.pk, "projects": project_ids}
    return signing.dumps(payload, salt=REVIEW_SALT)


def _read_review(request, record: EligibilityRecord, area: BudgetArea) -> dict:
    """Return the reviewed choice, or raise ValidationError if its token is expired or invalid.

    The token names the record and the area, so a review of one person's ballot cannot be cast
    for the next person checked at the same device.
    """
    try:
        review = signing.loads(
            request.POST.get("review", ""), salt=REVIEW_SALT, max_age=REVIEW_MAX_AGE
        )
    except signing.SignatureExpired:
        raise ValidationError(
            _("The review expired. Check your choice and review it again."),
            code="review_expired",
        ) from None
    except signing.BadSignature:
        review = None
    if not review or review.get("record") != record.pk or review.get("area") != area.pk:
        raise ValidationError(
            _("The review is not valid. Check the choice and review it again."),
            code="review_invalid",
        )
    return review


@never_cache
@login_required
def assisted(request, process_id: int):
    """Let the checked person choose, review and cast their ballot on the staff member's device.

    As online, nothing is stored before the person confirms the reviewed choice, which arrives
    signed from the review page.
    """
    process = _staff_process(request, process_id)
    record = _session_record(request, process)
    if record is None:
        messages.error(request, _("Check the person's identity document first."))
        return redirect("desk:check", process_id=process.pk)
    areas = list(eligible_areas(record))
    slug = request.GET.get("area") or request.POST.get("area")
    if slug is None and len(areas) == 1:
        slug = areas[0].slug
    area = next((candidate for candidate in areas if candidate.slug == slug), None)
    context = {"process": process, "areas": areas, "area": area}
    if area is None:
        return render(request, "desk/assisted_area.html", context)
    projects = selectors.desk_projects(area, record.pk)
    action = request.POST.get("action") if request.method == "POST" else None

    if action in ("cast", "change"):
        review = review_error = None
        try:
            review = _read_review(request, record, area)
        except ValidationError as error:
            review_error = error
        # A bound form keeps the reviewed choice checked and can carry non-field errors.
        form = BallotForm({"projects": review["projects"] if review else []}, projects=projects)
        form.is_valid()
        if review is None:
            form.add_error(None, review_error)
        elif action == "cast":
            try:
                receipt = services.assisted_ballot_cast(
                    request.user, record, area, review["projects"]
                )
            except ValidationError as error:
                form.add_rule_errors(error)
            except PermissionDenied as error:
                form.add_error(None, str(error))
            else:
                request.session.pop(SESSION_KEY, None)
                return render(
                    request,
                    "desk/assisted_receipt.html",
                    {**context, "code_display": receipts.display(receipt.code)},
                )
    elif action == "review":
        form = BallotForm(request.POST, projects=projects)
        review = form.review(record, area)
        if review is not None:
            token = _review_token(record, area, [p.pk for p in review["chosen"]])
            return render(
                request, "desk/assisted_review.html", {**context, **review, "review": token}
            )
    else:
        form = BallotForm(projects=projects)
    return render(request, "desk/assisted.html", {**context, "form": form})


def _paper(process: Process, paper_id: int) -> PaperBallot:
    paper = selectors.paper_ballot_get(process, paper_id)
    if paper is None:
        raise Http404
    return paper


def _paper_form(request, paper: PaperBallot) -> BallotForm:
    return BallotForm(request.POST or None, projects=selectors.desk_projects(paper.area))


@never_cache
@login_required
def paper_entry(request, process_id: int, paper_id: int):
    """Enter what a paper ballot says; the two entries of different staff are compared."""
    process = _staff_process(request, process_id)
    paper = _paper(process, paper_id)
    form = _paper_form(request, paper)
    if request.method == "POST" and form.is_valid():
        chosen = [p.pk for p in form.cleaned_data["projects"]]
        try:
            paper = services.paper_entry_add(request.user, paper, chosen)
        except ValidationError as error:
            form.add_rule_errors(error)
        except PermissionDenied as error:
            form.add_error(None, str(error))
        else:
            messages.success(request, _paper_message(paper))
            return redirect("desk:check", process_id=process.pk)
    return render(
        request, "desk/paper_entry.html", {"process": process, "paper": paper, "form": form}
    )


def _paper_message(paper: PaperBallot) -> str:
    if paper.status == PaperBallot.Status.ENTERING:
        return _("Paper ballot %(number)s entered once. Another staff member enters it again.") % {
            "number": paper.pk
        }
    if paper.status == PaperBallot.Status.HELD:
        return _(
            "The two entries of paper ballot %(number)s differ. It is held for a coordinator."
        ) % {"number": paper.pk}
    if paper.status == PaperBallot.Status.REJECTED and paper.rejection_codes == "unreadable":
        return _("Paper ballot %(number)s was rejected as unreadable.") % {"number": paper.pk}
    if paper.status == PaperBallot.Status.REJECTED:
        return _paper_rejection_message(paper)
    return _("Paper ballot %(number)s has been counted.") % {"number": paper.pk}


def _paper_rejection_message(paper: PaperBallot) -> str:
    values = {"number": paper.pk}
    if "already_voted" in paper.rejection_codes.split(","):
        return _("Paper ballot %(number)s was rejected because the person has already voted.") % (
            values
        )
    # Set by desk.services when it rejects the ballot. A ballot loaded from the database has none.
    reasons = getattr(paper, "rejection_messages", [])
    if not reasons:
        return _("Paper ballot %(number)s was rejected because it breaks the ballot rules.") % (
            values
        )
    return _(
        "Paper ballot %(number)s was rejected because it breaks the ballot rules. %(reasons)s"
    ) % {**values, "reasons": " ".join(reasons)}


@never_cache
@login_required
def paper_resolve(request, process_id: int, paper_id: int):
    """Show both differing entries of a held paper ballot and record the paper's real content."""
    process = _staff_process(request, process_id)
    paper = _paper(process, paper_id)
    form = _paper_form(request, paper)
    reject = request.POST.get("action") == "reject"
    if request.method == "POST" and (reject or form.is_valid()):
        chosen = None if reject else [p.pk for p in form.cleaned_data["projects"]]
        try:
            paper = services.paper_resolve(request.user, paper, chosen)
        except ValidationError as error:
            form.add_rule_errors(error)
        except PermissionDenied as error:
            form.add_error(None, str(error))
        else:
            messages.success(request, _paper_message(paper))
            return redirect("desk:check", process_id=process.pk)
    entries = paper.entries.select_related("entered_by").prefetch_related("projects")
    return render(
        request,
        "desk/paper_resolve.html",
        {"process": process, "paper": paper, "form": form, "entries": entries},
    )
