"""Background tasks of communications: one newsletter email to one recipient."""

import datetime
import logging

from django.conf import settings
from django.contrib.auth import get_user_model
from django.core.mail import EmailMessage
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import timezone, translation
from django_tasks import task

logger = logging.getLogger(__name__)


def upcoming_items(items: list[dict]) -> list[dict]:
    """Return the stored upcoming items with event start times parsed, for date formatting."""
    result = []
    for item in items:
        item = dict(item)
        if item.get("starts_at"):
            item["starts_at"] = timezone.localtime(
                datetime.datetime.fromisoformat(item["starts_at"])
            )
        result.append(item)
    return result


@task()
def send_newsletter_email(issue_id: int, user_id: int) -> None:
    """Send newsletter `issue_id` to user `user_id` alone, in the user's language.

    The subject and text are the user's language where staff wrote them, else Finnish, while the
    frame and footer are always translated. Skip the email if the newsletter or user is gone,
    or the user has since turned emails off.
    """
    from .models import NewsletterIssue
    from .selectors import absolute_url

    issue = NewsletterIssue.objects.select_related("suburb").filter(pk=issue_id).first()
    user = get_user_model().objects.filter(pk=user_id).first()
    if issue is None or user is None:
        logger.info("newsletter email skipped, gone issue=%s user=%s", issue_id, user_id)
        return
    if not (user.is_active and user.email_notifications and user.email):
        logger.info("newsletter email skipped, not opted in issue=%s user=%s", issue_id, user_id)
        return

    language = user.language or settings.LANGUAGE_CODE
    subject, body = issue.text_in(language)
    with translation.override(language):
        context = {
            "body": body,
            "suburb": issue.suburb,
            "upcoming": upcoming_items(issue.upcoming),
            "settings_link": absolute_url(reverse("notifications:settings")),
            "city_name": settings.OSALLISTU_CITY_NAME,
        }
        text = render_to_string("communications/email/newsletter.txt", context)
    EmailMessage(
        subject=subject, body=text, to=[user.email], headers={"Content-Language": language}
    ).send()
    logger.info("newsletter email sent issue=%s user=%s", issue_id, user_id)
