"""Views for processes: the list, and a process page with its timeline and what is open now."""

from dataclasses import dataclass, field

from django.http import Http404
from django.shortcuts import render
from django.urls import path
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_safe

from .. import rules, selectors
from ..models import Phase, Process

# Names of the phased actions as list items under "What you can do now" and similar headings.
# Voting has no label because a ballot needs strong identification, not an account, so it is
# never an action that signing in adds. PhaseOffer.votes_with_identification covers it instead.
ACTION_LABELS = {
    rules.Action.PROPOSE: gettext_lazy("Submitting ideas"),
    rules.Action.COMMENT: gettext_lazy("Commenting on ideas and in debates"),
    rules.Action.SUPPORT: gettext_lazy("Showing support and answering polls"),
    rules.Action.SUGGEST_THEME: gettext_lazy("Suggesting development themes"),
}

# A plain-language description of each kind of phase, for residents.
PHASE_DESCRIPTIONS = {
    Phase.Kind.INFORMATION: gettext_lazy(
        "The city tells residents about the process, its areas and its timetable."
    ),
    Phase.Kind.IDEATION: gettext_lazy("Residents submit ideas and comment on them."),
    rules.DISCUSSION: gettext_lazy("Residents discuss the ideas and show which ones they support."),
    Phase.Kind.EVALUATION: gettext_lazy(
        "City experts check what the ideas would cost and whether they can be carried out."
    ),
    Phase.Kind.VOTING: gettext_lazy("Residents vote on the budget proposals."),
    Phase.Kind.IMPLEMENTATION: gettext_lazy(
        "The city carries out the chosen proposals and reports on their progress."
    ),
}


@dataclass
class PhaseOffer:
    """The actions one phase offers to the user who views the page."""

    phase: Phase
    description: str
    # Labels of the actions the user may take in the phase.
    actions: list[str]
    # Labels of the actions signing in would add; empty for signed-in users.
    after_sign_in: list[str] = field(default_factory=list)
    # Codes of both kinds of action, for the links to them.
    open_actions: frozenset[str] = frozenset()
    # True in a voting phase, whose ballot takes strong identification instead of an account.
    votes_with_identification: bool = False


@dataclass
class TimelineStep:
    phase: Phase
    description: str
    is_past: bool
    is_current: bool


def get_process(slug: str) -> Process:
    """Return the process with its phases, suburbs and budget areas, or raise Http404."""
    try:
        return selectors.process_detail(slug)
    except Process.DoesNotExist:
        raise Http404(_("No such process.")) from None


def _phase_offer(user, process: Process, phase: Phase | None) -> PhaseOffer | None:
    if phase is None:
        return None
    allowed = rules.actions_in_phase(user, process, phase)
    after_sign_in = []
    if not user.is_authenticated:
        after_sign_in = [
            action
            for action in rules.actions_for_role(rules.Role.REGISTERED, phase)
            if action not in allowed
        ]
    return PhaseOffer(
        phase=phase,
        description=PHASE_DESCRIPTIONS.get(phase.kind, ""),
        actions=_labels(allowed),
        after_sign_in=_labels(after_sign_in),
        open_actions=frozenset(allowed) | frozenset(after_sign_in),
        votes_with_identification=phase.kind == Phase.Kind.VOTING,
    )


def _labels(actions: list[str]) -> list[str]:
    return [ACTION_LABELS[action] for action in actions if action in ACTION_LABELS]


def _timeline(process: Process, current: Phase | None) -> list[TimelineStep]:
    today = timezone.localdate()
    return [
        TimelineStep(
            phase=phase,
            description=PHASE_DESCRIPTIONS.get(phase.kind, ""),
            is_past=phase.ends_on < today,
            is_current=phase == current,
        )
        for phase in process.phases.all()
    ]


@require_safe
def process_list(request):
    return render(
        request, "participation/process_list.html", {"processes": selectors.process_list()}
    )


@require_safe
def process_detail(request, slug: str):
    process = get_process(slug)
    user = request.user
    current = rules.current_phase(process)
    upcoming = rules.next_phase(process)
    return render(
        request,
        "participation/process_detail.html",
        {
            "process": process,
            "current_phase": current,
            "next_phase": upcoming,
            "now": _phase_offer(user, process, current),
            "next": _phase_offer(user, process, upcoming),
            "timeline": _timeline(process, current),
            "has_ended": current is None and upcoming is None and bool(process.phases.all()),
            "is_blocked": rules.is_blocked(user),
            "can_view_statistics": rules.can(user, rules.Action.VIEW_STATISTICS, process),
        },
    )


urlpatterns = [
    path("", process_list, name="process_list"),
    path("<slug:slug>/", process_detail, name="process_detail"),
]
