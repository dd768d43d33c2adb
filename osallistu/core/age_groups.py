"""Age groups of event participants, built from Paavo's age bands so they compare with population.

The setting OSALLISTU_AGE_GROUPS lists the groups as (first age, last age) pairs in ascending
order, with None as the last age of the open-ended oldest group:

    OSALLISTU_AGE_GROUPS = [(0, 12), (13, 17), (18, 29), (30, 64), (65, None)]

Each group must be a union of consecutive Paavo HE bands: 0-2, 3-6, 7-12, 13-15, 16-17, 18-19,
20-24, 25-29, then five-year bands up to 80-84, and 85+. Together the groups must cover every age
from 0 up with no gap or overlap. Then the population of each group is the sum of Paavo's
he_* counts of its bands. The events app registers a system check that validates the setting at
startup. Head counts whose age nobody asked are kept under UNKNOWN, beside the configured groups.
"""

from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass

from django.conf import settings
from django.utils.translation import gettext

# Paavo's age bands of the population structure (HE) group, as (first age, last age) pairs.
PAAVO_AGE_BANDS: tuple[tuple[int, int | None], ...] = (
    (0, 2),
    (3, 6),
    (7, 12),
    (13, 15),
    (16, 17),
    (18, 19),
    (20, 24),
    (25, 29),
    *((start, start + 4) for start in range(30, 85, 5)),
    (85, None),
)
DEFAULT_AGE_GROUPS: tuple[tuple[int, int | None], ...] = (
    (0, 12),
    (13, 17),
    (18, 29),
    (30, 64),
    (65, None),
)
# Key of the head count of participants whose age is not known.
UNKNOWN = "unknown"

_BAND_STARTS = frozenset(start for start, _end in PAAVO_AGE_BANDS)
_BAND_ENDS = frozenset(end for _start, end in PAAVO_AGE_BANDS)


def paavo_field(start: int, end: int | None) -> str:
    """Return the Paavo variable code of one HE age band, such as he_0_2 or he_85_."""
    return f"he_{start}_" if end is None else f"he_{start}_{end}"


class AgeGroupError(ValueError):
    """An age group setting that is not a contiguous union of Paavo's age bands."""


@dataclass(frozen=True)
class AgeGroup:
    """An age range from `start` to `end` years inclusive. `end` is None for the oldest group."""

    start: int
    end: int | None

    @property
    def key(self) -> str:
        """Return the stable key under which head counts are stored: "0-12" or "65+"."""
        return f"{self.start}+" if self.end is None else f"{self.start}-{self.end}"

    @classmethod
    def from_key(cls, key: str) -> "AgeGroup | None":
        """Return the group a stored key names, or None if the key is not a group key."""
        try:
            if key.endswith("+"):
                return cls(int(key[:-1]), None)
            start, end = key.split("-")
            return cls(int(start), int(end))
        except ValueError:
            return None

    def contains(self, other: "AgeGroup") -> bool:
        """Return True if every age of `other` lies within this group."""
        if other.start < self.start:
            return False
        if self.end is None:
            return True
        return other.end is not None and other.end <= self.end

    @property
    def paavo_fields(self) -> tuple[str, ...]:
        """Return the Paavo HE codes whose bands make up this group."""
        return tuple(
            paavo_field(start, end)
            for start, end in PAAVO_AGE_BANDS
            if self.contains(AgeGroup(start, end))
        )


def parse_age_groups(spec: Iterable) -> tuple[AgeGroup, ...]:
    """Return the groups of an OSALLISTU_AGE_GROUPS value, or raise AgeGroupError if invalid.

    The message of the error names the first offending group and the rule it breaks.
    """
    try:
        pairs = [tuple(pair) for pair in spec]
    except TypeError:
        raise AgeGroupError(
            "OSALLISTU_AGE_GROUPS must be a list of (first age, last age) pairs."
        ) from None
    if not pairs:
        raise AgeGroupError("OSALLISTU_AGE_GROUPS must contain at least one age group.")

    groups: list[AgeGroup] = []
    expected_start = 0
    for position, pair in enumerate(pairs, start=1):
        group = _read_pair(position, pair)
        if group.start != expected_start:
            raise AgeGroupError(
                f"Age group {position} ({group.key}) starts at {group.start}, but it must start "
                f"at {expected_start} so that the groups cover every age without gaps or overlaps."
            )
        if group.start not in _BAND_STARTS:
            raise AgeGroupError(
                f"Age group {position} ({group.key}) starts at {group.start}, which is not the "
                f"first age of a Paavo age band."
            )
        if group.end is not None and group.end not in _BAND_ENDS:
            raise AgeGroupError(
                f"Age group {position} ({group.key}) ends at {group.end}, which is not the last "
                f"age of a Paavo age band."
            )
        groups.append(group)
        if group.end is None:
            if position != len(pairs):
                raise AgeGroupError(
                    f"Age group {position} ({group.key}) has no last age, so it must be the last "
                    f"group."
                )
            break
        expected_start = group.end + 1
    else:
        raise AgeGroupError(
            f"The last age group ({groups[-1].key}) must have None as its last age, so that the "
            f"groups cover every age."
        )
    return tuple(groups)


def _read_pair(position: int, pair: tuple) -> AgeGroup:
    if len(pair) != 2:
        raise AgeGroupError(
            f"Age group {position} must be a (first age, last age) pair, not {pair!r}."
        )
    start, end = pair
    if not isinstance(start, int) or isinstance(start, bool):
        raise AgeGroupError(f"Age group {position} has a first age that is not a whole number.")
    if end is not None and (not isinstance(end, int) or isinstance(end, bool)):
        raise AgeGroupError(
            f"Age group {position} has a last age that is neither a whole number nor None."
        )
    if end is not None and end < start:
        raise AgeGroupError(f"Age group {position} ends at {end}, before it starts at {start}.")
    return AgeGroup(start, end)


def population_by_age_group(
    values: Mapping[str, float | int | None], groups: Sequence[AgeGroup]
) -> dict[str, int | None]:
    """Return each group's population from one Paavo record's values, by group key.

    A group's population is None where any of its bands is missing (Paavo protects the HE
    counts of areas with fewer than 30 inhabitants), because a partial sum would understate it.
    """
    population: dict[str, int | None] = {}
    for group in groups:
        counts = [values.get(field) for field in group.paavo_fields]
        population[group.key] = None if any(count is None for count in counts) else int(sum(counts))
    return population


def regroup_counts(
    counts: Mapping[str, int], groups: Sequence[AgeGroup]
) -> tuple[dict[str, int], int]:
    """Return head counts summed into `groups` (plus UNKNOWN) and the count that fits no group.

    Counts stored under the keys of an earlier setting move into the current group that contains
    their whole range. A count whose range spans two current groups cannot be split, so it is
    returned apart as not comparable.
    """
    totals = {group.key: 0 for group in groups}
    totals[UNKNOWN] = 0
    not_comparable = 0
    for key, count in counts.items():
        if key == UNKNOWN:
            totals[UNKNOWN] += count
            continue
        stored = AgeGroup.from_key(key)
        target = next((g for g in groups if stored and g.contains(stored)), None)
        if target is None:
            not_comparable += count
        else:
            totals[target.key] += count
    return totals, not_comparable


def configured_age_groups() -> tuple[AgeGroup, ...]:
    """Return the groups of settings.OSALLISTU_AGE_GROUPS, or the default groups if it is unset.

    Raise AgeGroupError if the setting is invalid; the system check reports that at startup.
    """
    return parse_age_groups(getattr(settings, "OSALLISTU_AGE_GROUPS", DEFAULT_AGE_GROUPS))


def age_group_label(key: str) -> str:
    """Return the group's name in the active language, such as "13-17 years"."""
    if key == UNKNOWN:
        return gettext("Age unknown")
    group = AgeGroup.from_key(key)
    if group is None:
        return key
    if group.end is None:
        return gettext("%(start)d years or older") % {"start": group.start}
    return gettext("%(start)d–%(end)d years") % {"start": group.start, "end": group.end}


def age_group_choices() -> list[tuple[str, str]]:
    """Return (key, label) of each configured group, followed by UNKNOWN."""
    keys = [group.key for group in configured_age_groups()] + [UNKNOWN]
    return [(key, age_group_label(key)) for key in keys]
