"""Moderation pages: reporting, the queue, hiding, the audit log and its CSV, and blocks."""

import csv
import datetime
import io

import pytest
from django.contrib.auth.models import AnonymousUser
from django.db import connection
from django.template.loader import render_to_string
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from osallistu.moderation import services
from osallistu.moderation.context_processors import moderation as moderation_context
from osallistu.moderation.models import AccountBlock, ModerationLogEntry, Report
from osallistu.participation.models import Visibility

pytestmark = pytest.mark.django_db

QUEUE_URL = reverse("moderation:queue")
LOG_URL = reverse("moderation:log")
LOG_CSV_URL = reverse("moderation:log_csv")


def _url(name: str, content) -> str:
    return reverse(f"moderation:{name}", args=[content._meta.model_name, content.pk])


def _form_errors(response) -> dict:
    return response.context["form"].errors


# --- Reporting --------------------------------------------------------------------------------


def test_report_form_needs_sign_in(client, idea):
    response = client.post(_url("report", idea), {"reason": "Roskapostia"})

    assert response.status_code == 302
    assert reverse("account_login") in response["Location"]
    assert not Report.objects.exists()


def test_report_post_creates_report(client, resident, idea):
    client.force_login(resident)
    back = reverse("participation:idea_detail", args=[idea.process.slug, idea.pk])

    response = client.post(_url("report", idea), {"reason": "Roskapostia", "next": back})

    assert response.status_code == 302
    assert response["Location"] == back
    report = Report.objects.get()
    assert report.reporter == resident
    assert report.reason == "Roskapostia"


def test_report_rejects_foreign_next(client, resident, idea):
    client.force_login(resident)

    response = client.post(
        _url("report", idea), {"reason": "Roskapostia", "next": "https://example.com/"}
    )

    assert response.status_code == 302
    assert response["Location"].endswith(f"/ideas/{idea.pk}/")


def test_report_empty_reason_shows_error(client, resident, idea):
    client.force_login(resident)

    response = client.post(_url("report", idea), {"reason": "  "})

    assert response.status_code == 200
    assert "reason" in _form_errors(response)
    assert 'class="errorlist"' in response.content.decode()
    assert not Report.objects.exists()


def test_report_long_reason_kept(client, resident, idea):
    client.force_login(resident)
    typed = "Pitkä perustelu " * 200

    response = client.post(_url("report", idea), {"reason": typed})

    assert response.status_code == 200
    assert "reason" in _form_errors(response)
    assert typed.strip() in response.content.decode()
    assert not Report.objects.exists()


def test_report_duplicate_shows_error(client, resident, idea):
    client.force_login(resident)
    client.post(_url("report", idea), {"reason": "Roskapostia"})

    response = client.post(_url("report", idea), {"reason": "Toinen kerta"})

    assert response.status_code == 200
    assert _form_errors(response)["__all__"]
    assert "Toinen kerta" in response.content.decode()
    assert Report.objects.count() == 1


def test_report_escapes_html_reason(client, resident, idea):
    client.force_login(resident)
    typed = "<script>alert(1)</script>" + "x" * 2000

    response = client.post(_url("report", idea), {"reason": typed})

    assert "<script>alert(1)</script>" not in response.content.decode()
    assert "&lt;script&gt;alert(1)&lt;/script&gt;" in response.content.decode()


@pytest.mark.parametrize("visibility", [Visibility.HIDDEN, Visibility.PENDING])
def test_report_non_public_404(client, resident, make_idea, process, other_resident, visibility):
    idea = make_idea(process, other_resident, visibility=visibility)
    client.force_login(resident)

    response = client.get(_url("report", idea))

    assert response.status_code == 404


def test_report_unknown_kind_404(client, resident, idea):
    client.force_login(resident)

    response = client.get(reverse("moderation:report", args=["user", resident.pk]))

    assert response.status_code == 404


def test_report_form_include(rf, resident, idea):
    request = rf.get("/ideas/")
    request.user = resident

    html = render_to_string(
        "moderation/includes/report_form.html", {"content": idea, "user": resident}, request
    )

    assert f'action="{_url("report", idea)}"' in html
    assert f'id="report-reason-idea-{idea.pk}"' in html
    assert 'name="next" value="/ideas/"' in html


def test_report_form_include_anonymous(rf, idea):
    request = rf.get("/ideas/")
    request.user = AnonymousUser()

    html = render_to_string(
        "moderation/includes/report_form.html", {"content": idea, "user": request.user}, request
    )

    assert "<form" not in html


def test_hidden_notice_include(idea, moderator):
    services.content_hide(moderator, idea, "Sisältää <b>henkilötietoja</b>")

    html = render_to_string("moderation/includes/hidden_notice.html", {"content": idea})

    assert "Sisältää &lt;b&gt;henkilötietoja&lt;/b&gt;" in html


# --- The queue --------------------------------------------------------------------------------


def test_queue_needs_moderator(client, resident):
    client.force_login(resident)

    assert client.get(QUEUE_URL).status_code == 403


def test_queue_empty_for_city_moderator(client, city_moderator):
    client.force_login(city_moderator)

    response = client.get(QUEUE_URL)

    assert response.status_code == 200
    assert list(response.context["page"]) == []


@pytest.mark.parametrize(
    ("user_fixture", "expected"),
    [("resident", False), ("moderator", True), ("city_moderator", True)],
)
def test_moderator_context(rf, request, user_fixture, expected):
    http_request = rf.get("/")
    http_request.user = request.getfixturevalue(user_fixture)

    assert moderation_context(http_request)["is_moderator"]() is expected


def test_moderator_context_anonymous(rf):
    request = rf.get("/")
    request.user = AnonymousUser()

    assert moderation_context(request)["is_moderator"] is False


def test_queue_anonymous_redirects(client, db):
    response = client.get(QUEUE_URL)

    assert response.status_code == 302
    assert reverse("account_login") in response["Location"]


def test_queue_lists_oldest_first(
    client, moderator, resident, process, other_process, make_idea, make_comment, other_resident
):
    now = timezone.now()
    reported = make_idea(process, other_resident, title="Ilmoitettu idea")
    pending = make_idea(
        process, other_resident, title="Odottava idea", visibility=Visibility.PENDING
    )
    comment = make_comment(other_resident, idea=reported, body="Ilmoitettu kommentti")
    hidden = make_idea(process, other_resident, title="Piilotettu idea")
    hidden.visibility = Visibility.HIDDEN
    hidden.save()
    elsewhere = make_idea(other_process, other_resident, title="Toisen prosessin idea")
    make_idea(process, other_resident, title="Rauhallinen idea")
    for content in (comment, reported, elsewhere):
        services.report_create(resident, content, reason="Asiaton")
    # Oldest first: the comment's report, then the pending idea, then the idea's report.
    Report.objects.filter(object_id=comment.pk, content_type__model="comment").update(
        created_at=now - datetime.timedelta(hours=3)
    )
    pending.created_at = now - datetime.timedelta(hours=2)
    pending.save()
    Report.objects.filter(object_id=reported.pk, content_type__model="idea").update(
        created_at=now - datetime.timedelta(hours=1)
    )
    client.force_login(moderator)

    response = client.get(QUEUE_URL)

    items = list(response.context["page"])
    assert [(item.kind, item.content.pk) for item in items] == [
        ("comment", comment.pk),
        ("idea", pending.pk),
        ("idea", reported.pk),
    ]
    content = response.content.decode()
    assert "Piilotettu idea" not in content
    assert "Toisen prosessin idea" not in content
    assert "Rauhallinen idea" not in content
    assert _url("approve", pending) in content
    assert _url("dismiss", reported) in content
    assert _url("approve", reported) not in content


def test_queue_shows_block_link_to_city_moderator(
    client, city_moderator, moderator, idea, resident
):
    services.report_create(resident, idea, reason="Asiaton")
    block_url = reverse("moderation:block", args=[idea.author_id])

    client.force_login(city_moderator)
    assert block_url in client.get(QUEUE_URL).content.decode()

    client.force_login(moderator)
    assert block_url not in client.get(QUEUE_URL).content.decode()


def test_queue_same_queries_few_and_many(
    client,
    moderator,
    make_user,
    process,
    make_idea,
    make_comment,
    other_resident,
    django_assert_num_queries,
):
    reporter = make_user("ilmoittaja@example.fi")

    def add(count: int, offset: int):
        for index in range(offset, offset + count):
            idea = make_idea(process, other_resident, title=f"Idea {index}")
            make_idea(
                process, other_resident, title=f"Odottava {index}", visibility=Visibility.PENDING
            )
            comment = make_comment(other_resident, idea=idea, body=f"Kommentti {index}")
            Report.objects.create(content=idea, reporter=reporter, reason="Asiaton")
            Report.objects.create(content=comment, reporter=reporter, reason="Asiaton")

    client.force_login(moderator)
    add(2, 0)
    client.get(QUEUE_URL)  # Warm the content type cache, which tests share.
    with CaptureQueriesContext(connection) as few:
        response = client.get(QUEUE_URL)
    assert len(response.context["page"].object_list) == 6
    add(6, 2)

    with django_assert_num_queries(len(few)):
        response = client.get(QUEUE_URL)

    assert len(response.context["page"].object_list) == 24


# --- Hiding, restoring, approving, dismissing -------------------------------------------------


def test_hide_form_requires_reason(client, moderator, idea):
    client.force_login(moderator)

    response = client.post(_url("hide", idea), {"reason": ""})

    assert response.status_code == 200
    assert "reason" in _form_errors(response)
    idea.refresh_from_db()
    assert idea.visibility == Visibility.VISIBLE
    assert not ModerationLogEntry.objects.exists()


def test_hide_form_keeps_long_reason(client, moderator, idea):
    client.force_login(moderator)
    typed = "Pitkä syy " * 250

    response = client.post(_url("hide", idea), {"reason": typed})

    assert response.status_code == 200
    assert typed.strip() in response.content.decode()
    idea.refresh_from_db()
    assert idea.visibility == Visibility.VISIBLE


def test_hide_form_hides(client, moderator, idea):
    client.force_login(moderator)

    response = client.post(_url("hide", idea), {"reason": "Henkilötietoja", "next": QUEUE_URL})

    assert response.status_code == 302
    assert response["Location"] == QUEUE_URL
    idea.refresh_from_db()
    assert idea.visibility == Visibility.HIDDEN
    assert idea.hidden_reason == "Henkilötietoja"


def test_hide_form_already_hidden(client, moderator, idea):
    services.content_hide(moderator, idea, "Ensimmäinen")
    client.force_login(moderator)

    response = client.post(_url("hide", idea), {"reason": "Toinen"})

    assert response.status_code == 200
    assert _form_errors(response)["__all__"]
    assert "Toinen" in response.content.decode()


def test_hide_resident_forbidden(client, resident, idea):
    client.force_login(resident)

    assert client.get(_url("hide", idea)).status_code == 403
    assert client.post(_url("hide", idea), {"reason": "Asiaton"}).status_code == 403
    idea.refresh_from_db()
    assert idea.visibility == Visibility.VISIBLE


def test_hide_unknown_content_404(client, moderator, process):
    client.force_login(moderator)

    response = client.get(reverse("moderation:hide", args=["idea", 999999]))

    assert response.status_code == 404


def test_restore_form_restores(client, moderator, idea):
    services.content_hide(moderator, idea, "Asiaton")
    client.force_login(moderator)

    response = client.post(_url("restore", idea), {"reason": "Virhe"})

    assert response.status_code == 302
    idea.refresh_from_db()
    assert idea.visibility == Visibility.VISIBLE


def test_approve_publishes(client, moderator, make_idea, process, other_resident):
    idea = make_idea(process, other_resident, visibility=Visibility.PENDING)
    client.force_login(moderator)

    response = client.post(_url("approve", idea), {"next": QUEUE_URL})

    assert response.status_code == 302
    idea.refresh_from_db()
    assert idea.visibility == Visibility.VISIBLE


def test_approve_visible_shows_message(client, moderator, idea):
    client.force_login(moderator)

    response = client.post(_url("approve", idea), follow=True)

    assert [message.level_tag for message in response.context["messages"]] == ["error"]
    assert not ModerationLogEntry.objects.exists()


def test_approve_get_not_allowed(client, moderator, idea):
    client.force_login(moderator)

    assert client.get(_url("approve", idea)).status_code == 405


def test_dismiss_closes_reports(client, moderator, resident, idea):
    services.report_create(resident, idea, reason="Asiaton")
    client.force_login(moderator)

    response = client.post(_url("dismiss", idea))

    assert response.status_code == 302
    assert not Report.objects.filter(resolved_at__isnull=True).exists()


def test_dismiss_resident_forbidden(client, resident, idea):
    services.report_create(resident, idea, reason="Asiaton")
    client.force_login(resident)

    assert client.post(_url("dismiss", idea)).status_code == 403
    assert Report.objects.filter(resolved_at__isnull=True).exists()


# --- The audit log ----------------------------------------------------------------------------


@pytest.fixture
def log_entries(city_moderator, moderator, idea, make_idea, process, other_resident, resident):
    """Write three log entries: two hides by `moderator` and a block by `city_moderator`."""
    second = make_idea(process, other_resident, title="Toinen idea")
    services.content_hide(moderator, idea, "Ensimmäinen piilotus")
    services.content_hide(moderator, second, '=HYPERLINK("http://example.com")')
    services.account_block(city_moderator, resident, "Häirintää")
    return ModerationLogEntry.objects.all()


def test_log_needs_city_moderator(client, moderator, resident):
    for user in (moderator, resident):
        client.force_login(user)

        assert client.get(LOG_URL).status_code == 403
        assert client.get(LOG_CSV_URL).status_code == 403


def test_log_lists_entries(client, city_moderator, log_entries, idea):
    client.force_login(city_moderator)

    response = client.get(LOG_URL)

    assert response.status_code == 200
    assert len(response.context["page"].object_list) == 3
    content = response.content.decode()
    assert "Ensimmäinen piilotus" in content
    assert _url("restore", idea) in content


def test_log_filters_by_moderator(client, city_moderator, moderator, log_entries):
    client.force_login(city_moderator)

    response = client.get(LOG_URL, {"moderator": moderator.pk})

    entries = list(response.context["page"])
    assert len(entries) == 2
    assert {entry.moderator for entry in entries} == {moderator}


def test_log_filters_by_action(client, city_moderator, log_entries):
    client.force_login(city_moderator)

    response = client.get(LOG_URL, {"action": ModerationLogEntry.Action.BLOCK})

    entries = list(response.context["page"])
    assert [entry.action for entry in entries] == [ModerationLogEntry.Action.BLOCK]


def test_log_filters_by_date(client, city_moderator, log_entries):
    old = log_entries.get(action=ModerationLogEntry.Action.BLOCK)
    old.created_at = timezone.now() - datetime.timedelta(days=10)
    old.save()
    today = timezone.localdate()
    client.force_login(city_moderator)

    recent = client.get(LOG_URL, {"date_from": (today - datetime.timedelta(days=1)).isoformat()})
    earlier = client.get(LOG_URL, {"date_to": (today - datetime.timedelta(days=5)).isoformat()})

    assert len(recent.context["page"].object_list) == 2
    assert [entry.pk for entry in earlier.context["page"]] == [old.pk]


def test_log_rejects_reversed_dates(client, city_moderator, log_entries):
    client.force_login(city_moderator)

    response = client.get(LOG_URL, {"date_from": "2026-05-10", "date_to": "2026-05-01"})

    assert response.status_code == 200
    assert "date_to" in _form_errors(response)
    assert 'value="2026-05-10"' in response.content.decode()


def test_log_rejects_invalid_date(client, city_moderator, log_entries):
    client.force_login(city_moderator)

    response = client.get(LOG_URL, {"date_from": "31.13.2026"})

    assert "date_from" in _form_errors(response)
    assert 'value="31.13.2026"' in response.content.decode()
    assert len(response.context["page"].object_list) == 3


def test_log_same_queries_few_and_many(
    client, city_moderator, make_idea, process, other_resident, django_assert_num_queries
):
    def add(count: int):
        for _ in range(count):
            services.content_hide(city_moderator, make_idea(process, other_resident), "Asiaton")

    client.force_login(city_moderator)
    add(2)
    client.get(LOG_URL)
    with CaptureQueriesContext(connection) as few:
        client.get(LOG_URL)
    add(10)

    with django_assert_num_queries(len(few)):
        response = client.get(LOG_URL)

    assert len(response.context["page"].object_list) == 12


def _csv_rows(response) -> list[list[str]]:
    text = b"".join(response.streaming_content).decode()
    return list(csv.reader(io.StringIO(text)))


def test_log_csv_exports_filtered(client, city_moderator, moderator, log_entries):
    client.force_login(city_moderator)

    response = client.get(LOG_CSV_URL, {"moderator": moderator.pk})

    assert response["Content-Type"] == "text/csv; charset=utf-8"
    assert "attachment" in response["Content-Disposition"]
    rows = _csv_rows(response)
    assert len(rows) == 3
    assert len(rows[0]) == 6
    assert {row[1] for row in rows[1:]} == {moderator.email}
    assert {row[3] for row in rows[1:]} == {"idea"}


def test_log_csv_neutralises_formulas(client, city_moderator, log_entries):
    client.force_login(city_moderator)

    rows = _csv_rows(client.get(LOG_CSV_URL))

    reasons = [row[5] for row in rows[1:]]
    assert '\'=HYPERLINK("http://example.com")' in reasons
    assert not any(reason.startswith("=") for reason in reasons)


def test_log_page_links_csv_with_filters(client, city_moderator, moderator, log_entries):
    client.force_login(city_moderator)

    response = client.get(LOG_URL, {"moderator": moderator.pk, "action": "hide"})

    assert f"{LOG_CSV_URL}?moderator={moderator.pk}&amp;action=hide" in response.content.decode()


# --- Blocks -----------------------------------------------------------------------------------


def test_block_form_blocks(client, city_moderator, resident):
    client.force_login(city_moderator)

    response = client.post(reverse("moderation:block", args=[resident.pk]), {"reason": "Häirintää"})

    assert response.status_code == 302
    assert response["Location"] == reverse("moderation:block_list")
    assert AccountBlock.objects.get().user == resident


def test_block_form_requires_reason(client, city_moderator, resident):
    client.force_login(city_moderator)

    response = client.post(reverse("moderation:block", args=[resident.pk]), {"reason": ""})

    assert response.status_code == 200
    assert "reason" in _form_errors(response)
    assert not AccountBlock.objects.exists()


def test_block_form_self_error(client, city_moderator):
    client.force_login(city_moderator)

    response = client.post(
        reverse("moderation:block", args=[city_moderator.pk]), {"reason": "Kokeilu"}
    )

    assert response.status_code == 200
    assert _form_errors(response)["__all__"]
    assert "Kokeilu" in response.content.decode()
    assert not AccountBlock.objects.exists()


def test_block_form_process_moderator_forbidden(client, moderator, resident):
    client.force_login(moderator)

    response = client.post(reverse("moderation:block", args=[resident.pk]), {"reason": "Syy"})

    assert response.status_code == 403
    assert not AccountBlock.objects.exists()


def test_block_list_and_unblock(client, city_moderator, resident):
    services.account_block(city_moderator, resident, "Häirintää")
    client.force_login(city_moderator)

    listing = client.get(reverse("moderation:block_list")).content.decode()
    response = client.post(
        reverse("moderation:unblock", args=[resident.pk]), {"reason": "Lupasi lopettaa"}
    )

    assert resident.email in listing
    assert reverse("moderation:unblock", args=[resident.pk]) in listing
    assert response.status_code == 302
    assert not AccountBlock.objects.exists()


def test_unblock_form_requires_reason(client, city_moderator, resident):
    services.account_block(city_moderator, resident, "Häirintää")
    client.force_login(city_moderator)

    response = client.post(reverse("moderation:unblock", args=[resident.pk]), {"reason": ""})

    assert response.status_code == 200
    assert "reason" in _form_errors(response)
    assert AccountBlock.objects.exists()


def test_block_unknown_user_404(client, city_moderator):
    client.force_login(city_moderator)

    assert client.get(reverse("moderation:block", args=[999999])).status_code == 404
