"""Questionnaires and their anonymous answers.

No answer row refers to an account, stores an IP address or a time finer than a day. One answer
per person and round is kept by an AnsweredMark (online) or a used PaperCode (paper), stored apart
from the answers with nothing that joins the two. Responses have random UUID keys, so that not even
the order of the rows ties a response to the mark written in the same transaction.
"""

import uuid

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from .scoring import SCORING_FUNCTIONS

LANGUAGE_CHOICES = settings.LANGUAGES


class Questionnaire(models.Model):
    """A versioned set of items: THL's participation indicator (ESIS) or the city's own."""

    class Kind(models.TextChoices):
        ESIS = "esis", _("participation indicator (ESIS)")
        GENERIC = "generic", _("questionnaire, such as workshop feedback")

    kind = models.CharField(_("kind"), max_length=10, choices=Kind.choices)
    code = models.SlugField(_("code"), max_length=50)
    version = models.CharField(_("version"), max_length=50)
    name = models.CharField(_("name"), max_length=200)
    # Key of osallistu.surveys.scoring.SCORING_FUNCTIONS; blank for questionnaires without a score.
    scoring = models.CharField(
        _("scoring function"),
        max_length=30,
        blank=True,
        choices=[(key, key) for key in SCORING_FUNCTIONS],
    )
    # The ItemText version that new rounds show; each round keeps the version it was created with.
    text_version = models.CharField(_("text version"), max_length=50)

    class Meta:
        ordering = ["code", "version"]
        constraints = [
            models.UniqueConstraint(fields=["code", "version"], name="questionnaire_unique_version")
        ]
        verbose_name = _("questionnaire")
        verbose_name_plural = _("questionnaires")

    def __str__(self) -> str:
        return f"{self.name} ({self.version})"


class Item(models.Model):
    """One statement or question of a questionnaire, answered on a 1-5 scale or in free text."""

    class Kind(models.TextChoices):
        SCALE = "scale", _("five-point scale")
        TEXT = "text", _("free text")

    questionnaire = models.ForeignKey(
        Questionnaire,
        on_delete=models.CASCADE,
        related_name="items",
        verbose_name=_("questionnaire"),
    )
    position = models.PositiveSmallIntegerField(_("position"))
    kind = models.CharField(_("kind"), max_length=10, choices=Kind.choices, default=Kind.SCALE)

    class Meta:
        ordering = ["questionnaire", "position"]
        constraints = [
            models.UniqueConstraint(
                fields=["questionnaire", "position"], name="item_unique_position"
            )
        ]
        verbose_name = _("item")
        verbose_name_plural = _("items")

    def __str__(self) -> str:
        return f"{self.questionnaire.code} {self.position}"


class ItemText(models.Model):
    """The wording of an item in one language and text version.

    `is_official` is True only for the owner's confirmed wording: THL's official file for ESIS,
    the city's own text for its questionnaires. Texts are never translated here; a language
    without a text is not offered.
    """

    item = models.ForeignKey(Item, on_delete=models.CASCADE, related_name="texts")
    language = models.CharField(_("language"), max_length=10, choices=LANGUAGE_CHOICES)
    version = models.CharField(_("text version"), max_length=50)
    text = models.TextField(_("text"), max_length=1000)
    is_official = models.BooleanField(_("official wording"), default=False)
    source = models.CharField(_("source"), max_length=300, blank=True)

    class Meta:
        ordering = ["item", "language", "version"]
        constraints = [
            models.UniqueConstraint(
                fields=["item", "language", "version"], name="itemtext_unique_language_version"
            )
        ]
        verbose_name = _("item text")
        verbose_name_plural = _("item texts")

    def __str__(self) -> str:
        return self.text


class SurveyRound(models.Model):
    """One time point of a questionnaire in one suburb, or the feedback round of one event."""

    class TimePoint(models.TextChoices):
        START = "start", _("start of the year")
        END = "end", _("end of the year")
        OTHER = "other", _("other time point")

    questionnaire = models.ForeignKey(
        Questionnaire,
        on_delete=models.PROTECT,
        related_name="rounds",
        verbose_name=_("questionnaire"),
    )
    suburb = models.ForeignKey(
        "areas.Suburb",
        on_delete=models.PROTECT,
        related_name="survey_rounds",
        null=True,
        blank=True,
        verbose_name=_("suburb"),
    )
    event = models.ForeignKey(
        "events.Event",
        on_delete=models.PROTECT,
        related_name="survey_rounds",
        null=True,
        blank=True,
        verbose_name=_("event"),
    )
    label = models.CharField(_("name"), max_length=200)
    time_point = models.CharField(
        _("time point"), max_length=10, choices=TimePoint.choices, default=TimePoint.OTHER
    )
    measured_on = models.DateField(_("time point date"))
    opens_on = models.DateField(_("opens on"))
    closes_on = models.DateField(_("closes on"))
    ask_age_group = models.BooleanField(_("ask the age group"), default=False)
    text_version = models.CharField(_("text version"), max_length=50)
    is_example = models.BooleanField(_("example content"), default=False)

    class Meta:
        ordering = ["-measured_on", "pk"]
        constraints = [
            models.CheckConstraint(
                condition=Q(suburb__isnull=False, event__isnull=True)
                | Q(suburb__isnull=True, event__isnull=False),
                name="surveyround_suburb_or_event",
            ),
            models.CheckConstraint(
                condition=Q(closes_on__gte=models.F("opens_on")),
                name="surveyround_closes_after_opening",
            ),
        ]
        verbose_name = _("survey round")
        verbose_name_plural = _("survey rounds")

    def __str__(self) -> str:
        return self.label

    def is_open(self, today) -> bool:
        return self.opens_on <= today <= self.closes_on


class Response(models.Model):
    """One person's anonymous answers to a round: no account, no address, only the day."""

    class Channel(models.TextChoices):
        ONLINE = "online", _("online")
        PAPER = "paper", _("paper")

    id = models.UUIDField(primary_key=True, default=uuid.uuid4, editable=False)
    round = models.ForeignKey(SurveyRound, on_delete=models.CASCADE, related_name="responses")
    submitted_on = models.DateField(_("submitted on"))
    # A key of settings.OSALLISTU_AGE_GROUPS, or blank when not asked or not given.
    age_group = models.CharField(_("age group"), max_length=10, blank=True)
    channel = models.CharField(_("channel"), max_length=10, choices=Channel.choices)

    class Meta:
        verbose_name = _("response")
        verbose_name_plural = _("responses")

    def __str__(self) -> str:
        return str(self.pk)


class ItemAnswer(models.Model):
    """The answer to one item: a scale value 1-5, free text, or neither when left empty."""

    id = models.UUIDField(primary_key=True, default=uuid.uuid4, editable=False)
    response = models.ForeignKey(Response, on_delete=models.CASCADE, related_name="answers")
    item = models.ForeignKey(Item, on_delete=models.PROTECT, related_name="answers")
    value = models.PositiveSmallIntegerField(null=True, blank=True)
    text = models.TextField(blank=True, max_length=2000)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["response", "item"], name="itemanswer_unique_item"),
            models.CheckConstraint(
                condition=Q(value__isnull=True) | Q(value__gte=1, value__lte=5),
                name="itemanswer_value_1_to_5",
            ),
        ]

    def __str__(self) -> str:
        return str(self.pk)


class AnsweredMark(models.Model):
    """The fact that someone answered a round online, as a keyed hash of the round and account.

    The key is the primary key, so the table has no sequence whose order could match responses.
    """

    key = models.CharField(max_length=64, primary_key=True)
    round = models.ForeignKey(SurveyRound, on_delete=models.CASCADE, related_name="answered_marks")

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["round", "key"], name="answeredmark_unique_round_key")
        ]

    def __str__(self) -> str:
        return self.key


class PaperCode(models.Model):
    """A single-use code printed on one paper form, stored only as a keyed hash."""

    round = models.ForeignKey(SurveyRound, on_delete=models.CASCADE, related_name="paper_codes")
    code_hash = models.CharField(max_length=64)
    is_used = models.BooleanField(default=False)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["round", "code_hash"], name="papercode_unique_hash")
        ]

    def __str__(self) -> str:
        return self.code_hash
