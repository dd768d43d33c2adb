"""Who may do what in which phase: the one place where participation permissions are decided.

A permission is a triple of role, phase kind and action. The defaults are the table
DEFAULT_PERMISSIONS below, which docs/permissions.md shows to people; a phase may override the
roles of an action in its `permissions` field. Views, services and templates ask `can()` instead
of checking phases or roles themselves.
"""

import datetime

from django.utils import timezone

from .models import Phase, Process


class Role:
    """Roles as the permission table names them. Staff roles come from RoleAssignment."""

    ANONYMOUS = "anonymous"
    REGISTERED = "registered"
    VERIFIED_RESIDENT = "verified_resident"
    ORGANISATION_MEMBER = "organisation_member"
    MODERATOR = "moderator"
    EVALUATOR = "evaluator"
    COORDINATOR = "coordinator"
    ADMINISTRATOR = "administrator"

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
    """Actions of residents in a process; each is allowed per phase."""

    PROPOSE = "propose"
    COMMENT = "comment"
    SUPPORT = "support"
    VOTE = "vote"
    SUGGEST_THEME = "suggest_theme"

    ALL = (PROPOSE, COMMENT, SUPPORT, VOTE, SUGGEST_THEME)
    # Actions that publish text under the user's name, which a blocked account may not do.
    POSTING = (PROPOSE, COMMENT, SUGGEST_THEME)


_SIGNED_IN = frozenset(
    {
        Role.REGISTERED,
        Role.VERIFIED_RESIDENT,
        Role.ORGANISATION_MEMBER,
        Role.MODERATOR,
        Role.EVALUATOR,
        Role.COORDINATOR,
        Role.ADMINISTRATOR,
    }
)
_EVERYONE = _SIGNED_IN | {Role.ANONYMOUS}

# {phase kind: {action: roles allowed}}. An action missing from a phase is allowed to nobody.
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
    Phase.Kind.EVALUATION: {
        Action.COMMENT: _SIGNED_IN,
        Action.SUPPORT: _EVERYONE,
    },
    Phase.Kind.VOTING: {
        Action.COMMENT: _SIGNED_IN,
        Action.VOTE: _SIGNED_IN,
    },
    Phase.Kind.IMPLEMENTATION: {
        Action.COMMENT: _SIGNED_IN,
    },
}


def current_phase(process: Process, today: datetime.date | None = None) -> Phase | None:
    """Return the phase running today, using the process's prefetched phases where present."""
    today = today or timezone.localdate()
    for phase in process.phases.all():
        if phase.starts_on <= today <= phase.ends_on:
            return phase
    return None


def allowed_roles(phase: Phase, action: str) -> frozenset[str]:
    """Return the roles that may take `action` in `phase`, with the phase's overrides applied."""
    override = (phase.permissions or {}).get(action)
    if override is not None:
        return frozenset(override)
    return DEFAULT_PERMISSIONS.get(phase.kind, {}).get(action, frozenset())


def roles_of(user, process: Process | None = None) -> frozenset[str]:
    """Return every role `user` has in `process` (staff roles scoped to it or city-wide)."""
    if user is None or not user.is_authenticated:
        return frozenset({Role.ANONYMOUS})
    roles = {Role.REGISTERED}
    if getattr(user, "verified_at", None):
        roles.add(Role.VERIFIED_RESIDENT)
    if user.memberships.exists():
        roles.add(Role.ORGANISATION_MEMBER)
    if user.is_superuser:
        roles.add(Role.ADMINISTRATOR)
    assignments = user.role_assignments.all()
    for assignment in assignments:
        if assignment.process_id and (process is None or assignment.process_id != process.pk):
            continue
        if assignment.suburb_id and (
            process is None or not process.suburbs.filter(pk=assignment.suburb_id).exists()
        ):
            continue
        roles.add(assignment.role)
    return frozenset(roles)


def is_blocked(user) -> bool:
    """Return True if a moderator has blocked the account from posting."""
    if user is None or not user.is_authenticated:
        return False
    from osallistu.moderation.models import AccountBlock

    return AccountBlock.objects.filter(user=user).exists()


def can(user, action: str, process: Process, today: datetime.date | None = None) -> bool:
    """Return True if `user` may take `action` in `process` today.

    The current phase decides; between phases nobody may act. A blocked account may not take a
    posting action.
    """
    phase = current_phase(process, today)
    if phase is None:
        return False
    if not (allowed_roles(phase, action) & roles_of(user, process)):
        return False
    return not (action in Action.POSTING and is_blocked(user))


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
