"""Example communication content of the demo."""

import pytest
from django.core import mail

from osallistu.communications.demo import example_communications_load
from osallistu.communications.models import ChannelUse, NewsletterIssue

pytestmark = pytest.mark.django_db


def test_demo_content_once(suburb, suburb_process, event):
    suburb_process.is_example = True
    suburb_process.save()
    event.is_example = True
    event.save()

    example_communications_load([suburb])
    example_communications_load([suburb])

    assert ChannelUse.objects.filter(suburb=suburb, is_example=True).count() == 5
    issue = NewsletterIssue.objects.get()
    assert issue.is_example
    assert issue.status == NewsletterIssue.Status.SENT
    assert mail.outbox == []
