"""Background tasks of notifications: the opt-in email copy of a notification."""

import logging
from urllib.parse import urljoin

from django.conf import settings
from django.core.mail import EmailMessage
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import translation
from django.utils.translation import gettext as _
from django_tasks import task

from .models import Notification

logger = logging.getLogger(__name__)


def site_url() -> str:
    """Return the site's public address, which emails need because they have no request."""
    return settings.OSALLISTU_SITE_URL


@task()
def send_notification_email(notification_id: int) -> None:
    """Send the email copy of one notification to its recipient alone, in their language.

    Skip the email if the notification is gone or the user has since turned emails off. The
    email carries the notification's own text and link, and nothing about other users.
    """
    try:
        notification = Notification.objects.select_related("user").get(pk=notification_id)
    except Notification.DoesNotExist:
        logger.info("notification email skipped, notification gone id=%s", notification_id)
        return
    user = notification.user
    if not (user.is_active and user.email_notifications and user.email):
        logger.info("notification email skipped, not opted in notification=%s", notification_id)
        return

    with translation.override(user.language):
        context = {
            "message": notification.message,
            "link": urljoin(site_url(), notification.url) if notification.url else "",
            "settings_link": urljoin(site_url(), reverse("notifications:settings")),
            "city_name": settings.OSALLISTU_CITY_NAME,
        }
        subject = _("New notification from Osallistu %(city_name)s") % context
        body = render_to_string("notifications/email/notification.txt", context)
    email = EmailMessage(
        subject=subject,
        body=body,
        to=[user.email],
        headers={"Content-Language": user.language},
    )
    email.send()
    logger.info("notification email sent notification=%s", notification_id)
