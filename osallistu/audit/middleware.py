"""Record every successful change a staff member makes through the site in the audit log."""

import logging

from django.db import DatabaseError
from django.urls import Resolver404, resolve

from osallistu.core.staff import is_staff_member

from . import context
from .services import record

logger = logging.getLogger(__name__)

UNSAFE_METHODS = frozenset({"POST", "PUT", "PATCH", "DELETE"})

# Requests that change no data of the city's: signing in and out, the language switch and the
# user's own notification settings.
IGNORED_URL_NAMES = frozenset(
    {
        "set_language",
        "account_login",
        "account_logout",
        "account_signup",
        "account_reset_password",
        "account_reset_password_from_key",
        "account_change_password",
        "account_email",
        "admin:login",
        "admin:logout",
    }
)
IGNORED_NAMESPACES = frozenset({"mfa", "socialaccount", "openid_connect", "notifications"})

# URL arguments that identify what was changed. The event leaves other arguments out.
TARGET_ARGUMENTS = ("pk", "object_id", "id", "slug", "process_id", "process_slug", "item_id")


def _is_staff(user) -> bool:
    # Django's is_staff flag alone gives no role here, but it does open the admin.
    return user.is_authenticated and (user.is_staff or is_staff_member(user))


class StaffActionAuditMiddleware:
    """Record a staff member's successful POST, PUT, PATCH or DELETE as an audit event.

    Services that record their own event (osallistu.audit.services.record) take precedence: the
    generic event is written only when the request recorded none. The event stores the URL name,
    the identifying URL arguments and the status code, never the submitted data, which may hold
    residents' personal data.
    """

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        if request.method not in UNSAFE_METHODS:
            return self.get_response(request)
        token = context.start_request()
        try:
            response = self.get_response(request)
        finally:
            recorded = context.end_request(token)
        if recorded or response.status_code >= 400:
            return response
        user = getattr(request, "user", None)
        if user is None or not _is_staff(user):
            return response
        try:
            match = resolve(request.path_info)
        except Resolver404:
            return response
        if match.view_name in IGNORED_URL_NAMES or set(match.namespaces) & IGNORED_NAMESPACES:
            return response
        target = {key: str(match.kwargs[key]) for key in TARGET_ARGUMENTS if key in match.kwargs}
        try:
            record(
                user,
                f"web.{match.view_name}",
                summary=f"{request.method} {request.path_info}",
                details={
                    "url_name": match.view_name,
                    "arguments": target,
                    "status": response.status_code,
                },
            )
        except DatabaseError:
            # The change itself is saved; losing its audit event is logged rather than turned
            # into an error page for a request that succeeded.
            logger.exception("audit event not recorded view=%s", match.view_name)
        return response
