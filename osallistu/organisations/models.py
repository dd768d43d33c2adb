from django.conf import settings
from django.db import models
from django.urls import reverse
from django.utils.translation import gettext_lazy as _


class Organisation(models.Model):
    """A local organisation (järjestö) whose members post for it and which co-hosts events."""

    name = models.CharField(_("name"), max_length=200, unique=True)
    slug = models.SlugField(_("identifier"), max_length=100, unique=True)
    description = models.TextField(_("description"), max_length=5000, blank=True)
    website = models.URLField(_("website"), blank=True)
    suburbs = models.ManyToManyField(
        "areas.Suburb", related_name="organisations", blank=True, verbose_name=_("suburbs")
    )
    members = models.ManyToManyField(
        settings.AUTH_USER_MODEL, through="Membership", related_name="organisations"
    )
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["name"]
        verbose_name = _("organisation")
        verbose_name_plural = _("organisations")

    def __str__(self) -> str:
        return self.name

    def get_absolute_url(self) -> str:
        return reverse("organisations:detail", args=[self.slug])


class Membership(models.Model):
    """A user's membership of an organisation; admins manage members and the profile."""

    class Role(models.TextChoices):
        MEMBER = "member", _("member")
        ADMIN = "admin", _("administrator")

    organisation = models.ForeignKey(
        Organisation, on_delete=models.CASCADE, related_name="memberships"
    )
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="memberships"
    )
    role = models.CharField(_("role"), max_length=10, choices=Role.choices, default=Role.MEMBER)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["organisation", "user"], name="membership_once")
        ]
        verbose_name = _("membership")
        verbose_name_plural = _("memberships")

    def __str__(self) -> str:
        return f"{self.user_id} in {self.organisation_id}"
