"""Counts by service and by month for a suburb, and the feedback section of the picture."""

import datetime

import pytest
from django.urls import reverse
from django.utils import timezone, translation

from osallistu.feedback import selectors
from osallistu.feedback.models import FeedbackRequest
from osallistu.feedback.picture import feedback_section
from osallistu.feedback.services import store_requests
from osallistu.feedback.sources import RequestRecord, ServiceRecord
from tests.areas.picture_support import choose

pytestmark = pytest.mark.django_db

TODAY = datetime.date(2025, 6, 15)
ITAKESKUS = (60.2126, 25.0771)
ARABIA = (60.1896, 24.9664)


def at(day: datetime.date) -> datetime.datetime:
    return timezone.make_aware(datetime.datetime.combine(day, datetime.time(12)))


def add_requests(source, rows):
    """Store requests from (id, service code, date, (lat, lon)) rows."""
    services = [ServiceRecord("171", "Katujen kunto"), ServiceRecord("246", "Roskaaminen")]
    records = [
        RequestRecord(
            service_request_id=request_id,
            service_code=code,
            service_name="",
            requested_at=at(day),
            lat=point[0],
            lon=point[1],
        )
        for request_id, code, day, point in rows
    ]
    store_requests(source, services, records)


@pytest.fixture
def requests_in_suburb(csv_source, test_suburb):
    add_requests(
        csv_source,
        [
            ("r1", "171", datetime.date(2025, 6, 1), ITAKESKUS),
            ("r2", "171", datetime.date(2025, 5, 10), ITAKESKUS),
            ("r3", "246", datetime.date(2025, 5, 11), ARABIA),
            ("r4", "246", datetime.date(2024, 1, 5), ITAKESKUS),
            ("r5", "999", datetime.date(2025, 6, 2), ITAKESKUS),
        ],
    )
    return test_suburb


def test_counts_by_service(requests_in_suburb):
    counts = selectors.counts_by_service(requests_in_suburb)

    assert [(item.name, item.count) for item in counts] == [
        ("Katujen kunto", 2),
        ("Roskaaminen", 2),
        ("", 1),
    ]


def test_counts_by_service_period(requests_in_suburb):
    counts = selectors.counts_by_service(
        requests_in_suburb, since=datetime.date(2025, 5, 11), until=datetime.date(2025, 6, 1)
    )

    assert {item.name: item.count for item in counts} == {"Katujen kunto": 1, "Roskaaminen": 1}


def test_shared_postal_area_counts_in_both(requests_in_suburb):
    from osallistu.areas.models import Suburb

    neighbour = Suburb.objects.get(slug="naapurila")

    assert [(i.name, i.count) for i in selectors.counts_by_service(neighbour)] == [
        ("Roskaaminen", 1)
    ]
    assert sum(i.count for i in selectors.counts_by_service(requests_in_suburb)) == 5


def test_monthly_trend(requests_in_suburb):
    trend = selectors.monthly_trend(requests_in_suburb, months=12, today=TODAY)

    assert len(trend) == 12
    assert trend[0].month == datetime.date(2024, 7, 1)
    assert trend[-1].month == datetime.date(2025, 6, 1)
    assert trend[-1].count == 2
    assert trend[-2].count == 2
    assert sum(item.count for item in trend) == 4


def test_trend_across_new_year(requests_in_suburb):
    trend = selectors.monthly_trend(requests_in_suburb, months=18, today=TODAY)

    assert trend[0].month == datetime.date(2024, 1, 1)
    assert trend[0].count == 1


def test_section_matches_selectors(requests_in_suburb):
    with translation.override("en"):
        section = feedback_section(requests_in_suburb, today=TODAY)

    assert section.total == 4
    assert [(row.label, row.count) for row in section.rows] == [
        ("Katujen kunto", 2),
        ("(no service name)", 1),
        ("Roskaaminen", 1),
    ]
    assert section.trend is not None
    assert section.trend.rows[-1] == ("6/2025", "2")
    assert not section.has_examples


def test_section_empty_without_chart(test_suburb):
    section = feedback_section(test_suburb, today=TODAY)

    assert section.total == 0
    assert section.trend is None


def test_unplaced_not_counted(csv_source, test_suburb):
    add_requests(csv_source, [("x1", "171", TODAY, (10.0, 10.0))])

    assert FeedbackRequest.objects.get().outside_city
    assert selectors.counts_by_service(test_suburb) == []


def test_picture_page_shows_counts(client, csv_source, test_suburb):
    choose(test_suburb)
    add_requests(csv_source, [("p1", "171", timezone.localdate(), ITAKESKUS)])
    with translation.override("en"):
        url = reverse("areas:suburb_picture", args=[test_suburb.slug])
        html = client.get(url).content.decode()

    assert 'id="feedback"' in html
    assert "Katujen kunto" in html
    assert "Feedback from Testilähiö by month" in html
    assert "has not been confirmed yet" in html


def test_flagged_list_query_count(
    staff_client, csv_source, test_suburb, django_assert_max_num_queries
):
    url = reverse("feedback:staff_flagged")
    add_requests(csv_source, [("f1", "171", TODAY, (22.266944, 60.451667))])
    with django_assert_max_num_queries(8) as one_row:
        staff_client.get(url)
    add_requests(
        csv_source,
        [(f"g{n}", "246", TODAY, (10.0, 10.0)) for n in range(30)],
    )
    with django_assert_max_num_queries(len(one_row.captured_queries)):
        response = staff_client.get(url)

    assert response.status_code == 200
    assert len(response.context["page"].object_list) == 31
