"""Versioned scoring functions of questionnaires: the one place to replace a scoring rule.

A questionnaire names its function by key in `Questionnaire.scoring`. A new rule gets a new key
(such as "esis-v2") instead of changing an old function, so results already published can be
recomputed exactly as they were.

NOTE: THL has not published the conversion of ESIS answers to its 0-100 scale nor its rule for
missing answers. `esis_score_v1` is the obvious linear rescale and an assumption that the city must
confirm with THL before production use.
"""

from collections.abc import Callable, Sequence
from decimal import ROUND_HALF_UP, Decimal

ScoringFunction = Callable[[Sequence[int | None]], Decimal | None]

# ESIS has ten items; a score needs at least this many answered (an assumption, see above).
ESIS_ITEM_COUNT = 10
ESIS_MIN_ANSWERED = 8


def esis_score_v1(answers: Sequence[int | None]) -> Decimal | None:
    """Return the 0-100 score of one ESIS response, or None with too few answered items.

    `answers` holds the values 1-5 of the ten items in order, None for an item left empty. The
    score is the mean of the answered items rescaled linearly from 1-5 to 0-100, which equals
    (sum - 10) / 40 * 100 when all ten are answered. It needs ESIS_MIN_ANSWERED answered items and
    is rounded to two decimals.
    """
    if len(answers) != ESIS_ITEM_COUNT:
        raise ValueError(f"ESIS has {ESIS_ITEM_COUNT} items, got {len(answers)} answers")
    answered = [value for value in answers if value is not None]
    if any(not 1 <= value <= 5 for value in answered):
        raise ValueError("ESIS answers must be between 1 and 5")
    if len(answered) < ESIS_MIN_ANSWERED:
        return None
    mean = Decimal(sum(answered)) / Decimal(len(answered))
    return ((mean - 1) / 4 * 100).quantize(Decimal("0.01"), rounding=ROUND_HALF_UP)


SCORING_FUNCTIONS: dict[str, ScoringFunction] = {
    "esis-v1": esis_score_v1,
}


def score(key: str, answers: Sequence[int | None]) -> Decimal | None:
    """Return the score of `answers` under the scoring function `key`; KeyError if unknown."""
    return SCORING_FUNCTIONS[key](answers)
