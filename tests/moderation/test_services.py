"""Moderation services: reports, hiding, approval, blocks, posting limits and the audit log."""

import pytest
from django.contrib.auth.models import AnonymousUser
from django.core.exceptions import PermissionDenied, ValidationError

from osallistu.accounts.models import RoleAssignment
from osallistu.moderation import services
from osallistu.moderation.models import AccountBlock, ModerationLogEntry, Report
from osallistu.notifications.models import Notification
from osallistu.participation import rules
from osallistu.participation.models import Visibility

pytestmark = pytest.mark.django_db

Action = ModerationLogEntry.Action


def _refresh(content):
    content.refresh_from_db()
    return content


# --- Reports ----------------------------------------------------------------------------------


def test_report_create_records_report(idea, resident):
    report = services.report_create(resident, idea, reason="  Loukkaava kirjoitus.  ")

    assert report.content == idea
    assert report.reporter == resident
    assert report.reason == "Loukkaava kirjoitus."
    assert report.resolved_at is None


def test_report_create_anonymous_denied(idea):
    with pytest.raises(PermissionDenied):
        services.report_create(AnonymousUser(), idea, reason="Roskapostia")

    assert not Report.objects.exists()


@pytest.mark.parametrize("reason", ["", "   ", None])
def test_report_create_requires_reason(idea, resident, reason):
    with pytest.raises(ValidationError) as excinfo:
        services.report_create(resident, idea, reason=reason)

    assert excinfo.value.code == "required"
    assert not Report.objects.exists()


def test_report_create_rejects_long_reason(idea, resident):
    with pytest.raises(ValidationError) as excinfo:
        services.report_create(resident, idea, reason="x" * (services.REASON_MAX_LENGTH + 1))

    assert excinfo.value.code == "max_length"
    assert not Report.objects.exists()


def test_report_create_twice_rejected(idea, resident):
    services.report_create(resident, idea, reason="Roskapostia")

    with pytest.raises(ValidationError) as excinfo:
        services.report_create(resident, idea, reason="Vieläkin roskapostia")

    assert excinfo.value.code == "duplicate"
    assert Report.objects.count() == 1


def test_report_open_once_constraint(idea, resident):
    from django.db import IntegrityError, transaction

    services.report_create(resident, idea, reason="Roskapostia")

    with pytest.raises(IntegrityError), transaction.atomic():
        Report.objects.create(content=idea, reporter=resident, reason="Ohitettu tarkistus")


def test_report_create_again_after_resolution(idea, resident, moderator):
    services.report_create(resident, idea, reason="Roskapostia")
    services.reports_dismiss(moderator, idea)

    services.report_create(resident, idea, reason="Taas roskapostia")

    assert Report.objects.filter(resolved_at__isnull=True).count() == 1
    assert Report.objects.count() == 2


def test_report_create_two_users(idea, resident, make_user):
    services.report_create(resident, idea, reason="Roskapostia")
    services.report_create(make_user("kolmas@example.fi"), idea, reason="Asiaton")

    assert Report.objects.filter(resolved_at__isnull=True).count() == 2


@pytest.mark.parametrize("visibility", [Visibility.HIDDEN, Visibility.PENDING])
def test_report_create_rejects_non_public(make_idea, process, other_resident, resident, visibility):
    idea = make_idea(process, other_resident, visibility=visibility)

    with pytest.raises(ValidationError) as excinfo:
        services.report_create(resident, idea, reason="Roskapostia")

    assert excinfo.value.code == "not_visible"


def test_report_create_rate_limited(make_idea, process, other_resident, resident):
    ideas = [
        make_idea(process, other_resident, title=f"Idea {index}")
        for index in range(services.REPORT_LIMIT + 1)
    ]
    for idea in ideas[: services.REPORT_LIMIT]:
        services.report_create(resident, idea, reason="Roskapostia")

    with pytest.raises(ValidationError) as excinfo:
        services.report_create(resident, ideas[-1], reason="Roskapostia")

    assert excinfo.value.code == "rate_limited"
    assert Report.objects.count() == services.REPORT_LIMIT


# --- Hiding and restoring ---------------------------------------------------------------------


def test_content_hide_hides_with_reason(idea, moderator, resident):
    services.report_create(resident, idea, reason="Loukkaava")

    services.content_hide(moderator, idea, "Sisältää henkilötietoja.")

    idea = _refresh(idea)
    assert idea.visibility == Visibility.HIDDEN
    assert idea.hidden_reason == "Sisältää henkilötietoja."
    report = Report.objects.get()
    assert report.resolved_at is not None
    assert report.resolved_by == moderator


def test_content_hide_writes_log(idea, moderator):
    services.content_hide(moderator, idea, "Asiaton")

    entry = ModerationLogEntry.objects.get()
    assert entry.moderator == moderator
    assert entry.action == Action.HIDE
    assert entry.target == idea
    assert entry.reason == "Asiaton"


def test_content_hide_tells_author(idea, moderator, other_resident):
    services.content_hide(moderator, idea, "Asiaton")

    notification = Notification.objects.get()
    assert notification.user == other_resident
    assert "Asiaton" in notification.message
    assert notification.url.endswith(f"/ideas/{idea.pk}/")


@pytest.mark.parametrize("reason", ["", "   "])
def test_content_hide_requires_reason(idea, moderator, reason):
    with pytest.raises(ValidationError) as excinfo:
        services.content_hide(moderator, idea, reason)

    assert excinfo.value.code == "required"
    assert _refresh(idea).visibility == Visibility.VISIBLE
    assert not ModerationLogEntry.objects.exists()


def test_content_hide_resident_denied(idea, resident):
    with pytest.raises(PermissionDenied):
        services.content_hide(resident, idea, "Asiaton")

    assert _refresh(idea).visibility == Visibility.VISIBLE
    assert not ModerationLogEntry.objects.exists()


def test_content_hide_other_process_denied(make_idea, other_process, other_resident, moderator):
    idea = make_idea(other_process, other_resident)

    with pytest.raises(PermissionDenied):
        services.content_hide(moderator, idea, "Asiaton")

    assert _refresh(idea).visibility == Visibility.VISIBLE


def test_content_hide_city_moderator(make_idea, other_process, other_resident, city_moderator):
    idea = make_idea(other_process, other_resident)

    services.content_hide(city_moderator, idea, "Asiaton")

    assert _refresh(idea).visibility == Visibility.HIDDEN


def test_content_hide_superuser(idea, django_user_model):
    admin = django_user_model.objects.create_superuser(email="admin@example.fi", password="x")

    services.content_hide(admin, idea, "Asiaton")

    assert _refresh(idea).visibility == Visibility.HIDDEN


def test_content_hide_twice_rejected(idea, moderator):
    services.content_hide(moderator, idea, "Asiaton")

    with pytest.raises(ValidationError) as excinfo:
        services.content_hide(moderator, idea, "Uudestaan")

    assert excinfo.value.code == "hidden"
    assert _refresh(idea).hidden_reason == "Asiaton"
    assert ModerationLogEntry.objects.count() == 1


def test_content_hide_comment_in_debate(debate, make_comment, resident, moderator):
    comment = make_comment(resident, debate=debate)

    services.content_hide(moderator, comment, "Kiusaamista")

    comment = _refresh(comment)
    assert comment.visibility == Visibility.HIDDEN
    assert comment.hidden_reason == "Kiusaamista"
    assert ModerationLogEntry.objects.get().target == comment


def test_content_hide_pending_content(make_comment, idea, resident, moderator):
    comment = make_comment(resident, idea=idea, visibility=Visibility.PENDING)

    services.content_hide(moderator, comment, "Ei julkaista")

    assert _refresh(comment).visibility == Visibility.HIDDEN


def test_content_hide_rolls_back_without_log(idea, moderator, monkeypatch):
    def fail(*args, **kwargs):
        raise RuntimeError("log write failed")

    monkeypatch.setattr(services, "_log", fail)

    with pytest.raises(RuntimeError):
        services.content_hide(moderator, idea, "Asiaton")

    assert _refresh(idea).visibility == Visibility.VISIBLE
    assert not Notification.objects.exists()


def test_suburb_moderator_hides(make_idea, process, other_process, other_resident, make_user):
    from osallistu.areas.models import Suburb

    suburb = Suburb.objects.create(name="Neulamäki", slug="neulamaki")
    process.suburbs.add(suburb)
    user = make_user("lahio@example.fi")
    RoleAssignment.objects.create(user=user, role=RoleAssignment.Role.MODERATOR, suburb=suburb)
    own = make_idea(process, other_resident)
    elsewhere = make_idea(other_process, other_resident)

    services.content_hide(user, own, "Asiaton")

    assert _refresh(own).visibility == Visibility.HIDDEN
    with pytest.raises(PermissionDenied):
        services.content_hide(user, elsewhere, "Asiaton")


def test_content_restore_shows_again(idea, moderator):
    services.content_hide(moderator, idea, "Asiaton")

    services.content_restore(moderator, idea, "Piilotettu vahingossa")

    idea = _refresh(idea)
    assert idea.visibility == Visibility.VISIBLE
    assert idea.hidden_reason == ""
    entry = ModerationLogEntry.objects.first()
    assert entry.action == Action.RESTORE
    assert entry.reason == "Piilotettu vahingossa"


def test_content_restore_requires_reason(idea, moderator):
    services.content_hide(moderator, idea, "Asiaton")

    with pytest.raises(ValidationError):
        services.content_restore(moderator, idea, "")

    assert _refresh(idea).visibility == Visibility.HIDDEN


def test_content_restore_visible_rejected(idea, moderator):
    with pytest.raises(ValidationError) as excinfo:
        services.content_restore(moderator, idea, "Syy")

    assert excinfo.value.code == "not_hidden"
    assert not ModerationLogEntry.objects.exists()


def test_content_restore_resident_denied(idea, moderator, resident):
    services.content_hide(moderator, idea, "Asiaton")

    with pytest.raises(PermissionDenied):
        services.content_restore(resident, idea, "Syy")

    assert _refresh(idea).visibility == Visibility.HIDDEN


# --- Pre-moderation ---------------------------------------------------------------------------


def test_initial_visibility_follows_process(process):
    assert services.initial_visibility(process) == Visibility.VISIBLE

    process.premoderation = True

    assert services.initial_visibility(process) == Visibility.PENDING


def test_content_approve_publishes(make_idea, process, other_resident, moderator):
    idea = make_idea(process, other_resident, visibility=Visibility.PENDING)

    services.content_approve(moderator, idea)

    assert _refresh(idea).visibility == Visibility.VISIBLE
    entry = ModerationLogEntry.objects.get()
    assert entry.action == Action.APPROVE
    assert entry.target == idea
    assert Notification.objects.get().user == other_resident


def test_content_approve_visible_rejected(idea, moderator):
    with pytest.raises(ValidationError) as excinfo:
        services.content_approve(moderator, idea)

    assert excinfo.value.code == "not_pending"
    assert not ModerationLogEntry.objects.exists()


def test_content_approve_resident_denied(make_idea, process, other_resident, resident):
    idea = make_idea(process, other_resident, visibility=Visibility.PENDING)

    with pytest.raises(PermissionDenied):
        services.content_approve(resident, idea)

    assert _refresh(idea).visibility == Visibility.PENDING


# --- Dismissing reports -----------------------------------------------------------------------


def test_reports_dismiss_closes_all(idea, resident, make_user, moderator):
    services.report_create(resident, idea, reason="Roskapostia")
    services.report_create(make_user("kolmas@example.fi"), idea, reason="Asiaton")

    closed = services.reports_dismiss(moderator, idea, reason="Asiallinen kirjoitus")

    assert closed == 2
    assert not Report.objects.filter(resolved_at__isnull=True).exists()
    assert _refresh(idea).visibility == Visibility.VISIBLE
    entry = ModerationLogEntry.objects.get()
    assert entry.action == Action.DISMISS_REPORT
    assert entry.target == idea
    assert entry.reason == "Asiallinen kirjoitus"


def test_reports_dismiss_without_reports(idea, moderator):
    with pytest.raises(ValidationError) as excinfo:
        services.reports_dismiss(moderator, idea)

    assert excinfo.value.code == "no_reports"
    assert not ModerationLogEntry.objects.exists()


def test_reports_dismiss_resident_denied(idea, resident):
    services.report_create(resident, idea, reason="Roskapostia")

    with pytest.raises(PermissionDenied):
        services.reports_dismiss(resident, idea)

    assert Report.objects.filter(resolved_at__isnull=True).count() == 1


# --- Blocking accounts ------------------------------------------------------------------------


def test_account_block_stops_posting(city_moderator, resident, process):
    assert rules.can(resident, rules.Action.COMMENT, process)

    block = services.account_block(city_moderator, resident, "Toistuvaa häirintää")

    assert block.user == resident
    assert block.blocked_by == city_moderator
    assert rules.is_blocked(resident)
    assert not rules.can(resident, rules.Action.COMMENT, process)
    entry = ModerationLogEntry.objects.get()
    assert entry.action == Action.BLOCK
    assert entry.target == resident
    assert entry.reason == "Toistuvaa häirintää"


def test_account_block_tells_user(city_moderator, resident):
    services.account_block(city_moderator, resident, "Toistuvaa häirintää")

    notification = Notification.objects.get()
    assert notification.user == resident
    assert "Toistuvaa häirintää" in notification.message


def test_account_block_self_rejected(city_moderator):
    with pytest.raises(ValidationError) as excinfo:
        services.account_block(city_moderator, city_moderator, "Testi")

    assert excinfo.value.code == "self"
    assert not AccountBlock.objects.exists()


def test_account_block_requires_reason(city_moderator, resident):
    with pytest.raises(ValidationError) as excinfo:
        services.account_block(city_moderator, resident, " ")

    assert excinfo.value.code == "required"
    assert not AccountBlock.objects.exists()


def test_account_block_process_moderator_denied(moderator, resident):
    with pytest.raises(PermissionDenied):
        services.account_block(moderator, resident, "Häirintää")

    assert not AccountBlock.objects.exists()
    assert not ModerationLogEntry.objects.exists()


def test_account_block_resident_denied(resident, other_resident):
    with pytest.raises(PermissionDenied):
        services.account_block(resident, other_resident, "Häirintää")

    assert not AccountBlock.objects.exists()


def test_account_block_twice_rejected(city_moderator, resident):
    services.account_block(city_moderator, resident, "Häirintää")

    with pytest.raises(ValidationError) as excinfo:
        services.account_block(city_moderator, resident, "Uudestaan")

    assert excinfo.value.code == "blocked"
    assert ModerationLogEntry.objects.count() == 1


def test_account_unblock_allows_posting(city_moderator, resident, process):
    services.account_block(city_moderator, resident, "Häirintää")

    services.account_unblock(city_moderator, resident, "Lupasi lopettaa")

    assert not AccountBlock.objects.exists()
    assert not rules.is_blocked(resident)
    assert rules.can(resident, rules.Action.COMMENT, process)
    entry = ModerationLogEntry.objects.first()
    assert entry.action == Action.UNBLOCK
    assert entry.reason == "Lupasi lopettaa"


def test_account_unblock_not_blocked(city_moderator, resident):
    with pytest.raises(ValidationError) as excinfo:
        services.account_unblock(city_moderator, resident, "Syy")

    assert excinfo.value.code == "not_blocked"
    assert not ModerationLogEntry.objects.exists()


def test_account_unblock_process_moderator_denied(city_moderator, moderator, resident):
    services.account_block(city_moderator, resident, "Häirintää")

    with pytest.raises(PermissionDenied):
        services.account_unblock(moderator, resident, "Syy")

    assert AccountBlock.objects.filter(user=resident).exists()


# --- Posting rate -----------------------------------------------------------------------------


def test_check_posting_rate_limit(resident, other_resident):
    for _ in range(services.POSTING_LIMIT):
        services.check_posting_rate(resident)

    with pytest.raises(ValidationError) as excinfo:
        services.check_posting_rate(resident)

    assert excinfo.value.code == "rate_limited"
    assert str(services.POSTING_LIMIT) in excinfo.value.messages[0]
    # Another user's count is separate.
    services.check_posting_rate(other_resident)
