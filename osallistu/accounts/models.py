from django.conf import settings
from django.contrib.auth.models import AbstractUser, BaseUserManager
from django.db import models
from django.utils.translation import gettext_lazy as _


class UserManager(BaseUserManager):
    """Create users identified by email address, with no username."""

    use_in_migrations = True

    def _create_user(self, email, password, **extra_fields):
        if not email:
            raise ValueError("An email address is required.")
        user = self.model(email=self.normalize_email(email), **extra_fields)
        user.set_password(password)
        user.save(using=self._db)
        return user

    def create_user(self, email, password=None, **extra_fields):
        extra_fields.setdefault("is_staff", False)
        extra_fields.setdefault("is_superuser", False)
        return self._create_user(email, password, **extra_fields)

    def create_superuser(self, email, password=None, **extra_fields):
        extra_fields.setdefault("is_staff", True)
        extra_fields.setdefault("is_superuser", True)
        return self._create_user(email, password, **extra_fields)


class User(AbstractUser):
    """A person with an account: a resident, or a member of staff.

    The email address is the sign-in name. Voting later also accepts strong identification, which
    needs no email address, so code must not assume that every voter has an account email.
    """

    username = None
    email = models.EmailField(_("email address"), unique=True)
    # Set when strong identification has shown that the person lives in the city.
    verified_at = models.DateTimeField(_("verified as a resident"), null=True, blank=True)
    email_notifications = models.BooleanField(_("notifications by email"), default=False)
    # Language of emails and notifications: the one the user last used on the site.
    language = models.CharField(
        _("language"), max_length=10, choices=settings.LANGUAGES, default=settings.LANGUAGE_CODE
    )

    USERNAME_FIELD = "email"
    REQUIRED_FIELDS: list[str] = []

    objects = UserManager()

    class Meta:
        verbose_name = _("user")
        verbose_name_plural = _("users")

    def __str__(self) -> str:
        return self.email


class ServiceArea(models.Model):
    """A city department (palvelualue), for example urban environment services (KYP)."""

    name = models.CharField(_("name"), max_length=200, unique=True)
    short_name = models.CharField(_("abbreviation"), max_length=20, blank=True)
    slug = models.SlugField(_("identifier"), unique=True)

    class Meta:
        ordering = ["name"]
        verbose_name = _("service area")
        verbose_name_plural = _("service areas")

    def __str__(self) -> str:
        return self.name


class RoleAssignment(models.Model):
    """A staff role of a user, city-wide or scoped to a suburb or a process.

    Evaluators belong to a service area. Residents' roles (registered, verified resident,
    organisation member) follow from the account itself and need no assignment.
    """

    class Role(models.TextChoices):
        MODERATOR = "moderator", _("moderator")
        EVALUATOR = "evaluator", _("evaluator")
        COORDINATOR = "coordinator", _("coordinator")
        ADMINISTRATOR = "administrator", _("administrator")

    user = models.ForeignKey(User, on_delete=models.CASCADE, related_name="role_assignments")
    role = models.CharField(_("role"), max_length=20, choices=Role.choices)
    service_area = models.ForeignKey(
        ServiceArea,
        on_delete=models.PROTECT,
        related_name="role_assignments",
        null=True,
        blank=True,
        verbose_name=_("service area"),
    )
    suburb = models.ForeignKey(
        "areas.Suburb",
        on_delete=models.CASCADE,
        related_name="role_assignments",
        null=True,
        blank=True,
        verbose_name=_("suburb"),
    )
    process = models.ForeignKey(
        "participation.Process",
        on_delete=models.CASCADE,
        related_name="role_assignments",
        null=True,
        blank=True,
        verbose_name=_("process"),
    )

    class Meta:
        constraints = [
            models.CheckConstraint(
                condition=~models.Q(role="evaluator") | models.Q(service_area__isnull=False),
                name="evaluator_has_service_area",
            ),
            models.CheckConstraint(
                condition=models.Q(suburb__isnull=True) | models.Q(process__isnull=True),
                name="role_scope_suburb_or_process",
            ),
        ]
        verbose_name = _("role assignment")
        verbose_name_plural = _("role assignments")

    def __str__(self) -> str:
        return f"{self.user} {self.role}"
