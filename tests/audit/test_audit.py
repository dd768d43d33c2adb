import csv
import datetime
import io

import pytest
from django.urls import reverse
from django.utils import timezone, translation

from osallistu.accounts.models import RoleAssignment
from osallistu.audit.models import AuditEvent
from osallistu.audit.services import record
from osallistu.participation.models import Process


@pytest.fixture
def administrator(django_user_model):
    user = django_user_model.objects.create_user(email="yllapito@example.fi", password="x")
    RoleAssignment.objects.create(user=user, role=RoleAssignment.Role.ADMINISTRATOR)
    return user


@pytest.fixture
def coordinator(django_user_model):
    user = django_user_model.objects.create_user(email="koordinaattori@example.fi", password="x")
    RoleAssignment.objects.create(user=user, role=RoleAssignment.Role.COORDINATOR)
    return user


@pytest.fixture
def process(db):
    return Process.objects.create(
        title="Osallistuva budjetointi", slug="ob", kind="area_development"
    )


def test_record_stores_event(administrator, process):
    event = record(
        administrator, "test.process_renamed", process, summary="Renamed", process=process
    )

    assert event.actor == administrator
    assert event.actor_label == f"#{administrator.pk}"
    assert event.target_type == "participation.process"
    assert event.target_id == str(process.pk)
    assert event.target_label == "Osallistuva budjetointi"


def test_record_user_target_hides_email(administrator, django_user_model):
    resident = django_user_model.objects.create_user(email="asukas@example.fi")

    event = record(administrator, "test.account_blocked", resident)

    assert "asukas@example.fi" not in event.target_label
    assert event.target_label == f"#{resident.pk}"


def test_record_without_actor(db):
    event = record(None, "privacy.purge_expired", summary="Purged 3 records")

    assert event.actor is None
    assert event.actor_label == ""


def test_staff_post_recorded(client, coordinator, process):
    client.force_login(coordinator)

    client.post(reverse("set_language"), {"language": "en", "next": "/"})
    response = client.post(
        reverse("evaluation:criteria", kwargs={"slug": process.slug}),
        {"title": "Kaupungin maalla", "description": ""},
    )

    assert response.status_code < 400
    events = list(AuditEvent.objects.all())
    assert len(events) >= 1
    assert all(event.action != "web.set_language" for event in events)
    assert all("Kaupungin maalla" not in str(event.details) for event in events)


def test_generic_event_holds_no_form_data(client, coordinator, process, settings):
    client.force_login(coordinator)
    AuditEvent.objects.all().delete()

    client.post(
        reverse("evaluation:criteria", kwargs={"slug": process.slug}),
        {"title": "Salainen-arvo-123", "description": "x"},
    )

    for event in AuditEvent.objects.all():
        assert "Salainen-arvo-123" not in event.summary
        assert "Salainen-arvo-123" not in str(event.details)


def test_resident_post_not_recorded(client, resident, process):
    client.force_login(resident)

    client.post(reverse("evaluation:criteria", kwargs={"slug": process.slug}), {"title": "x"})

    assert AuditEvent.objects.count() == 0


def test_rejected_staff_post_not_recorded(client, django_user_model, process):
    moderator = django_user_model.objects.create_user(email="moderaattori@example.fi")
    RoleAssignment.objects.create(user=moderator, role=RoleAssignment.Role.MODERATOR)
    client.force_login(moderator)

    response = client.post(
        reverse("evaluation:criteria", kwargs={"slug": process.slug}), {"title": "x"}
    )

    assert response.status_code == 403
    assert AuditEvent.objects.count() == 0


def test_admin_change_recorded(client, django_user_model, process):
    superuser = django_user_model.objects.create_superuser(email="root@example.fi", password="x")
    client.force_login(superuser)

    url = reverse("admin:participation_process_delete", args=[process.pk])
    response = client.post(url, {"post": "yes"})

    assert response.status_code == 302
    event = AuditEvent.objects.get()
    assert event.action == "web.admin:participation_process_delete"
    assert event.details["arguments"] == {"object_id": str(process.pk)}


def _make_events(actor, process, count):
    for number in range(count):
        record(
            actor, "evaluation.verdict_given", process, summary=f"Verdict {number}", process=process
        )


def test_log_page_needs_permission(client, coordinator):
    client.force_login(coordinator)

    assert client.get(reverse("audit:event_list")).status_code == 403
    assert client.get(reverse("audit:event_csv")).status_code == 403


def test_log_page_anonymous_redirected(client, db):
    response = client.get(reverse("audit:event_list"))

    assert response.status_code == 302


def test_log_page_search(client, administrator, process):
    record(administrator, "evaluation.verdict_given", process, summary="Verdict on the playground")
    record(administrator, "budgeting.results_published", process, summary="Results published")
    client.force_login(administrator)

    response = client.get(reverse("audit:event_list"), {"text": "playground"})

    assert response.status_code == 200
    events = list(response.context["page"])
    assert [event.summary for event in events] == ["Verdict on the playground"]


def test_log_page_action_filter(client, administrator, process):
    record(administrator, "evaluation.verdict_given", process)
    record(administrator, "budgeting.results_published", process)
    client.force_login(administrator)

    response = client.get(reverse("audit:event_list"), {"action": "budgeting."})

    events = list(response.context["page"])
    assert [event.action for event in events] == ["budgeting.results_published"]


def test_log_page_date_filter(client, administrator, process):
    old = record(administrator, "evaluation.verdict_given", process, summary="old")
    AuditEvent.objects.filter(pk=old.pk).update(
        occurred_at=timezone.now() - datetime.timedelta(days=10)
    )
    record(administrator, "evaluation.verdict_given", process, summary="new")
    client.force_login(administrator)
    since = (timezone.localdate() - datetime.timedelta(days=1)).isoformat()

    response = client.get(reverse("audit:event_list"), {"date_from": since})

    assert [event.summary for event in response.context["page"]] == ["new"]


def test_log_page_swapped_dates(client, administrator):
    client.force_login(administrator)

    with translation.override("en"):
        response = client.get("/en/audit/", {"date_from": "2026-12-05", "date_to": "2026-12-01"})

    assert response.status_code == 200
    assert "The last day is before the first day" in response.content.decode()


def test_log_csv_export(client, administrator, process):
    record(administrator, "evaluation.verdict_given", process, summary="=cmd()", process=process)
    client.force_login(administrator)

    response = client.get(reverse("audit:event_csv"))

    assert response.status_code == 200
    assert response["Content-Type"].startswith("text/csv")
    rows = list(csv.reader(io.StringIO(b"".join(response.streaming_content).decode())))
    assert len(rows) == 2
    assert rows[1][2] == "evaluation.verdict_given"
    assert rows[1][8] == "'=cmd()"


def test_log_page_query_count_flat(client, administrator, process, django_assert_max_num_queries):
    client.force_login(administrator)
    _make_events(administrator, process, 1)
    with django_assert_max_num_queries(12) as few:
        client.get(reverse("audit:event_list"))
    _make_events(administrator, process, 40)
    with django_assert_max_num_queries(len(few.captured_queries)):
        client.get(reverse("audit:event_list"))


def test_staff_home_lists_audit_log(client, administrator, coordinator):
    client.force_login(administrator)
    assert reverse("audit:event_list") in client.get(reverse("staff_home")).content.decode()

    client.force_login(coordinator)
    assert reverse("audit:event_list") not in client.get(reverse("staff_home")).content.decode()


def test_service_event_replaces_generic(rf, administrator, process):
    from django.http import HttpResponse

    from osallistu.audit.middleware import StaffActionAuditMiddleware

    def view(request):
        record(request.user, "evaluation.criterion_added", process, summary="Criterion added")
        return HttpResponse("ok")

    request = rf.post(reverse("evaluation:criteria", kwargs={"slug": process.slug}))
    request.user = administrator

    StaffActionAuditMiddleware(view)(request)

    assert list(AuditEvent.objects.values_list("action", flat=True)) == [
        "evaluation.criterion_added"
    ]


def test_action_filter_names_apps(client, administrator, process):
    record(administrator, "evaluation.verdict_given", process)
    record(administrator, "web.admin:participation_process_change", process)
    client.force_login(administrator)

    with translation.override("en"):
        response = client.get("/en/audit/")

    choices = dict(response.context["form"].fields["action"].choices)
    assert choices["evaluation."] == "Expert evaluation"
    assert choices["web."] == "other changes made on the pages"
