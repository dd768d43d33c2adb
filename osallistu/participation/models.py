import datetime

from django.conf import settings
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _


class Process(models.Model):
    """A participation process, such as one year's participatory budgeting in some suburbs."""

    class Kind(models.TextChoices):
        PARTICIPATORY_BUDGETING = "participatory_budgeting", _("participatory budgeting")
        AREA_DEVELOPMENT = "area_development", _("area development")

    title = models.CharField(_("title"), max_length=200)
    slug = models.SlugField(_("identifier"), max_length=100, unique=True)
    kind = models.CharField(_("kind"), max_length=40, choices=Kind.choices)
    description = models.TextField(_("description"), blank=True)
    suburbs = models.ManyToManyField(
        "areas.Suburb", related_name="processes", blank=True, verbose_name=_("suburbs")
    )
    # Vote counts and winners stay hidden until staff publish them.
    results_published = models.BooleanField(_("results published"), default=False)
    # With pre-moderation, new ideas and comments wait for a moderator before they are shown.
    premoderation = models.BooleanField(_("pre-moderation"), default=False)
    # Where the process came from, for imported real elections (for example a Pabulib file name).
    source = models.CharField(_("source"), max_length=300, blank=True)
    is_example = models.BooleanField(_("example content"), default=False)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["-created_at"]
        verbose_name = _("process")
        verbose_name_plural = _("processes")

    def __str__(self) -> str:
        return self.title


class Phase(models.Model):
    """A dated step of a process. A phase is current from its first to its last day inclusive."""

    class Kind(models.TextChoices):
        INFORMATION = "information", _("information")
        IDEATION = "ideation", _("ideation")
        DISCUSSION = "discussion", _("discussion")
        EVALUATION = "evaluation", _("evaluation")
        VOTING = "voting", _("voting")
        IMPLEMENTATION = "implementation", _("implementation")

    process = models.ForeignKey(Process, on_delete=models.CASCADE, related_name="phases")
    kind = models.CharField(_("kind"), max_length=20, choices=Kind.choices)
    starts_on = models.DateField(_("starts on"))
    ends_on = models.DateField(_("ends on"))
    # Overrides of the default permissions of the phase kind: {action: [role, ...]}. Empty means
    # the defaults in participation.rules apply.
    permissions = models.JSONField(_("permissions"), default=dict, blank=True)

    class Meta:
        ordering = ["process", "starts_on"]
        constraints = [
            models.CheckConstraint(
                condition=models.Q(ends_on__gte=models.F("starts_on")),
                name="phase_ends_after_start",
            ),
            models.UniqueConstraint(fields=["process", "kind"], name="phase_unique_kind"),
        ]
        verbose_name = _("phase")
        verbose_name_plural = _("phases")

    def __str__(self) -> str:
        return f"{self.process}: {self.get_kind_display()}"

    def is_current(self, today: datetime.date | None = None) -> bool:
        today = today or timezone.localdate()
        return self.starts_on <= today <= self.ends_on


class Visibility(models.TextChoices):
    """Whether residents see a contribution: moderation sets pending and hidden."""

    VISIBLE = "visible", _("visible")
    PENDING = "pending", _("waiting for moderation")
    HIDDEN = "hidden", _("hidden by a moderator")


class Channel(models.TextChoices):
    """The channel through which a contribution or a ballot reached the platform."""

    ONLINE = "online", _("online")
    WORKSHOP = "workshop", _("workshop")
    OUTREACH = "outreach", _("outreach")
    PAPER = "paper", _("paper")
    PHONE = "phone", _("phone")
    ASSISTED = "assisted", _("staff-assisted")


class Contribution(models.Model):
    """Fields shared by ideas and comments: moderation state, channel and who entered it.

    Related names follow the model, so an organisation or event has `ideas` and `comments`.
    """

    visibility = models.CharField(
        _("visibility"), max_length=20, choices=Visibility.choices, default=Visibility.VISIBLE
    )
    hidden_reason = models.TextField(_("reason for hiding"), blank=True)
    channel = models.CharField(
        _("channel"), max_length=20, choices=Channel.choices, default=Channel.ONLINE
    )
    # Staff member who typed in a contribution collected on paper, by phone or at an event.
    entered_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        related_name="+",
        null=True,
        blank=True,
    )
    organisation = models.ForeignKey(
        "organisations.Organisation",
        on_delete=models.SET_NULL,
        related_name="%(class)ss",
        null=True,
        blank=True,
        verbose_name=_("organisation"),
    )
    event = models.ForeignKey(
        "events.Event",
        on_delete=models.SET_NULL,
        related_name="%(class)ss",
        null=True,
        blank=True,
        verbose_name=_("event"),
    )

    class Meta:
        abstract = True


class Theme(models.Model):
    """A development theme of a process: drafted by staff, or suggested by a resident.

    Staff accept, merge or decline a suggested theme, always with a public reason.
    """

    class Status(models.TextChoices):
        SUGGESTED = "suggested", _("suggested")
        ACCEPTED = "accepted", _("accepted")
        MERGED = "merged", _("merged")
        DECLINED = "declined", _("declined")

    process = models.ForeignKey(Process, on_delete=models.CASCADE, related_name="themes")
    title = models.CharField(_("title"), max_length=150)
    description = models.TextField(_("description"), max_length=5000, blank=True)
    status = models.CharField(
        _("status"), max_length=20, choices=Status.choices, default=Status.SUGGESTED
    )
    merged_into = models.ForeignKey(
        "self",
        on_delete=models.SET_NULL,
        related_name="merged_themes",
        null=True,
        blank=True,
        verbose_name=_("merged into"),
    )
    public_reason = models.TextField(_("public reason"), blank=True)
    suggested_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        related_name="suggested_themes",
        null=True,
        blank=True,
    )
    created_at = models.DateTimeField(auto_now_add=True)
    decided_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["process", "title"]
        constraints = [
            models.CheckConstraint(
                condition=~models.Q(status="merged") | models.Q(merged_into__isnull=False),
                name="theme_merge_has_target",
            )
        ]
        verbose_name = _("development theme")
        verbose_name_plural = _("development themes")

    def __str__(self) -> str:
        return self.title


class Idea(Contribution):
    """A resident's suggestion in a process."""

    class Status(models.TextChoices):
        PUBLISHED = "published", _("published")
        ACCEPTED = "accepted", _("became a budget proposal")
        DECLINED = "declined", _("declined")
        WITHDRAWN = "withdrawn", _("withdrawn")

    process = models.ForeignKey(Process, on_delete=models.CASCADE, related_name="ideas")
    suburb = models.ForeignKey(
        "areas.Suburb",
        on_delete=models.PROTECT,
        related_name="ideas",
        null=True,
        blank=True,
        verbose_name=_("suburb"),
    )
    author = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        related_name="ideas",
        null=True,
        blank=True,
    )
    theme = models.ForeignKey(
        "Theme",
        on_delete=models.SET_NULL,
        related_name="ideas",
        null=True,
        blank=True,
        verbose_name=_("theme"),
    )
    title = models.CharField(_("title"), max_length=150)
    description = models.TextField(_("description"), max_length=5000)
    image = models.ImageField(_("image"), upload_to="ideas/%Y/", blank=True)
    # An optional point on the map in WGS84, always with a text alternative (address or place).
    latitude = models.DecimalField(
        _("latitude"), max_digits=8, decimal_places=6, null=True, blank=True
    )
    longitude = models.DecimalField(
        _("longitude"), max_digits=9, decimal_places=6, null=True, blank=True
    )
    location_text = models.CharField(_("address or place"), max_length=200, blank=True)
    # The proposer's own estimate in euros; experts give the evaluated cost later.
    cost_estimate = models.DecimalField(
        _("cost estimate"), max_digits=12, decimal_places=2, null=True, blank=True
    )
    status = models.CharField(
        _("status"), max_length=20, choices=Status.choices, default=Status.PUBLISHED
    )
    is_example = models.BooleanField(_("example content"), default=False)
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta(Contribution.Meta):
        ordering = ["-created_at"]
        indexes = [models.Index(fields=["process", "visibility", "status", "-created_at"])]
        constraints = [
            models.CheckConstraint(
                condition=models.Q(latitude__isnull=True, longitude__isnull=True)
                | models.Q(latitude__isnull=False, longitude__isnull=False, location_text__gt=""),
                name="idea_point_has_text_alternative",
            )
        ]
        verbose_name = _("idea")
        verbose_name_plural = _("ideas")

    def __str__(self) -> str:
        return self.title


class IdeaImage(models.Model):
    """An extra image of an idea. Uploads are checked for type and size and stripped of metadata."""

    idea = models.ForeignKey(Idea, on_delete=models.CASCADE, related_name="images")
    image = models.ImageField(_("image"), upload_to="ideas/%Y/")
    alt_text = models.CharField(_("image description"), max_length=300, blank=True)
    position = models.PositiveSmallIntegerField(default=0)

    class Meta:
        ordering = ["idea", "position", "pk"]
        verbose_name = _("idea image")
        verbose_name_plural = _("idea images")

    def __str__(self) -> str:
        return self.image.name


class Debate(models.Model):
    """A standalone discussion (keskustelu) that staff open and may close with a conclusion."""

    process = models.ForeignKey(Process, on_delete=models.CASCADE, related_name="debates")
    title = models.CharField(_("title"), max_length=150)
    description = models.TextField(_("description"), max_length=5000)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, related_name="+", null=True
    )
    is_closed = models.BooleanField(_("closed"), default=False)
    conclusion = models.TextField(_("conclusion"), blank=True)
    closed_at = models.DateTimeField(null=True, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["-created_at"]
        verbose_name = _("debate")
        verbose_name_plural = _("debates")

    def __str__(self) -> str:
        return self.title


class Comment(Contribution):
    """A comment on an idea or in a debate, possibly a reply to another comment."""

    class Stance(models.TextChoices):
        FOR = "for", _("for")
        AGAINST = "against", _("against")
        NEUTRAL = "neutral", _("neutral")

    idea = models.ForeignKey(
        Idea, on_delete=models.CASCADE, related_name="comments", null=True, blank=True
    )
    debate = models.ForeignKey(
        Debate, on_delete=models.CASCADE, related_name="comments", null=True, blank=True
    )
    parent = models.ForeignKey(
        "self", on_delete=models.CASCADE, related_name="replies", null=True, blank=True
    )
    author = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        related_name="comments",
        null=True,
        blank=True,
    )
    body = models.TextField(_("comment"), max_length=3000)
    stance = models.CharField(
        _("stance"), max_length=10, choices=Stance.choices, default=Stance.NEUTRAL
    )
    # Kept in step with CommentLike rows by F() updates, so lists need no count query.
    like_count = models.PositiveIntegerField(default=0)
    created_at = models.DateTimeField(auto_now_add=True)
    edited_at = models.DateTimeField(null=True, blank=True)

    class Meta(Contribution.Meta):
        ordering = ["created_at", "pk"]
        indexes = [
            models.Index(fields=["idea", "parent", "created_at"]),
            models.Index(fields=["debate", "parent", "created_at"]),
        ]
        constraints = [
            models.CheckConstraint(
                condition=models.Q(idea__isnull=False, debate__isnull=True)
                | models.Q(idea__isnull=True, debate__isnull=False),
                name="comment_on_idea_or_debate",
            )
        ]
        verbose_name = _("comment")
        verbose_name_plural = _("comments")

    def __str__(self) -> str:
        return self.body[:50]


class CommentLike(models.Model):
    """One user's like of one comment."""

    comment = models.ForeignKey(Comment, on_delete=models.CASCADE, related_name="likes")
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="comment_likes"
    )
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["comment", "user"], name="comment_like_once")
        ]
        verbose_name = _("comment like")
        verbose_name_plural = _("comment likes")

    def __str__(self) -> str:
        return f"{self.user_id} likes {self.comment_id}"


class Poll(models.Model):
    """A short poll of a process that anyone may answer once, without an account."""

    process = models.ForeignKey(Process, on_delete=models.CASCADE, related_name="polls")
    question = models.CharField(_("question"), max_length=300)
    is_open = models.BooleanField(_("open"), default=True)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["-created_at"]
        verbose_name = _("poll")
        verbose_name_plural = _("polls")

    def __str__(self) -> str:
        return self.question


class PollOption(models.Model):
    poll = models.ForeignKey(Poll, on_delete=models.CASCADE, related_name="options")
    text = models.CharField(_("option"), max_length=200)
    position = models.PositiveSmallIntegerField(default=0)

    class Meta:
        ordering = ["poll", "position", "pk"]
        verbose_name = _("poll option")
        verbose_name_plural = _("poll options")

    def __str__(self) -> str:
        return self.text


class OneOffParticipation(models.Model):
    """An answer to a poll or a support click, counted apart from signed-in participation.

    `participant_key` is a keyed hash of the session (or of the signed-in user), so one browser
    is counted once per poll or process without storing who it was.
    """

    class Kind(models.TextChoices):
        POLL_ANSWER = "poll_answer", _("poll answer")
        SUPPORT = "support", _("support")

    process = models.ForeignKey(
        Process, on_delete=models.CASCADE, related_name="one_off_participations"
    )
    kind = models.CharField(_("kind"), max_length=20, choices=Kind.choices)
    poll = models.ForeignKey(
        Poll, on_delete=models.CASCADE, related_name="answers", null=True, blank=True
    )
    option = models.ForeignKey(
        PollOption, on_delete=models.CASCADE, related_name="answers", null=True, blank=True
    )
    participant_key = models.CharField(max_length=64)
    is_signed_in = models.BooleanField(default=False)
    channel = models.CharField(
        _("channel"), max_length=20, choices=Channel.choices, default=Channel.ONLINE
    )
    day = models.DateField(_("day"))

    class Meta:
        constraints = [
            models.UniqueConstraint(
                fields=["process", "participant_key"],
                condition=models.Q(kind="support"),
                name="support_once_per_process",
            ),
            models.UniqueConstraint(
                fields=["poll", "participant_key"],
                condition=models.Q(kind="poll_answer"),
                name="poll_answer_once",
            ),
            models.CheckConstraint(
                condition=models.Q(kind="support", poll__isnull=True, option__isnull=True)
                | models.Q(kind="poll_answer", poll__isnull=False, option__isnull=False),
                name="one_off_participation_kind_fields",
            ),
        ]
        verbose_name = _("one-off participation")
        verbose_name_plural = _("one-off participations")

    def __str__(self) -> str:
        return f"{self.kind} {self.process_id} {self.day}"
