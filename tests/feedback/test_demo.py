"""Example feedback of the demo: generated requests in the suburb, marked as examples."""

import datetime

import pytest

from osallistu.feedback.demo import example_feedback_load
from osallistu.feedback.models import FeedbackRequest
from osallistu.feedback.picture import feedback_section

pytestmark = pytest.mark.django_db

TODAY = datetime.date(2025, 6, 15)


def test_example_requests_in_suburb(test_suburb):
    example_feedback_load([test_suburb], today=TODAY)

    requests = FeedbackRequest.objects.all()
    assert requests.count() > 100
    assert not requests.filter(is_example=False).exists()
    assert not requests.filter(postal_area=None).exists()
    assert requests.filter(swapped_coordinates=True).count() == 1
    section = feedback_section(test_suburb, today=TODAY)
    assert section.has_examples
    assert section.total == requests.count()
    assert all(row[1] != "0" for row in section.trend.rows)


def test_example_load_once(test_suburb):
    example_feedback_load([test_suburb], today=TODAY)
    count = FeedbackRequest.objects.count()

    example_feedback_load([test_suburb], today=TODAY)

    assert FeedbackRequest.objects.count() == count
