"""Implementation tracking: what happens to a project package or a funded proposal after the vote.

One ImplementationItem follows exactly one target, a programme's project package or a budgeting
proposal that the published results fund, until it is done or cancelled. Its status changes are
kept in the audit log (action "implementation.change_status").
"""

from django.conf import settings
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _


class Status(models.TextChoices):
    """The stages of a municipal project, in order; done and cancelled are final."""

    PLANNED = "planned", _("planned")
    DESIGN = "design", _("in design")
    PROCUREMENT = "procurement", _("in procurement")
    IN_PROGRESS = "in_progress", _("under way")
    DONE = "done", _("done")
    CANCELLED = "cancelled", _("cancelled")


FINAL_STATUSES = frozenset({Status.DONE, Status.CANCELLED})


class Kind(models.TextChoices):
    """The kind of target an item tracks."""

    PACKAGE = "package", _("project package")
    BUDGETING = "budgeting", _("participatory budgeting")


class ImplementationItem(models.Model):
    """The implementation of one project package or one funded budgeting proposal."""

    package = models.OneToOneField(
        "programmes.ProjectPackage",
        on_delete=models.CASCADE,
        null=True,
        blank=True,
        related_name="implementation_item",
        verbose_name=_("project package"),
    )
    project = models.OneToOneField(
        "budgeting.Project",
        on_delete=models.CASCADE,
        null=True,
        blank=True,
        related_name="implementation_item",
        verbose_name=_("budget proposal"),
    )
    suburb = models.ForeignKey(
        "areas.Suburb",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="implementation_items",
        verbose_name=_("suburb"),
    )
    title = models.CharField(_("title"), max_length=300)
    description = models.TextField(_("description"), blank=True)
    status = models.CharField(
        _("status"), max_length=20, choices=Status.choices, default=Status.PLANNED
    )
    progress = models.PositiveSmallIntegerField(_("progress (%)"), default=0)
    budget = models.DecimalField(
        _("budget"), max_digits=14, decimal_places=2, null=True, blank=True
    )
    actual_cost = models.DecimalField(
        _("actual cost"), max_digits=14, decimal_places=2, null=True, blank=True
    )
    planned_start = models.DateField(_("planned start"), null=True, blank=True)
    planned_end = models.DateField(_("planned completion"), null=True, blank=True)
    actual_start = models.DateField(_("actual start"), null=True, blank=True)
    actual_end = models.DateField(_("actual completion"), null=True, blank=True)
    service_area = models.ForeignKey(
        "accounts.ServiceArea",
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="implementation_items",
        verbose_name=_("responsible service area"),
    )
    # An address or place name: the text alternative of the map point.
    location_text = models.CharField(_("place"), max_length=200, blank=True)
    longitude = models.DecimalField(
        _("longitude"), max_digits=9, decimal_places=6, null=True, blank=True
    )
    latitude = models.DecimalField(
        _("latitude"), max_digits=9, decimal_places=6, null=True, blank=True
    )
    is_public = models.BooleanField(_("public"), default=True)
    is_example = models.BooleanField(_("example content"), default=False)
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        ordering = ["title", "pk"]
        constraints = [
            models.CheckConstraint(
                condition=models.Q(package__isnull=False, project__isnull=True)
                | models.Q(package__isnull=True, project__isnull=False),
                name="implementation_item_one_target",
            ),
            models.CheckConstraint(
                condition=models.Q(progress__gte=0, progress__lte=100),
                name="implementation_item_progress_range",
            ),
            models.CheckConstraint(
                condition=~models.Q(progress=100) | models.Q(status=Status.DONE),
                name="implementation_item_full_progress_only_done",
            ),
            models.CheckConstraint(
                condition=~models.Q(status=Status.DONE)
                | models.Q(progress=100, actual_end__isnull=False),
                name="implementation_item_done_complete",
            ),
            models.CheckConstraint(
                condition=models.Q(budget__isnull=True) | models.Q(budget__gte=0),
                name="implementation_item_budget_not_negative",
            ),
            models.CheckConstraint(
                condition=models.Q(actual_cost__isnull=True) | models.Q(actual_cost__gte=0),
                name="implementation_item_cost_not_negative",
            ),
            models.CheckConstraint(
                condition=models.Q(longitude__isnull=True, latitude__isnull=True)
                | models.Q(longitude__isnull=False, latitude__isnull=False),
                name="implementation_item_point_complete",
            ),
        ]
        indexes = [models.Index(fields=["status"])]
        verbose_name = _("implementation item")
        verbose_name_plural = _("implementation items")

    def __str__(self) -> str:
        return self.title

    @property
    def kind(self) -> str:
        return Kind.PACKAGE if self.package_id else Kind.BUDGETING

    def get_kind_display(self) -> str:
        return Kind(self.kind).label

    @property
    def process(self):
        """Return the participation process the item belongs to, or None.

        A winner belongs to its budgeting process, a package to its co-design process if it has
        one; permissions are asked in that process.
        """
        if self.project_id:
            return self.project.area.process
        return self.package.process

    @property
    def is_final(self) -> bool:
        return self.status in FINAL_STATUSES

    @property
    def cost_difference(self):
        """Return the actual cost minus the budget, or None if either is unknown."""
        if self.budget is None or self.actual_cost is None:
            return None
        return self.actual_cost - self.budget


class Milestone(models.Model):
    """A step of an item's schedule, with the day it is due and the day it was reached."""

    item = models.ForeignKey(
        ImplementationItem, on_delete=models.CASCADE, related_name="milestones"
    )
    title = models.CharField(_("title"), max_length=300)
    due_on = models.DateField(_("due date"), null=True, blank=True)
    done_on = models.DateField(_("done on"), null=True, blank=True)
    position = models.PositiveSmallIntegerField(_("position"), default=0)

    class Meta:
        ordering = ["item", "position", "due_on", "pk"]
        verbose_name = _("milestone")
        verbose_name_plural = _("milestones")

    def __str__(self) -> str:
        return self.title

    @property
    def is_overdue(self) -> bool:
        """Return whether the due date has passed and the milestone is not reached."""
        return (
            self.done_on is None and self.due_on is not None and self.due_on < timezone.localdate()
        )


class ImplementationUpdate(models.Model):
    """A public news item about an item's progress, optionally inviting residents to take part.

    An invitation, for example to a talkoot, has a start time, a place and how to join. A
    database constraint requires the time whenever a place or instructions are set.
    """

    item = models.ForeignKey(ImplementationItem, on_delete=models.CASCADE, related_name="updates")
    text = models.TextField(_("text"), max_length=5000)
    published_on = models.DateField(_("date"))
    author = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("author"),
    )
    invitation_starts_at = models.DateTimeField(_("time of the event"), null=True, blank=True)
    invitation_place = models.CharField(_("place of the event"), max_length=200, blank=True)
    invitation_how = models.TextField(_("how to take part"), max_length=1000, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["item", "-published_on", "-pk"]
        constraints = [
            models.CheckConstraint(
                condition=models.Q(invitation_starts_at__isnull=False)
                | models.Q(invitation_place="", invitation_how=""),
                name="implementation_update_invitation_has_time",
            ),
        ]
        verbose_name = _("implementation update")
        verbose_name_plural = _("implementation updates")

    def __str__(self) -> str:
        return f"{self.item_id} {self.published_on}"

    @property
    def is_invitation(self) -> bool:
        return self.invitation_starts_at is not None


class UpdatePhoto(models.Model):
    """A photo of an update, checked and stripped of metadata like idea images."""

    update = models.ForeignKey(
        ImplementationUpdate, on_delete=models.CASCADE, related_name="photos"
    )
    image = models.ImageField(_("photo"), upload_to="implementation/%Y/")
    alt_text = models.CharField(_("photo description"), max_length=300)
    position = models.PositiveSmallIntegerField(default=0)

    class Meta:
        ordering = ["update", "position", "pk"]
        constraints = [
            models.CheckConstraint(
                condition=~models.Q(alt_text=""), name="update_photo_has_alt_text"
            ),
        ]
        verbose_name = _("update photo")
        verbose_name_plural = _("update photos")

    def __str__(self) -> str:
        return self.image.name
