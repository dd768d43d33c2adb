"""Permissions to manage an organisation's profile and members."""

from osallistu.participation import rules

from .models import Membership, Organisation

# City-wide staff who may create any organisation and step in for its administrators.
CITY_ROLES = frozenset({rules.Role.COORDINATOR, rules.Role.ADMINISTRATOR})


def can_create_organisation(user) -> bool:
    """Return True if `user` is a city-wide coordinator or administrator."""
    return bool(rules.roles_of(user, None) & CITY_ROLES)


def can_manage_organisation(user, organisation: Organisation) -> bool:
    """Return True if `user` administers the organisation or is city-wide staff."""
    if not user.is_authenticated:
        return False
    is_admin = Membership.objects.filter(
        organisation=organisation, user=user, role=Membership.Role.ADMIN
    ).exists()
    return is_admin or can_create_organisation(user)
