"""WCAG 2.0/2.1 A and AA checks of the moderation and notification pages, forms with errors too."""

import pytest

from osallistu.accounts.models import RoleAssignment
from osallistu.moderation import services as moderation
from osallistu.notifications import services as notifications
from osallistu.participation.models import Visibility
from tests.moderation.fixtures import *  # noqa: F403

from .axe import assert_accessible

pytestmark = pytest.mark.browser


@pytest.fixture
def moderating_page(signed_in_page, resident):
    """Return the signed-in page of `resident`, who moderates every process."""
    RoleAssignment.objects.create(user=resident, role=RoleAssignment.Role.MODERATOR)
    return signed_in_page


@pytest.fixture
def queue_content(idea, make_comment, make_user, other_resident):
    """Report `idea` and add a comment on it that waits for pre-moderation."""
    reporter = make_user("ilmoittaja@example.fi")
    moderation.report_create(reporter, idea, reason="Sisältää puhelinnumeron.")
    return make_comment(other_resident, idea=idea, visibility=Visibility.PENDING)


def test_moderation_queue(moderating_page, queue_content, idea):
    page = moderating_page
    page.goto("/moderation/")

    assert page.locator(".moderation-queue > li").count() == 2
    assert page.get_by_text("Sisältää puhelinnumeron.").count() == 1
    assert_accessible(page)


def test_hide_form_with_errors(moderating_page, queue_content, idea):
    page = moderating_page
    page.goto("/moderation/")
    page.locator(f"#idea-{idea.pk} form[action$='/hide/'] button[type=submit]").click()
    page.wait_for_url(f"**/moderation/idea/{idea.pk}/hide/")

    assert page.locator(".error-summary").count() == 1
    assert page.locator("#id_reason[aria-invalid=true]").count() == 1
    assert_accessible(page)


def test_report_form_with_errors(signed_in_page, idea):
    page = signed_in_page
    page.goto(f"/moderation/idea/{idea.pk}/report/")
    page.locator("main form button[type=submit]").click()
    page.wait_for_load_state()

    assert page.locator(".error-summary").count() == 1
    assert page.locator("#id_reason[aria-invalid=true]").count() == 1
    assert_accessible(page)


def test_moderation_log(moderating_page, resident, idea, make_user, city_moderator):
    moderation.content_hide(city_moderator, idea, "Sisältää henkilötietoja.")
    moderation.account_block(city_moderator, make_user("hairitsija@example.fi"), "Häirintää")
    page = moderating_page
    page.goto("/moderation/log/")

    assert page.locator("tbody tr").count() == 2
    assert_accessible(page)


def test_moderation_log_filter_errors(moderating_page, idea, city_moderator):
    moderation.content_hide(city_moderator, idea, "Sisältää henkilötietoja.")
    page = moderating_page
    page.goto("/moderation/log/?date_from=2026-05-10&date_to=2026-05-01")

    assert page.locator(".error-summary").count() == 1
    assert_accessible(page)


def test_block_form_with_errors(moderating_page, other_resident):
    page = moderating_page
    page.goto(f"/moderation/accounts/{other_resident.pk}/block/")
    page.locator("main form button[type=submit]").click()
    page.wait_for_load_state()

    assert page.locator(".error-summary").count() == 1
    assert_accessible(page)


def test_blocked_accounts(moderating_page, other_resident, city_moderator):
    moderation.account_block(city_moderator, other_resident, "Häirintää")
    page = moderating_page
    page.goto("/moderation/accounts/")

    assert page.locator("tbody tr").count() == 1
    assert_accessible(page)


def test_notification_list(signed_in_page, resident):
    notifications.notify_user(resident, message="Ideasi tila muuttui.", url="/processes/")
    notifications.notify_user(resident, message="Uusi kommentti ideaasi.")
    page = signed_in_page
    page.goto("/notifications/")

    assert page.locator(".notification-list > li").count() == 2
    assert_accessible(page)


def test_notification_settings(signed_in_page, resident, idea, process):
    notifications.follow(resident, idea)
    notifications.follow(resident, process)
    page = signed_in_page
    page.goto("/notifications/settings/")
    page.check("#id_email_notifications")
    page.locator("main form button[type=submit]").first.click()
    page.wait_for_url("**/notifications/settings/")

    assert page.locator("#id_email_notifications").is_checked()
    assert page.locator(".follow-list > li").count() == 2
    assert_accessible(page)
