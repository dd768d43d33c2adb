"""Reads for one-off participation: open polls, the participant's own answers and the counts."""

from collections import Counter
from dataclasses import dataclass, field

from django.db.models import Count, Prefetch
from django.utils.translation import gettext as _

from .. import rules
from ..models import Channel, OneOffParticipation, Poll, PollOption, Process

__all__ = [
    "POLL_MANAGING_ACTION",
    "CountRow",
    "CountTable",
    "PollState",
    "TakePart",
    "can_manage_one_off",
    "take_part",
]

# TODO: rules has no action for managing polls. Entering contributions on someone's behalf is
# granted to the same roles (coordinator, administrator), so it is used until one is added.
POLL_MANAGING_ACTION = rules.Action.ENTER_ON_BEHALF


@dataclass
class CountRow:
    """Counts of one support button or poll option, apart by sign-in and by channel."""

    label: str
    signed_in: int = 0
    anonymous: int = 0
    # Aligned with CountTable.channels.
    by_channel: list[int] = field(default_factory=list)

    @property
    def total(self) -> int:
        return self.signed_in + self.anonymous


@dataclass
class CountTable:
    """Rows of counts with the channels they are split by, as (value, label) pairs."""

    rows: list[CountRow]
    channels: list[tuple[str, str]]

    @property
    def total(self) -> int:
        return sum(row.total for row in self.rows)


@dataclass
class PollState:
    poll: Poll
    # The option this participant chose, or None if they have not answered.
    answered_option_id: int | None
    results: CountTable
    show_results: bool


@dataclass
class TakePart:
    """The take-part page of a process, as one participant sees it."""

    process: Process
    can_support: bool
    has_supported: bool
    support: CountTable
    open_polls: list[PollState]
    closed_polls: list[PollState]
    can_manage: bool


def _channels_in_use(counts: Counter) -> list[tuple[str, str]]:
    """Return the channels with any count, online always first among them."""
    used = {channel for (_kind, _option, _signed_in, channel) in counts}
    return [
        (channel.value, channel.label)
        for channel in Channel
        if channel == Channel.ONLINE or channel.value in used
    ]


def _row(label: str, counts: Counter, kind: str, option_id, channels) -> CountRow:
    row = CountRow(label=label)
    for channel, _label in channels:
        signed_in = counts[(kind, option_id, True, channel)]
        anonymous = counts[(kind, option_id, False, channel)]
        row.signed_in += signed_in
        row.anonymous += anonymous
        row.by_channel.append(signed_in + anonymous)
    return row


def can_manage_one_off(user, process: Process) -> bool:
    """Return True if `user` may create, open and close polls and enter offline answers."""
    return rules.can(user, POLL_MANAGING_ACTION, process)


def take_part(process: Process, *, participant_key: str | None = None, user=None) -> TakePart:
    """Return the polls and support counts of `process`, and what `participant_key` has done.

    Runs a fixed number of queries: the polls, their options, the participant's own rows, one
    grouped count of all rows, and the permission checks. Poll results are shown to those who
    answered, for closed polls, and to staff who may see participation statistics.
    """
    polls = list(
        Poll.objects.filter(process=process)
        .prefetch_related(
            Prefetch("options", queryset=PollOption.objects.order_by("position", "pk"))
        )
        .order_by("-is_open", "-created_at", "pk")
    )
    mine = set()
    if participant_key:
        mine = set(
            OneOffParticipation.objects.filter(
                process=process, participant_key=participant_key
            ).values_list("kind", "poll_id", "option_id")
        )
    counts = Counter(
        {
            (row["kind"], row["option_id"], row["is_signed_in"], row["channel"]): row["number"]
            for row in OneOffParticipation.objects.filter(process=process)
            .values("kind", "option_id", "is_signed_in", "channel")
            .annotate(number=Count("pk"))
            .order_by()
        }
    )
    channels = _channels_in_use(counts)
    sees_statistics = rules.can(user, rules.Action.VIEW_STATISTICS, process)

    support_kind = OneOffParticipation.Kind.SUPPORT
    support = CountTable(
        rows=[_row(_("Support for the process"), counts, support_kind, None, channels)],
        channels=channels,
    )
    answered = {poll_id: option_id for kind, poll_id, option_id in mine if poll_id}
    open_polls, closed_polls = [], []
    for poll in polls:
        rows = [
            _row(option.text, counts, OneOffParticipation.Kind.POLL_ANSWER, option.pk, channels)
            for option in poll.options.all()
        ]
        state = PollState(
            poll=poll,
            answered_option_id=answered.get(poll.pk),
            results=CountTable(rows=rows, channels=channels),
            show_results=poll.pk in answered or not poll.is_open or sees_statistics,
        )
        (open_polls if poll.is_open else closed_polls).append(state)

    return TakePart(
        process=process,
        can_support=rules.can(user, rules.Action.SUPPORT, process),
        has_supported=any(kind == support_kind for kind, _poll, _option in mine),
        support=support,
        open_polls=open_polls,
        closed_polls=closed_polls,
        can_manage=can_manage_one_off(user, process),
    )
