from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from .claims import Method


class EligibilityRecord(models.Model):
    """That one person may vote in one process, and where: one row per person and process.

    The person is known only by `digest`, an HMAC of the national identification number (or of the
    school identification's own identifier), so the constraint on (process, digest) makes the same
    person the same record whichever channel they come through. Only what eligibility and turnout
    statistics need is kept: no name, no birth date, only the age group on the reference day.
    """

    class MethodChoice(models.TextChoices):
        SUOMIFI = Method.SUOMIFI, _("Suomi.fi e-Identification")
        OIDC = Method.OIDC, _("OpenID Connect")
        SCHOOL = Method.SCHOOL, _("school identification")
        LOCAL_TEST = Method.LOCAL_TEST, _("local test identification")
        DESK = Method.DESK, _("identity document at a service desk")

    process = models.ForeignKey(
        "participation.Process", on_delete=models.CASCADE, related_name="eligibility_records"
    )
    digest = models.CharField(_("identity digest"), max_length=64)
    method = models.CharField(_("identification method"), max_length=20, choices=MethodChoice)
    # An OSALLISTU_AGE_GROUPS label such as "13-17" on the process's reference day; empty when
    # only a lower bound of the age is known.
    age_group = models.CharField(_("age group"), max_length=10, blank=True)
    municipality_code = models.CharField(_("home municipality code"), max_length=3)
    postal_code = models.CharField(_("postal code"), max_length=5, blank=True)
    # Municipality and postal code told by the person at a desk, not read from the register.
    is_self_declared = models.BooleanField(_("self-declared"), default=False)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("created by"),
    )
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        constraints = [
            models.UniqueConstraint(
                fields=["process", "digest"], name="eligibility_record_one_per_person"
            )
        ]
        verbose_name = _("eligibility record")
        verbose_name_plural = _("eligibility records")

    def __str__(self) -> str:
        return f"{self.process_id}: {self.pk} ({self.method})"
