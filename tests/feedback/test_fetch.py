"""Fetching a source end to end: storing, placement flags, re-fetching, failures and audit."""

import datetime

import pytest
from django.core.exceptions import PermissionDenied
from django.core.management import CommandError, call_command
from django.utils import translation

from osallistu.audit.models import AuditEvent
from osallistu.feedback.models import FeedbackFetch, FeedbackRequest, FeedbackSourceConfig
from osallistu.feedback.services import feedback_fetch

pytestmark = pytest.mark.django_db

SINCE = datetime.date(2013, 4, 1)
UNTIL = datetime.date(2013, 5, 31)


def fetch(source, user=None):
    return feedback_fetch(user=user, source=source, since=SINCE, until=UNTIL)


def test_fetch_stores_requests(open311_source, test_suburb, coordinator):
    result = fetch(open311_source, coordinator)

    assert result.status == FeedbackFetch.Status.DONE
    assert result.created_count == 2
    stored = {r.service_request_id: r for r in FeedbackRequest.objects.all()}
    assert stored["8fmht6g1470b3qk8pthg"].postal_area.code == "00940"
    assert stored["8fmht6g1470b3qk8pthg"].service.name == "Potholes"
    assert stored["1ju4p6v3e04pcpobfv7u"].postal_area.code == "00560"


def test_unlisted_service_kept_without_name(open311_source, test_suburb):
    fetch(open311_source)

    request = FeedbackRequest.objects.get(service_request_id="1ju4p6v3e04pcpobfv7u")
    assert request.service.code == "178"
    assert request.service.name == ""


def test_fetch_twice_updates(open311_source, test_suburb):
    fetch(open311_source)
    second = fetch(open311_source)

    assert second.created_count == 0
    assert second.updated_count == 2
    assert FeedbackRequest.objects.count() == 2


def test_swapped_sample_flagged(open311_server, test_suburb):
    source = FeedbackSourceConfig.objects.create(
        name="Tehtävät", slug="tasks", endpoint_url=open311_server.url("/tasks")
    )

    fetch(source)

    request = FeedbackRequest.objects.get()
    assert request.swapped_coordinates
    assert not request.outside_city
    assert request.postal_area.code == "20100"
    assert request.lat == pytest.approx(60.451667)


def test_error_stores_nothing(open311_server, test_suburb):
    source = FeedbackSourceConfig.objects.create(
        name="Virhe", slug="virhe", endpoint_url=open311_server.url("/error")
    )

    with translation.override("en"):
        result = fetch(source)

    assert result.status == FeedbackFetch.Status.FAILED
    assert "Invalid api_key received" in result.error
    assert FeedbackRequest.objects.count() == 0


def test_not_allowed_host_refused(open311_source, settings):
    settings.OSALLISTU_FETCH_ALLOWED_HOSTS = []

    with translation.override("en"):
        result = fetch(open311_source)

    assert result.status == FeedbackFetch.Status.FAILED
    assert "not on the list of allowed data sources" in result.error


def test_fetch_audited(open311_source, test_suburb, coordinator):
    fetch(open311_source, coordinator)

    event = AuditEvent.objects.get(action="feedback.fetch_requests")
    assert event.actor == coordinator
    assert event.details["created"] == 2


def test_resident_may_not_fetch(open311_source, resident):
    with pytest.raises(PermissionDenied):
        fetch(open311_source, resident)

    assert FeedbackFetch.objects.count() == 0


def test_window_split_over_http(open311_source, test_suburb, open311_server):
    # The sample returns 2 requests to every call, so a maximum of 2 splits down to single days.
    open311_source.max_count = 2
    open311_source.save()

    result = feedback_fetch(
        user=None, source=open311_source, since=SINCE, until=SINCE + datetime.timedelta(days=3)
    )

    assert result.call_count == len(open311_server.calls)
    assert len(result.truncated_windows) == 4
    assert FeedbackRequest.objects.count() == 2


def test_command_fetches(open311_source, test_suburb, capsys):
    call_command("fetch_feedback", "helsinki", "--since", "2013-04-01", "--until", "2013-05-31")

    assert "2 new" in capsys.readouterr().out
    assert FeedbackRequest.objects.count() == 2


def test_command_failure_exits(open311_server, db):
    FeedbackSourceConfig.objects.create(
        name="Virhe", slug="virhe", endpoint_url=open311_server.url("/error")
    )

    with pytest.raises(CommandError):
        call_command("fetch_feedback", "virhe", "--since", "2013-04-01", "--until", "2013-05-31")


def test_source_deleted_with_requests(open311_source, test_suburb):
    fetch(open311_source)

    open311_source.delete()

    assert FeedbackRequest.objects.count() == 0
