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
        EVALUATION = "evaluation", _("evaluation")
        VOTING = "voting", _("voting")
        IMPLEMENTATION = "implementation", _("implementation")

    process = models.ForeignKey(Process, on_delete=models.CASCADE, related_name="phases")
    kind = models.CharField(_("kind"), max_length=20, choices=Kind.choices)
    starts_on = models.DateField(_("starts on"))
    ends_on = models.DateField(_("ends on"))

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


class Idea(models.Model):
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
    title = models.CharField(_("title"), max_length=150)
    description = models.TextField(_("description"), max_length=5000)
    image = models.ImageField(_("image"), upload_to="ideas/%Y/", blank=True)
    status = models.CharField(
        _("status"), max_length=20, choices=Status.choices, default=Status.PUBLISHED
    )
    is_example = models.BooleanField(_("example content"), default=False)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["-created_at"]
        verbose_name = _("idea")
        verbose_name_plural = _("ideas")

    def __str__(self) -> str:
        return self.title


class Channel(models.TextChoices):
    """How a contribution or a ballot reached the platform."""

    ONLINE = "online", _("online")
    WORKSHOP = "workshop", _("workshop")
    OUTREACH = "outreach", _("outreach")
    PAPER = "paper", _("paper")
    PHONE = "phone", _("phone")
    ASSISTED = "assisted", _("staff-assisted")
