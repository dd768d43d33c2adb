"""WCAG 2.0/2.1 A and AA checks of the audit log page, with a filter error too."""

import pytest

from osallistu.accounts.models import RoleAssignment
from osallistu.audit.services import record
from osallistu.participation.models import Process

from .axe import assert_accessible

pytestmark = pytest.mark.browser


@pytest.fixture
def auditing_page(signed_in_page, resident):
    RoleAssignment.objects.create(user=resident, role=RoleAssignment.Role.ADMINISTRATOR)
    process = Process.objects.create(title="Lähiöbudjetti", slug="lb", kind="area_development")
    record(resident, "budgeting.results_published", process, summary="Results published")
    return signed_in_page


def test_audit_log_page(auditing_page):
    auditing_page.goto("/audit/")

    assert auditing_page.locator("tbody tr").count() == 1
    assert_accessible(auditing_page)


def test_audit_log_filter_error(auditing_page):
    auditing_page.goto("/audit/?date_from=2026-12-05&date_to=2026-12-01")

    assert auditing_page.locator(".errorlist").count() >= 1
    assert_accessible(auditing_page)
