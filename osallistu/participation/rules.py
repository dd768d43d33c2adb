"""Who may do what in which phase: the one place where participation permissions are decided.

Each predicate takes the user and the process and returns a bool. Views, services and templates
ask these functions instead of checking phases themselves.
"""

import datetime

from django.utils import timezone

from .models import Phase, Process


def _phase_is_current(process: Process, kind: str, today: datetime.date | None) -> bool:
    today = today or timezone.localdate()
    return any(
        phase.kind == kind and phase.starts_on <= today <= phase.ends_on
        for phase in process.phases.all()
    )


def can_submit_idea(user, process: Process, today: datetime.date | None = None) -> bool:
    """Return True if a signed-in user may submit an idea: only during ideation."""
    return bool(user.is_authenticated) and _phase_is_current(process, Phase.Kind.IDEATION, today)


def can_vote(user, process: Process, today: datetime.date | None = None) -> bool:
    """Return True if a signed-in user may cast a ballot: only during voting."""
    return bool(user.is_authenticated) and _phase_is_current(process, Phase.Kind.VOTING, today)


def voting_is_open(process: Process, today: datetime.date | None = None) -> bool:
    """Return True while the voting phase runs, whoever asks."""
    return _phase_is_current(process, Phase.Kind.VOTING, today)


def ideation_is_open(process: Process, today: datetime.date | None = None) -> bool:
    """Return True while the ideation phase runs, whoever asks."""
    return _phase_is_current(process, Phase.Kind.IDEATION, today)
