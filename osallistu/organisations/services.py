"""Writes for organisations and their memberships, each checking its own permission."""

import logging
from collections.abc import Iterable

from django.contrib.auth import get_user_model
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils.text import slugify
from django.utils.translation import gettext as _

from osallistu.areas.models import Suburb

from .models import Membership, Organisation
from .permissions import can_create_organisation, can_manage_organisation

logger = logging.getLogger(__name__)

# Path segments of organisations/urls.py that an organisation's slug must not take.
RESERVED_SLUGS = frozenset({"new"})


def _check_name(name: str, *, exclude_pk: int | None = None) -> None:
    """Raise ValidationError if another organisation has the name in any letter case."""
    # Compared in Python, because SQLite's case-insensitive matching folds ASCII letters only.
    names = Organisation.objects.exclude(pk=exclude_pk).values_list("name", flat=True)
    if any(existing.casefold() == name.casefold() for existing in names):
        raise ValidationError(
            {"name": _("An organisation with this name already exists.")}, code="duplicate_name"
        )


def _unique_slug(name: str) -> str:
    base = slugify(name)[:90] or "organisation"
    slug, suffix = base, 2
    while slug in RESERVED_SLUGS or Organisation.objects.filter(slug=slug).exists():
        slug = f"{base}-{suffix}"
        suffix += 1
    return slug


def _user_by_email(email: str, *, field: str = "email"):
    """Return the account of `email`, or raise ValidationError on `field` if there is none."""
    User = get_user_model()
    try:
        return User.objects.get(email__iexact=email.strip())
    except User.DoesNotExist:
        raise ValidationError(
            {
                field: _(
                    "No account uses the email address %(email)s. Ask the person to sign up "
                    "first, then add them again."
                )
                % {"email": email}
            },
            code="no_account",
        ) from None


def organisation_create(
    *,
    user,
    name: str,
    description: str = "",
    website: str = "",
    suburbs: Iterable[Suburb] = (),
    admin_email: str = "",
) -> Organisation:
    """Create an organisation, with the account of `admin_email` as its first administrator.

    Raise PermissionDenied unless `user` is a city-wide coordinator or administrator, and
    ValidationError if the name is taken or no account uses `admin_email`.
    """
    if not can_create_organisation(user):
        raise PermissionDenied(_("Only the city's coordinators and administrators may do this."))
    _check_name(name)
    admin = _user_by_email(admin_email, field="admin_email") if admin_email else None
    with transaction.atomic():
        organisation = Organisation.objects.create(
            name=name, slug=_unique_slug(name), description=description, website=website
        )
        organisation.suburbs.set(suburbs)
        if admin is not None:
            Membership.objects.create(
                organisation=organisation, user=admin, role=Membership.Role.ADMIN
            )
    logger.info("organisation created organisation=%s", organisation.pk)
    return organisation


def organisation_update(
    *,
    user,
    organisation: Organisation,
    name: str,
    description: str = "",
    website: str = "",
    suburbs: Iterable[Suburb] = (),
) -> Organisation:
    """Change an organisation's profile. Its identifier (slug) stays the same.

    Raise PermissionDenied unless `user` administers the organisation or is city-wide staff.
    """
    if not can_manage_organisation(user, organisation):
        raise PermissionDenied(_("Only the organisation's administrators may do this."))
    _check_name(name, exclude_pk=organisation.pk)
    with transaction.atomic():
        organisation.name = name
        organisation.description = description
        organisation.website = website
        organisation.save()
        organisation.suburbs.set(suburbs)
    logger.info("organisation updated organisation=%s", organisation.pk)
    return organisation


def membership_add(
    *, user, organisation: Organisation, email: str, role: str = Membership.Role.MEMBER
) -> Membership:
    """Make the account of `email` a member (or administrator) of the organisation.

    Raise PermissionDenied unless `user` manages the organisation, and ValidationError if no
    account uses the address or the person is a member already.
    """
    if not can_manage_organisation(user, organisation):
        raise PermissionDenied(_("Only the organisation's administrators may do this."))
    member = _user_by_email(email)
    with transaction.atomic():
        membership, created = Membership.objects.get_or_create(
            organisation=organisation, user=member, defaults={"role": role}
        )
    if not created:
        raise ValidationError(
            {"email": _("%(email)s is already a member.") % {"email": member.email}},
            code="already_member",
        )
    logger.info("membership added organisation=%s membership=%s", organisation.pk, membership.pk)
    return membership


def membership_remove(*, user, membership: Membership) -> None:
    """Remove a member from an organisation.

    Raise PermissionDenied unless `user` manages the organisation, and ValidationError if the
    member is its last administrator, because then nobody could manage it.
    """
    organisation = membership.organisation
    if not can_manage_organisation(user, organisation):
        raise PermissionDenied(_("Only the organisation's administrators may do this."))
    with transaction.atomic():
        # Locking the administrators' rows stops two administrators removing each other at once.
        admins = list(
            Membership.objects.select_for_update()
            .filter(organisation=organisation, role=Membership.Role.ADMIN)
            .values_list("pk", flat=True)
        )
        if membership.role == Membership.Role.ADMIN and admins == [membership.pk]:
            raise ValidationError(
                _(
                    "%(email)s is the organisation's only administrator. Make another member an "
                    "administrator first."
                )
                % {"email": membership.user.email},
                code="last_admin",
            )
        membership.delete()
    logger.info("membership removed organisation=%s", organisation.pk)
