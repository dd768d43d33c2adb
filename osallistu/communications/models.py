from django.conf import settings
from django.contrib.contenttypes.fields import GenericForeignKey
from django.contrib.contenttypes.models import ContentType
from django.db import models
from django.utils.translation import gettext_lazy as _


class CommunicationChannel(models.Model):
    """A channel through which the city informs residents about participation.

    Communication channels (viestintäkanavat) are how residents hear of a step; participation
    channels (participation.Channel) are how they take part, and the two lists are kept apart.
    The six standard channels come from a data migration with an empty `name`, so their display
    name is the translated kind; a channel staff add needs a name of its own.
    """

    class Kind(models.TextChoices):
        WEBSITE = "website", _("website")
        NEWSLETTER = "newsletter", _("newsletter")
        POSTER = "poster", _("poster or flyer")
        SOCIAL_MEDIA = "social_media", _("social media")
        LOCAL_PAPER = "local_paper", _("local paper")
        EVENT = "event", _("event")
        OTHER = "other", _("other")

    code = models.SlugField(_("code"), max_length=40, unique=True)
    name = models.CharField(_("name"), max_length=100, blank=True)
    kind = models.CharField(_("kind"), max_length=20, choices=Kind.choices)
    active = models.BooleanField(_("active"), default=True)
    position = models.PositiveSmallIntegerField(_("position"), default=0)

    class Meta:
        ordering = ["position", "code"]
        verbose_name = _("communication channel")
        verbose_name_plural = _("communication channels")

    def __str__(self) -> str:
        return self.name or str(self.get_kind_display())


class ChannelUse(models.Model):
    """One use of a communication channel for one step of a suburb's participation.

    The step is a process phase, an event, a programme, a project package or the suburb itself,
    referred to generically. `step_label` keeps the step's name for the log when the step is
    deleted. `automatic` marks uses the platform logged itself (a poster generated, a
    newsletter sent).
    """

    channel = models.ForeignKey(
        CommunicationChannel,
        on_delete=models.PROTECT,
        related_name="uses",
        verbose_name=_("channel"),
    )
    suburb = models.ForeignKey(
        "areas.Suburb", on_delete=models.CASCADE, related_name="channel_uses"
    )
    used_on = models.DateField(_("date"))
    step_type = models.ForeignKey(ContentType, on_delete=models.CASCADE)
    step_id = models.PositiveBigIntegerField()
    step = GenericForeignKey("step_type", "step_id")
    step_label = models.CharField(_("step"), max_length=300)
    note = models.CharField(_("note"), max_length=500, blank=True)
    # People reached, where the channel reports it (newsletter recipients, paper circulation).
    reach = models.PositiveIntegerField(_("reach"), null=True, blank=True)
    automatic = models.BooleanField(_("logged by the platform"), default=False)
    recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    recorded_at = models.DateTimeField(auto_now_add=True)
    is_example = models.BooleanField(_("example content"), default=False)

    class Meta:
        ordering = ["-used_on", "-pk"]
        indexes = [
            models.Index(fields=["suburb", "used_on"]),
            models.Index(fields=["step_type", "step_id"]),
        ]
        verbose_name = _("channel use")
        verbose_name_plural = _("channel uses")

    def __str__(self) -> str:
        return f"{self.channel} {self.used_on}: {self.step_label}"


class PosterText(models.Model):
    """The short text that staff write for the poster and flyer of a suburb or an event."""

    suburb = models.OneToOneField(
        "areas.Suburb", on_delete=models.CASCADE, null=True, blank=True, related_name="+"
    )
    event = models.OneToOneField(
        "events.Event", on_delete=models.CASCADE, null=True, blank=True, related_name="+"
    )
    heading = models.CharField(_("heading"), max_length=120, blank=True)
    text = models.TextField(_("text"), max_length=600, blank=True)
    updated_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, related_name="+"
    )
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        constraints = [
            models.CheckConstraint(
                condition=models.Q(suburb__isnull=False, event__isnull=True)
                | models.Q(suburb__isnull=True, event__isnull=False),
                name="postertext_one_target",
            ),
        ]
        verbose_name = _("poster text")
        verbose_name_plural = _("poster texts")

    def __str__(self) -> str:
        return self.heading or f"poster text {self.pk}"


class NewsletterIssue(models.Model):
    """A newsletter to the followers of a suburb, written in Finnish with optional translations.

    No recipient list is kept: once sent, only the counts remain.
    """

    class Status(models.TextChoices):
        DRAFT = "draft", _("draft")
        SENT = "sent", _("sent")

    suburb = models.ForeignKey(
        "areas.Suburb",
        on_delete=models.CASCADE,
        related_name="newsletters",
        verbose_name=_("suburb"),
    )
    subject = models.CharField(_("subject"), max_length=200)
    body = models.TextField(_("text"), max_length=10000)
    subject_sv = models.CharField(_("subject in Swedish"), max_length=200, blank=True)
    body_sv = models.TextField(_("text in Swedish"), max_length=10000, blank=True)
    subject_en = models.CharField(_("subject in English"), max_length=200, blank=True)
    body_en = models.TextField(_("text in English"), max_length=10000, blank=True)
    include_upcoming = models.BooleanField(
        _("list upcoming events and open processes"), default=True
    )
    status = models.CharField(
        _("status"), max_length=10, choices=Status.choices, default=Status.DRAFT
    )
    # Filled when sent: what the list of upcoming events and processes held then.
    upcoming = models.JSONField(default=list, blank=True)
    recipient_count = models.PositiveIntegerField(_("recipients"), default=0)
    recipients_by_language = models.JSONField(default=dict, blank=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True)
    sent_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    sent_at = models.DateTimeField(_("sent at"), null=True, blank=True)
    is_example = models.BooleanField(_("example content"), default=False)

    class Meta:
        ordering = ["-created_at", "-pk"]
        constraints = [
            models.CheckConstraint(
                condition=models.Q(status="draft") | models.Q(sent_at__isnull=False),
                name="newsletter_sent_has_time",
            ),
        ]
        verbose_name = _("newsletter")
        verbose_name_plural = _("newsletters")

    def __str__(self) -> str:
        return self.subject

    def text_in(self, language: str) -> tuple[str, str]:
        """Return (subject, body) in `language` if staff wrote that translation, else in Finnish."""
        body = getattr(self, f"body_{language}", "")
        if body:
            return getattr(self, f"subject_{language}"), body
        return self.subject, self.body
