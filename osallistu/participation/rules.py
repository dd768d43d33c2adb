"""Who may do what in a process: the one place where participation permissions are decided.

Two tables decide. DEFAULT_PERMISSIONS gives, per phase kind, the roles that may take each phased
action (propose, comment, support, vote, suggest a theme). Between phases nobody may take one, and a
phase may replace the roles of an action in its `permissions` field. STAFF_PERMISSIONS gives the
roles that may take each staff action, in any phase and between phases. docs/permissions.md shows
both tables to people, and tests/participation/test_permissions.py keeps it equal to them.

Roles follow from the account. Every signed-in user is `registered`, `verified_at` adds
`verified_resident`, a membership of an organisation adds `organisation_member`, and each
RoleAssignment adds a staff role. An unscoped staff role applies city-wide, one scoped to a suburb
applies in the processes of that suburb, and one scoped to a process applies only there. A
superuser is an administrator everywhere.

Views, services and templates ask `can()` instead of checking phases or roles themselves.
"""

import datetime
import logging
from dataclasses import dataclass, field

from django.contrib.auth import get_user_model
from django.core.exceptions import ValidationError
from django.db.models import Exists, OuterRef
from django.utils import timezone
from django.utils.translation import gettext as _

from osallistu.accounts.models import RoleAssignment
from osallistu.moderation.models import AccountBlock
from osallistu.organisations.models import Membership

from .models import Phase, Process

logger = logging.getLogger(__name__)


class Role:
    """Roles as the permission tables name them. Staff roles come from RoleAssignment."""

    ANONYMOUS = "anonymous"
    REGISTERED = "registered"
    VERIFIED_RESIDENT = "verified_resident"
    ORGANISATION_MEMBER = "organisation_member"
    MODERATOR = RoleAssignment.Role.MODERATOR.value
    EVALUATOR = RoleAssignment.Role.EVALUATOR.value
    COORDINATOR = RoleAssignment.Role.COORDINATOR.value
    ADMINISTRATOR = RoleAssignment.Role.ADMINISTRATOR.value

    ALL = (
        ANONYMOUS,
        REGISTERED,
        VERIFIED_RESIDENT,
        ORGANISATION_MEMBER,
        MODERATOR,
        EVALUATOR,
        COORDINATOR,
        ADMINISTRATOR,
    )
    STAFF = (MODERATOR, EVALUATOR, COORDINATOR, ADMINISTRATOR)


class Action:
    """Actions in a process. Phased actions depend on the current phase, staff actions do not."""

    PROPOSE = "propose"
    COMMENT = "comment"
    SUPPORT = "support"
    VOTE = "vote"
    SUGGEST_THEME = "suggest_theme"

    # Draft development themes, and accept, merge or decline residents' suggestions.
    MANAGE_THEMES = "manage_themes"
    # Handle reports, hide and restore content, approve pre-moderated content, block accounts.
    MODERATE = "moderate"
    # Give ideas an expert evaluation of cost and feasibility.
    EVALUATE = "evaluate"
    # Open debates and close them with a conclusion.
    MANAGE_DEBATES = "manage_debates"
    # Create events and record their outcomes.
    MANAGE_EVENTS = "manage_events"
    # Enter ideas and comments collected on paper, by phone or at an event.
    ENTER_ON_BEHALF = "enter_on_behalf"
    # See participation by channel and age group.
    VIEW_STATISTICS = "view_statistics"
    # Import welfare data, investments and geometry; edit the suburb to postal area mapping.
    MANAGE_AREA_DATA = "manage_area_data"
    # Configure the need index and run selection rounds up to the board decision.
    MANAGE_SELECTION = "manage_selection"
    # Consolidate evaluators' verdicts into one public answer and merge similar ideas.
    CONSOLIDATE = "consolidate"
    # Check identity documents and record assisted and paper ballots at a service desk.
    ASSIST_VOTING = "assist_voting"
    # Count the votes and publish the results.
    PUBLISH_RESULTS = "publish_results"
    # Read and answer accessibility feedback, which is due within 14 days.
    ANSWER_FEEDBACK = "answer_feedback"
    # Edit the privacy notices.
    MANAGE_PRIVACY = "manage_privacy"
    # Run a suburb's programme: goals and their measures, key actions, project packages, and
    # the posters, flyers and newsletters that announce them.
    MANAGE_PROGRAMME = "manage_programme"
    # Update the implementation of project packages and budgeting winners, one by one or by CSV.
    UPDATE_IMPLEMENTATION = "update_implementation"
    # Open survey rounds, enter paper answers and see the inclusion survey's results.
    MANAGE_SURVEYS = "manage_surveys"
    # Import feedback-service requests (Open311 or CSV) and see area needs from them.
    MANAGE_FEEDBACK_DATA = "manage_feedback_data"
    # Search and export the audit log of staff actions.
    VIEW_AUDIT_LOG = "view_audit_log"

    PHASED = (PROPOSE, COMMENT, SUPPORT, VOTE, SUGGEST_THEME)
    STAFF = (
        MANAGE_THEMES,
        MODERATE,
        EVALUATE,
        MANAGE_DEBATES,
        MANAGE_EVENTS,
        ENTER_ON_BEHALF,
        VIEW_STATISTICS,
        MANAGE_AREA_DATA,
        MANAGE_SELECTION,
        CONSOLIDATE,
        ASSIST_VOTING,
        PUBLISH_RESULTS,
        ANSWER_FEEDBACK,
        MANAGE_PRIVACY,
        MANAGE_PROGRAMME,
        UPDATE_IMPLEMENTATION,
        MANAGE_SURVEYS,
        MANAGE_FEEDBACK_DATA,
        VIEW_AUDIT_LOG,
    )
    ALL = PHASED + STAFF
    # Actions that publish text under the user's name, which a blocked account may not take.
    # Supporting and voting publish nothing, so a block leaves them allowed.
    POSTING = (PROPOSE, COMMENT, SUGGEST_THEME)


DISCUSSION = Phase.Kind.DISCUSSION.value
PHASE_KINDS = (
    Phase.Kind.INFORMATION.value,
    Phase.Kind.IDEATION.value,
    DISCUSSION,
    Phase.Kind.EVALUATION.value,
    Phase.Kind.VOTING.value,
    Phase.Kind.IMPLEMENTATION.value,
)

_SIGNED_IN = frozenset(Role.ALL) - {Role.ANONYMOUS}
_EVERYONE = frozenset(Role.ALL)

# {phase kind: {action: roles allowed}}. An action missing from a phase is allowed to nobody.
# Every signed-in role is listed wherever `registered` is, because each signed-in user is also
# registered; the tables therefore state what a user holding the role may do.
DEFAULT_PERMISSIONS: dict[str, dict[str, frozenset[str]]] = {
    Phase.Kind.INFORMATION: {
        Action.COMMENT: _SIGNED_IN,
        Action.SUPPORT: _EVERYONE,
        Action.SUGGEST_THEME: _SIGNED_IN,
    },
    Phase.Kind.IDEATION: {
        Action.PROPOSE: _SIGNED_IN,
        Action.COMMENT: _SIGNED_IN,
        Action.SUPPORT: _EVERYONE,
        Action.SUGGEST_THEME: _SIGNED_IN,
    },
    DISCUSSION: {
        Action.COMMENT: _SIGNED_IN,
        Action.SUPPORT: _EVERYONE,
    },
    Phase.Kind.EVALUATION: {
        Action.COMMENT: _SIGNED_IN,
        Action.SUPPORT: _EVERYONE,
    },
    # A process that requires strong identification overrides this in its voting phase with
    # {"vote": ["verified_resident"]}.
    Phase.Kind.VOTING: {
        Action.COMMENT: _SIGNED_IN,
        Action.VOTE: _SIGNED_IN,
    },
    Phase.Kind.IMPLEMENTATION: {
        Action.COMMENT: _SIGNED_IN,
    },
}

# {staff action: roles allowed}, in every phase and between phases.
STAFF_PERMISSIONS: dict[str, frozenset[str]] = {
    Action.MANAGE_THEMES: frozenset({Role.COORDINATOR, Role.ADMINISTRATOR}),
    Action.MODERATE: frozenset({Role.MODERATOR, Role.COORDINATOR, Role.ADMINISTRATOR}),
    Action.EVALUATE: frozenset({Role.EVALUATOR, Role.COORDINATOR, Role.ADMINISTRATOR}),
    Action.MANAGE_DEBATES: frozenset({Role.COORDINATOR, Role.ADMINISTRATOR}),
    Action.MANAGE_EVENTS: frozenset({Role.COORDINATOR, Role.ADMINISTRATOR}),
    Action.ENTER_ON_BEHALF: frozenset({Role.COORDINATOR, Role.ADMINISTRATOR}),
    Action.VIEW_STATISTICS: frozenset({Role.EVALUATOR, Role.COORDINATOR, Role.ADMINISTRATOR}),
    Action.MANAGE_AREA_DATA: frozenset({Role.COORDINATOR, Role.ADMINISTRATOR}),
    Action.MANAGE_SELECTION: frozenset({Role.COORDINATOR, Role.ADMINISTRATOR}),
    Action.CONSOLIDATE: frozenset({Role.COORDINATOR, Role.ADMINISTRATOR}),
    Action.ASSIST_VOTING: frozenset({Role.COORDINATOR, Role.ADMINISTRATOR}),
    Action.PUBLISH_RESULTS: frozenset({Role.COORDINATOR, Role.ADMINISTRATOR}),
    Action.ANSWER_FEEDBACK: frozenset({Role.COORDINATOR, Role.ADMINISTRATOR}),
    Action.MANAGE_PRIVACY: frozenset({Role.ADMINISTRATOR}),
    Action.MANAGE_PROGRAMME: frozenset({Role.COORDINATOR, Role.ADMINISTRATOR}),
    # Evaluators belong to the service areas that own and build packages and winners.
    Action.UPDATE_IMPLEMENTATION: frozenset({Role.EVALUATOR, Role.COORDINATOR, Role.ADMINISTRATOR}),
    Action.MANAGE_SURVEYS: frozenset({Role.COORDINATOR, Role.ADMINISTRATOR}),
    Action.MANAGE_FEEDBACK_DATA: frozenset({Role.COORDINATOR, Role.ADMINISTRATOR}),
    Action.VIEW_AUDIT_LOG: frozenset({Role.ADMINISTRATOR}),
}


# --- Phases -----------------------------------------------------------------------------------


def current_phase(process: Process, today: datetime.date | None = None) -> Phase | None:
    """Return the phase running today, or None between and outside phases.

    Phases come from `process.phases.all()`, so a prefetch of them is used. If phases overlap,
    the one listed first (the earliest start, by the model's ordering) wins.
    """
    today = today or timezone.localdate()
    for phase in process.phases.all():
        if phase.starts_on <= today <= phase.ends_on:
            return phase
    return None


def next_phase(process: Process, today: datetime.date | None = None) -> Phase | None:
    """Return the first phase that starts after today, or None."""
    today = today or timezone.localdate()
    upcoming = [phase for phase in process.phases.all() if phase.starts_on > today]
    return min(upcoming, key=lambda phase: phase.starts_on, default=None)


def allowed_roles(phase: Phase, action: str) -> frozenset[str]:
    """Return the roles that may take the phased `action` in `phase`, with overrides applied.

    An override replaces the defaults of its action; an empty list allows nobody. A malformed
    override (not a list of role names) allows nobody either, because falling back to the
    defaults could allow more than staff meant.
    """
    overrides = phase.permissions if isinstance(phase.permissions, dict) else {}
    if action in overrides:
        roles = overrides[action]
        if isinstance(roles, list | tuple) and all(isinstance(role, str) for role in roles):
            return frozenset(roles)
        logger.warning("malformed permission override phase=%s action=%s", phase.pk, action)
        return frozenset()
    return DEFAULT_PERMISSIONS.get(phase.kind, {}).get(action, frozenset())


def actions_for_role(role: str, phase: Phase) -> list[str]:
    """Return the phased actions that `role` alone allows in `phase`, in Action.PHASED order."""
    return [action for action in Action.PHASED if role in allowed_roles(phase, action)]


def validate_phase_permissions(value) -> None:
    """Raise ValidationError unless `value` is a valid `Phase.permissions` override.

    The value must map phased action names to lists of role names.
    """
    if not isinstance(value, dict):
        raise ValidationError(_("Permissions must map actions to lists of roles."), code="invalid")
    for action, roles in value.items():
        if action not in Action.PHASED:
            raise ValidationError(
                _("Unknown action “%(action)s”. Use one of: %(actions)s."),
                params={"action": action, "actions": ", ".join(Action.PHASED)},
                code="unknown_action",
            )
        if not isinstance(roles, list) or not all(isinstance(role, str) for role in roles):
            raise ValidationError(
                _("The roles of “%(action)s” must be a list of role names."),
                params={"action": action},
                code="invalid",
            )
        for role in roles:
            if role not in Role.ALL:
                raise ValidationError(
                    _("Unknown role “%(role)s”. Use one of: %(roles)s."),
                    params={"role": role, "roles": ", ".join(Role.ALL)},
                    code="unknown_role",
                )


# --- Roles ------------------------------------------------------------------------------------

# Attribute of the user object that memoises its account facts and roles. request.user lives for
# one request, so a page that calls can() many times loads the facts once.
_CACHE_ATTRIBUTE = "_participation_rules_cache"


@dataclass
class _Assignment:
    role: str
    suburb_id: int | None
    process_id: int | None
    service_area_id: int | None


@dataclass
class _AccountFacts:
    is_member: bool
    is_blocked: bool
    assignments: list[_Assignment]
    # Assignments in force per process primary key; None is the key of city-wide questions.
    in_scope: dict[int | None, list[_Assignment]] = field(default_factory=dict)


def _is_signed_in(user) -> bool:
    return user is not None and user.is_authenticated and user.is_active


def _account_facts(user) -> _AccountFacts:
    """Load and memoise what the rules need to know about a signed-in user, in two queries."""
    facts = getattr(user, _CACHE_ATTRIBUTE, None)
    if facts is not None:
        return facts
    flags = (
        get_user_model()
        .objects.filter(pk=user.pk)
        .annotate(
            is_member=Exists(Membership.objects.filter(user=OuterRef("pk"))),
            is_blocked=Exists(AccountBlock.objects.filter(user=OuterRef("pk"))),
        )
        .values_list("is_member", "is_blocked")
        .first()
    ) or (False, False)
    assignments = [
        _Assignment(*row)
        for row in RoleAssignment.objects.filter(user=user).values_list(
            "role", "suburb_id", "process_id", "service_area_id"
        )
    ]
    facts = _AccountFacts(is_member=flags[0], is_blocked=flags[1], assignments=assignments)
    setattr(user, _CACHE_ATTRIBUTE, facts)
    return facts


def clear_cache(user) -> None:
    """Forget the memoised roles of `user`, after its roles, memberships or block have changed."""
    if user is not None and hasattr(user, _CACHE_ATTRIBUTE):
        delattr(user, _CACHE_ATTRIBUTE)


def _assignments_in_scope(facts: _AccountFacts, process: Process | None) -> list[_Assignment]:
    """Return the user's staff assignments that apply to `process`, or city-wide for None."""
    key = process.pk if process is not None else None
    if key in facts.in_scope:
        return facts.in_scope[key]
    suburb_ids: set[int] | None = None
    in_scope = []
    for assignment in facts.assignments:
        if assignment.process_id is not None:
            if process is None or assignment.process_id != process.pk:
                continue
        elif assignment.suburb_id is not None:
            if process is None:
                continue
            if suburb_ids is None:
                # Uses a prefetch of the process's suburbs where the caller made one.
                suburb_ids = {suburb.pk for suburb in process.suburbs.all()}
            if assignment.suburb_id not in suburb_ids:
                continue
        in_scope.append(assignment)
    facts.in_scope[key] = in_scope
    return in_scope


def roles_of(user, process: Process | None = None) -> frozenset[str]:
    """Return every role `user` has in `process`, or city-wide where `process` is None.

    The account facts are loaded once per user object (see clear_cache), so a page that calls
    this many times makes two queries in all. A suburb-scoped role adds one query per process
    for its suburbs, unless the caller prefetched them.
    """
    if not _is_signed_in(user):
        return frozenset({Role.ANONYMOUS})
    facts = _account_facts(user)
    roles = {Role.REGISTERED}
    if user.verified_at:
        roles.add(Role.VERIFIED_RESIDENT)
    if facts.is_member:
        roles.add(Role.ORGANISATION_MEMBER)
    if user.is_superuser:
        roles.add(Role.ADMINISTRATOR)
    roles.update(assignment.role for assignment in _assignments_in_scope(facts, process))
    return frozenset(roles)


def service_areas_of(user, process: Process | None = None) -> frozenset[int]:
    """Return the primary keys of the service areas in which `user` evaluates in `process`.

    Coordinators and administrators may evaluate in every service area; callers check
    `can(user, Action.EVALUATE, process)` first and use this to limit evaluators.
    """
    if not _is_signed_in(user):
        return frozenset()
    return frozenset(
        assignment.service_area_id
        for assignment in _assignments_in_scope(_account_facts(user), process)
        if assignment.role == Role.EVALUATOR and assignment.service_area_id is not None
    )


def is_blocked(user) -> bool:
    """Return True if a moderator has blocked the account from posting."""
    if not _is_signed_in(user):
        return False
    return _account_facts(user).is_blocked


# --- Decisions --------------------------------------------------------------------------------


def _can_in_phase(user, action: str, process: Process, phase: Phase) -> bool:
    if not (allowed_roles(phase, action) & roles_of(user, process)):
        return False
    return not (action in Action.POSTING and is_blocked(user))


def can(
    user, action: str, process: Process | None = None, today: datetime.date | None = None
) -> bool:
    """Return True if `user` may take `action` in `process` today.

    A staff action needs a role of STAFF_PERMISSIONS in scope. With `process` None the question
    is city-wide, so only unscoped roles count. A phased action needs a process, and the current
    phase decides: between phases nobody may take one. A blocked account may not take a posting
    action. Raise ValueError for an unknown action or a phased action without a process.
    """
    if action in STAFF_PERMISSIONS:
        return bool(STAFF_PERMISSIONS[action] & roles_of(user, process))
    if action not in Action.PHASED:
        raise ValueError(f"unknown action {action!r}; expected one of {Action.ALL}")
    if process is None:
        raise ValueError(f"the phased action {action!r} needs a process")
    phase = current_phase(process, today)
    if phase is None:
        return False
    return _can_in_phase(user, action, process, phase)


def actions_in_phase(user, process: Process, phase: Phase) -> list[str]:
    """Return the phased actions `user` may take in `phase` of `process`, in Action.PHASED order.

    This is what can() returns on any day of the phase; pages use it to say what the next
    phase brings.
    """
    return [action for action in Action.PHASED if _can_in_phase(user, action, process, phase)]


def can_submit_idea(user, process: Process, today: datetime.date | None = None) -> bool:
    """Return True if the user may submit an idea now."""
    return can(user, Action.PROPOSE, process, today)


def can_vote(user, process: Process, today: datetime.date | None = None) -> bool:
    """Return True if the user may cast a ballot now."""
    return can(user, Action.VOTE, process, today)


def voting_is_open(process: Process, today: datetime.date | None = None) -> bool:
    """Return True while the voting phase runs, whoever asks."""
    phase = current_phase(process, today)
    return phase is not None and phase.kind == Phase.Kind.VOTING


def ideation_is_open(process: Process, today: datetime.date | None = None) -> bool:
    """Return True while the ideation phase runs, whoever asks."""
    phase = current_phase(process, today)
    return phase is not None and phase.kind == Phase.Kind.IDEATION
