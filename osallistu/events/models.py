from django.conf import settings
from django.db import models
from django.urls import reverse
from django.utils.translation import gettext_lazy as _


class Event(models.Model):
    """A workshop for active residents or an outreach pop-up for those who never come to one."""

    class Kind(models.TextChoices):
        WORKSHOP = "workshop", _("workshop")
        OUTREACH = "outreach", _("outreach")

    process = models.ForeignKey(
        "participation.Process",
        on_delete=models.SET_NULL,
        related_name="events",
        null=True,
        blank=True,
        verbose_name=_("process"),
    )
    suburb = models.ForeignKey(
        "areas.Suburb",
        on_delete=models.SET_NULL,
        related_name="events",
        null=True,
        blank=True,
        verbose_name=_("suburb"),
    )
    kind = models.CharField(_("kind"), max_length=20, choices=Kind.choices)
    title = models.CharField(_("title"), max_length=200)
    slug = models.SlugField(_("identifier"), max_length=100, unique=True)
    description = models.TextField(_("description"), max_length=5000, blank=True)
    starts_at = models.DateTimeField(_("starts at"))
    ends_at = models.DateTimeField(_("ends at"))
    place = models.CharField(_("place"), max_length=200)
    address = models.CharField(_("address"), max_length=200, blank=True)
    accessibility = models.TextField(_("accessibility information"), max_length=2000, blank=True)
    registration_required = models.BooleanField(_("registration required"), default=False)
    # Confirmed registrations at most; later ones go to the waiting list. Empty means no limit.
    capacity = models.PositiveIntegerField(_("capacity"), null=True, blank=True)
    co_hosts = models.ManyToManyField(
        "organisations.Organisation",
        related_name="events",
        blank=True,
        verbose_name=_("co-hosting organisations"),
    )
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, related_name="+", null=True
    )
    is_example = models.BooleanField(_("example content"), default=False)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["starts_at", "pk"]
        constraints = [
            models.CheckConstraint(
                condition=models.Q(ends_at__gte=models.F("starts_at")),
                name="event_ends_after_start",
            )
        ]
        verbose_name = _("event")
        verbose_name_plural = _("events")

    def __str__(self) -> str:
        return self.title

    def get_absolute_url(self) -> str:
        return reverse("events:detail", args=[self.slug])


class Registration(models.Model):
    """A user's registration for an event, confirmed or on the waiting list."""

    class Status(models.TextChoices):
        CONFIRMED = "confirmed", _("confirmed")
        WAITING = "waiting", _("on the waiting list")
        CANCELLED = "cancelled", _("cancelled")

    event = models.ForeignKey(Event, on_delete=models.CASCADE, related_name="registrations")
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="event_registrations"
    )
    status = models.CharField(_("status"), max_length=20, choices=Status.choices)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["event", "created_at", "pk"]
        constraints = [models.UniqueConstraint(fields=["event", "user"], name="registration_once")]
        verbose_name = _("registration")
        verbose_name_plural = _("registrations")

    def __str__(self) -> str:
        return f"{self.user_id} at {self.event_id}: {self.status}"


class EventOutcome(models.Model):
    """What an event produced, recorded by staff afterwards.

    `participants_by_age_group` maps the keys of settings.OSALLISTU_AGE_GROUPS (and "unknown") to
    head counts. Ideas and comments collected on paper are stored as ideas and comments with the
    event, their channel and the staff member who entered them.
    """

    event = models.OneToOneField(Event, on_delete=models.CASCADE, related_name="outcome")
    summary = models.TextField(_("summary"), max_length=10000)
    participants_by_age_group = models.JSONField(_("participants by age group"), default=dict)
    recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, related_name="+", null=True
    )
    recorded_at = models.DateTimeField(auto_now=True)

    class Meta:
        verbose_name = _("event outcome")
        verbose_name_plural = _("event outcomes")

    def __str__(self) -> str:
        return str(self.event)
