"""WCAG 2.1 A and AA checks on the accessibility statement, its feedback form and staff list."""

import datetime

import pytest

from osallistu.accessibility.models import Feedback, StatementDetails
from osallistu.accounts.models import RoleAssignment

from .axe import assert_accessible
from .session import sign_in_with_session

pytestmark = pytest.mark.browser


@pytest.fixture
def details(db):
    return StatementDetails.objects.create(
        known_issues_fi="Karttojen värit eivät erotu tulosteessa.",
        prepared_on=datetime.date(2026, 11, 1),
        reviewed_on=datetime.date(2026, 12, 1),
        contact_email="saavutettavuus@kuopio.example",
    )


def test_statement(page, details):
    page.goto("/accessibility/")

    assert page.locator("h1").count() == 1
    assert_accessible(page)


def test_feedback_form_with_errors(page):
    page.goto("/accessibility/feedback/")
    page.fill("textarea[name=message]", "")
    page.fill("input[name=contact_email]", "ei-osoite")
    page.click("main form[method=post] button[type=submit]")

    assert page.locator(".error-summary").count() == 1
    assert_accessible(page)


def test_staff_feedback_list(page, django_user_model):
    user = django_user_model.objects.create_user(
        email="koordinaattori@example.fi", password="Salasana-123"
    )
    RoleAssignment.objects.create(user=user, role=RoleAssignment.Role.COORDINATOR)
    Feedback.objects.create(message="Kartta ei toimi ruudunlukijalla.", language="fi")
    sign_in_with_session(page, user)

    page.goto("/accessibility/staff/feedback/")

    assert page.locator("textarea[name=answer_note]").count() == 1
    assert_accessible(page)
