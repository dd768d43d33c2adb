"""Reads of the surveys app: what a round offers, and results with small groups suppressed.

Results of a round are shown only after it closes, because comparing a live mean before and after
one answer would reveal that answer. A group with fewer respondents than
OSALLISTU_SURVEY_MIN_GROUP is suppressed: its n is shown only as "fewer than" and its mean not at
all. Because the total is published, the suppressed age groups together follow from the total
minus the shown groups: more groups are suppressed, smallest first, until the suppressed groups
together have at least the minimum n or no group with respondents is shown.
"""

import datetime
from collections import defaultdict
from collections.abc import Iterable
from dataclasses import dataclass, field
from decimal import Decimal

from django.conf import settings
from django.db.models import Count, Q
from django.utils import timezone

from osallistu.core.age_groups import UNKNOWN, age_group_label, configured_age_groups

from .models import Item, ItemAnswer, ItemText, Questionnaire, Response, SurveyRound
from .scoring import SCORING_FUNCTIONS
from .stats import mean_interval


def min_group() -> int:
    return int(getattr(settings, "OSALLISTU_SURVEY_MIN_GROUP", 10))


def require_official_texts() -> bool:
    return bool(getattr(settings, "OSALLISTU_SURVEY_OFFICIAL_TEXTS_ONLY", False))


# --- Answering ----------------------------------------------------------------------------------


def open_rounds(today: datetime.date | None = None):
    """Return the rounds open for answers today, with their suburb or event."""
    today = today or timezone.localdate()
    return (
        SurveyRound.objects.filter(opens_on__lte=today, closes_on__gte=today)
        .select_related("questionnaire", "suburb", "event")
        .order_by("closes_on", "pk")
    )


def offered_languages(survey_round: SurveyRound) -> list[str]:
    """Return the codes of languages in which every item of the round has a text, in site order.

    Texts are never machine-translated or written here, so a language without a stored text is
    not offered. With OSALLISTU_SURVEY_OFFICIAL_TEXTS_ONLY only official texts count.
    """
    items = Item.objects.filter(questionnaire_id=survey_round.questionnaire_id)
    item_count = items.count()
    texts = ItemText.objects.filter(item__in=items, version=survey_round.text_version)
    if require_official_texts():
        texts = texts.filter(is_official=True)
    counts = dict(
        texts.values("language")
        .annotate(items=Count("item", distinct=True))
        .values_list("language", "items")
    )
    return [
        code
        for code, _name in settings.LANGUAGES
        if item_count and counts.get(code, 0) == item_count
    ]


@dataclass(frozen=True)
class FormItem:
    """An item with its text in the language shown."""

    item: Item
    text: ItemText

    @property
    def field_name(self) -> str:
        return f"item_{self.item.pk}"


def form_items(survey_round: SurveyRound, language: str) -> list[FormItem]:
    """Return the round's items in order with their texts in `language` (an offered language)."""
    texts = {
        text.item_id: text
        for text in ItemText.objects.filter(
            item__questionnaire_id=survey_round.questionnaire_id,
            version=survey_round.text_version,
            language=language,
        )
    }
    items = Item.objects.filter(questionnaire_id=survey_round.questionnaire_id).order_by("position")
    return [FormItem(item, texts[item.pk]) for item in items if item.pk in texts]


def texts_are_official(items: Iterable[FormItem]) -> bool:
    return all(form_item.text.is_official for form_item in items)


# --- Results --------------------------------------------------------------------------------------


@dataclass(frozen=True)
class GroupResult:
    """n, mean score and 95 % interval of one group; mean and interval are None if suppressed."""

    key: str
    label: str
    n: int
    mean: Decimal | None
    low: Decimal | None
    high: Decimal | None
    suppressed: bool


@dataclass(frozen=True)
class TimePointResult:
    """The result of one round (time point): all respondents and, if asked, by age group."""

    round: SurveyRound
    n: int
    mean: Decimal | None
    low: Decimal | None
    high: Decimal | None
    suppressed: bool
    is_published: bool
    age_groups: list[GroupResult] = field(default_factory=list)
    responses: int = 0


def _group(key: str, label: str, scores: list[Decimal], minimum: int) -> GroupResult:
    interval = mean_interval(scores)
    if interval is None or len(scores) < minimum:
        return GroupResult(key, label, len(scores), None, None, None, suppressed=bool(scores))
    return GroupResult(key, label, interval.n, interval.mean, interval.low, interval.high, False)


def _suppress_complement(groups: list[GroupResult], minimum: int) -> list[GroupResult]:
    """Suppress shown groups until the suppressed groups together have at least `minimum` n.

    The total of all respondents is published, so the suppressed groups together follow from the
    total minus the shown groups. The smallest shown group is suppressed next until their
    combined n reaches the minimum or no group with respondents is left shown.
    """
    hidden = {group.key for group in groups if group.suppressed}
    hidden_n = sum(group.n for group in groups if group.suppressed)
    shown = sorted(
        (group for group in groups if not group.suppressed and group.n > 0),
        key=lambda group: group.n,
    )
    for group in shown:
        if hidden_n == 0 or hidden_n >= minimum:
            break
        hidden.add(group.key)
        hidden_n += group.n
    return [
        GroupResult(g.key, g.label, g.n, None, None, None, True) if g.key in hidden else g
        for g in groups
    ]


def _scores_by_round(rounds: list[SurveyRound]) -> dict[int, list[tuple[str, Decimal]]]:
    """Return each round's (age group, score) per response that has a score.

    Rounds of questionnaires without a scoring function get an empty list.
    """
    scored = [r for r in rounds if r.questionnaire.scoring]
    positions: dict[int, list[int]] = defaultdict(list)
    for questionnaire_id, position in Item.objects.filter(
        questionnaire__in={r.questionnaire_id for r in scored}, kind=Item.Kind.SCALE
    ).values_list("questionnaire_id", "position"):
        positions[questionnaire_id].append(position)
    answers: dict[object, dict[int, int | None]] = defaultdict(dict)
    response_rounds: dict[object, tuple[int, str]] = {}
    rows = ItemAnswer.objects.filter(
        response__round__in=scored, item__kind=Item.Kind.SCALE
    ).values_list(
        "response_id", "response__round_id", "response__age_group", "item__position", "value"
    )
    for response_id, round_id, age_group, position, value in rows:
        answers[response_id][position] = value
        response_rounds[response_id] = (round_id, age_group)
    rounds_by_pk = {r.pk: r for r in scored}
    result: dict[int, list[tuple[str, Decimal]]] = {r.pk: [] for r in rounds}
    for response_id, values in answers.items():
        round_id, age_group = response_rounds[response_id]
        questionnaire = rounds_by_pk[round_id].questionnaire
        ordered = [values.get(position) for position in sorted(positions[questionnaire.pk])]
        score = SCORING_FUNCTIONS[questionnaire.scoring](ordered)
        if score is not None:
            result[round_id].append((age_group, score))
    return result


def _time_point_result(
    survey_round: SurveyRound, scores: list[tuple[str, Decimal]], today: datetime.date
) -> TimePointResult:
    minimum = min_group()
    published = survey_round.closes_on < today
    total = _group("all", "", [score for _key, score in scores], minimum)
    groups: list[GroupResult] = []
    if survey_round.ask_age_group:
        by_key: dict[str, list[Decimal]] = defaultdict(list)
        for key, score in scores:
            by_key[key or UNKNOWN].append(score)
        keys = [group.key for group in configured_age_groups()] + [UNKNOWN]
        groups = _suppress_complement(
            [_group(key, age_group_label(key), by_key.get(key, []), minimum) for key in keys],
            minimum,
        )
    return TimePointResult(
        round=survey_round,
        n=total.n,
        mean=total.mean,
        low=total.low,
        high=total.high,
        suppressed=total.suppressed or total.n == 0,
        is_published=published,
        age_groups=groups,
    )


def _results(rounds: list[SurveyRound], today: datetime.date | None) -> list[TimePointResult]:
    today = today or timezone.localdate()
    scores = _scores_by_round(rounds)
    return [_time_point_result(r, scores[r.pk], today) for r in rounds]


def round_results(survey_round: SurveyRound, today: datetime.date | None = None) -> TimePointResult:
    """Return one round's n, mean, interval and age groups, with small groups suppressed."""
    return _results([survey_round], today)[0]


def _esis_rounds(**filters):
    return (
        SurveyRound.objects.filter(questionnaire__kind=Questionnaire.Kind.ESIS, **filters)
        .select_related("questionnaire", "suburb")
        .order_by("measured_on", "pk")
    )


def inclusion_results(
    suburb, year: int | None = None, today: datetime.date | None = None
) -> list[TimePointResult]:
    """Return the ESIS result of each time point of `suburb` (in `year` if given), oldest first."""
    rounds = _esis_rounds(suburb=suburb)
    if year is not None:
        rounds = rounds.filter(measured_on__year=year)
    return _results(list(rounds), today)


def inclusion_score_by_year(suburb, today: datetime.date | None = None) -> dict[int, Decimal]:
    """Return the mean ESIS score of the latest published, unsuppressed time point of each year."""
    by_year: dict[int, Decimal] = {}
    for result in inclusion_results(suburb, today=today):
        if result.is_published and not result.suppressed:
            by_year[result.round.measured_on.year] = result.mean
    return by_year


@dataclass(frozen=True)
class ComparisonRow:
    """One time point (year and start or end) with the result of each suburb measured then."""

    year: int
    time_point: str
    label: str
    results: dict[int, TimePointResult]


def inclusion_comparison(today: datetime.date | None = None) -> tuple[list, list[ComparisonRow]]:
    """Return the suburbs with ESIS rounds, and per time point each suburb's published result."""
    results = [r for r in _results(list(_esis_rounds()), today) if r.is_published]
    suburbs = sorted({r.round.suburb for r in results}, key=lambda suburb: suburb.name)
    rows: dict[tuple[int, str], ComparisonRow] = {}
    for result in results:
        survey_round = result.round
        key = (survey_round.measured_on.year, survey_round.time_point)
        row = rows.setdefault(
            key,
            ComparisonRow(key[0], key[1], survey_round.get_time_point_display(), {}),
        )
        row.results[survey_round.suburb_id] = result
    return suburbs, [rows[key] for key in sorted(rows)]


@dataclass(frozen=True)
class ItemResult:
    """n, mean and interval (scale 1-5) of one scale item; None values when suppressed."""

    form_item: FormItem
    n: int
    mean: Decimal | None
    low: Decimal | None
    high: Decimal | None
    suppressed: bool


def item_results(
    survey_round: SurveyRound, language: str, today: datetime.date | None = None
) -> tuple[int, list[ItemResult], bool]:
    """Return the response count, each scale item's result and whether results are published.

    Items are suppressed when fewer than the minimum group answered them. Free-text answers are
    never part of these results.
    """
    today = today or timezone.localdate()
    minimum = min_group()
    responses = Response.objects.filter(round=survey_round).count()
    values: dict[int, list[int]] = defaultdict(list)
    for item_id, value in ItemAnswer.objects.filter(
        response__round=survey_round, value__isnull=False
    ).values_list("item_id", "value"):
        values[item_id].append(value)
    results = []
    for form_item in form_items(survey_round, language) or form_items(
        survey_round, (offered_languages(survey_round) or [language])[0]
    ):
        if form_item.item.kind != Item.Kind.SCALE:
            continue
        item_values = values.get(form_item.item.pk, [])
        interval = mean_interval(item_values)
        if interval is None or len(item_values) < minimum or responses < minimum:
            results.append(ItemResult(form_item, len(item_values), None, None, None, True))
        else:
            results.append(
                ItemResult(form_item, interval.n, interval.mean, interval.low, interval.high, False)
            )
    return responses, results, survey_round.closes_on < today


def text_answers(survey_round: SurveyRound) -> list[tuple[Item, list[str]]]:
    """Return the free-text answers per text item for staff, in random order, if n is large enough.

    Texts are shown to staff only, never publicly, and only when the round has at least the
    minimum group of responses, because a text can reveal its writer.
    """
    if Response.objects.filter(round=survey_round).count() < min_group():
        return []
    grouped: dict[Item, list[str]] = defaultdict(list)
    for answer in (
        ItemAnswer.objects.filter(response__round=survey_round)
        .exclude(text="")
        .select_related("item")
        .order_by("?")
    ):
        grouped[answer.item].append(answer.text)
    return sorted(grouped.items(), key=lambda pair: pair[0].position)


def rounds_for_staff():
    """Return every round, newest first, with its questionnaire, suburb, event and counts."""
    return (
        SurveyRound.objects.select_related("questionnaire", "suburb", "event")
        .annotate(
            response_count=Count("responses", distinct=True),
            unused_codes=Count("paper_codes", filter=Q(paper_codes__is_used=False), distinct=True),
        )
        .order_by("-measured_on", "-pk")
    )


def event_rounds(suburb):
    """Return the feedback rounds of events in `suburb`, newest first, open or closed."""
    return (
        SurveyRound.objects.filter(
            event__suburb=suburb, questionnaire__kind=Questionnaire.Kind.GENERIC
        )
        .select_related("questionnaire", "event")
        .order_by("-measured_on")
    )
