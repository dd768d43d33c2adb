"""Communication channels: the seeded list, logging uses, the step table and the summary."""

import datetime

import pytest
from django.urls import reverse
from django.utils import timezone

from osallistu.audit.models import AuditEvent
from osallistu.communications import selectors, services
from osallistu.communications.models import ChannelUse, CommunicationChannel
from osallistu.participation.models import Channel as ParticipationChannel

pytestmark = pytest.mark.django_db


def test_seeded_standard_channels():
    codes = list(CommunicationChannel.objects.values_list("code", flat=True))

    assert codes == ["website", "newsletter", "poster", "social-media", "local-paper", "event"]
    assert all(channel.active for channel in CommunicationChannel.objects.all())


def test_channel_names_translate():
    channel = CommunicationChannel.objects.get(code="local-paper")

    from django.utils import translation

    with translation.override("en"):
        assert str(channel) == "local paper"


def test_separate_from_participation_channels():
    assert not {code for code, _label in ParticipationChannel.choices} >= set(
        CommunicationChannel.objects.values_list("code", flat=True)
    )


def _channel(code: str) -> CommunicationChannel:
    return CommunicationChannel.objects.get(code=code)


def test_log_and_table(coordinator, suburb, suburb_process, event):
    today = timezone.localdate()
    phase = suburb_process.phases.first()
    services.channel_use_log(
        coordinator,
        suburb=suburb,
        channel=_channel("local-paper"),
        step=phase,
        used_on=today,
        reach=12000,
    )
    services.channel_use_log(
        coordinator, suburb=suburb, channel=_channel("social-media"), step=phase, used_on=today
    )
    services.channel_use_log(
        coordinator, suburb=suburb, channel=_channel("social-media"), step=event, used_on=today
    )

    channels, rows = selectors.channel_use_table(suburb, today.year)

    codes = [channel.code for channel in channels]
    paper, social = codes.index("local-paper"), codes.index("social-media")
    assert [row.label for row in rows] == [str(phase), rows[1].label]
    assert rows[0].counts[paper] == 1
    assert rows[0].counts[social] == 1
    assert rows[1].counts[social] == 1
    assert rows[1].counts[paper] == 0
    assert "Puistotyöpaja" in rows[1].label
    assert AuditEvent.objects.filter(action="communications.log_channel_use").count() == 3


def test_summary_for_report(coordinator, suburb, suburb_process, event):
    today = timezone.localdate()
    phase = suburb_process.phases.first()
    paper = _channel("local-paper")
    services.channel_use_log(
        coordinator, suburb=suburb, channel=paper, step=phase, used_on=today, reach=100
    )
    services.channel_use_log(
        coordinator, suburb=suburb, channel=paper, step=event, used_on=today, reach=50
    )
    services.channel_use_log(
        coordinator, suburb=suburb, channel=_channel("website"), step=event, used_on=today
    )
    last_year = today.replace(year=today.year - 1, day=1)
    services.channel_use_log(
        coordinator, suburb=suburb, channel=paper, step=event, used_on=last_year, reach=999
    )

    summary = {
        item["channel"].code: item for item in selectors.channel_use_summary(suburb, today.year)
    }

    assert set(summary) == {"local-paper", "website"}
    assert summary["local-paper"]["uses"] == 2
    assert summary["local-paper"]["steps"] == 2
    assert summary["local-paper"]["reach"] == 150
    assert summary["website"]["reach"] is None


def test_future_date_rejected(coordinator_client, suburb):
    tomorrow = timezone.localdate() + datetime.timedelta(days=1)
    step = selectors.suburb_steps(suburb)[0]

    response = coordinator_client.post(
        reverse("communications:channel_log", args=[suburb.slug]),
        {
            "channel": _channel("website").pk,
            "step": step.key,
            "used_on": tomorrow.isoformat(),
            "note": "Verkkosivu",
        },
    )

    assert response.status_code == 200
    assert "used_on" in response.context["form"].errors
    assert 'value="Verkkosivu"' in response.content.decode()
    assert ChannelUse.objects.count() == 0


def test_log_view_rejects_foreign_step(coordinator_client, suburb, make_process):
    other = make_process(slug="muu")
    foreign_phase = other.phases.first()
    from django.contrib.contenttypes.models import ContentType

    key = f"{ContentType.objects.get_for_model(foreign_phase).pk}:{foreign_phase.pk}"
    response = coordinator_client.post(
        reverse("communications:channel_log", args=[suburb.slug]),
        {
            "channel": _channel("website").pk,
            "step": key,
            "used_on": timezone.localdate().isoformat(),
        },
    )

    assert response.status_code == 200
    assert "step" in response.context["form"].errors
    assert ChannelUse.objects.count() == 0


def test_log_view_logs(coordinator_client, suburb, event):
    step = next(step for step in selectors.suburb_steps(suburb) if step.target == event)
    response = coordinator_client.post(
        reverse("communications:channel_log", args=[suburb.slug]),
        {
            "channel": _channel("event").pk,
            "step": step.key,
            "used_on": timezone.localdate().isoformat(),
            "reach": "35",
        },
    )

    assert response.status_code == 302
    use = ChannelUse.objects.get()
    assert use.step == event
    assert use.reach == 35
    assert not use.automatic


def test_log_page_queries_constant(
    coordinator, coordinator_client, suburb, suburb_process, event, django_assert_max_num_queries
):
    url = reverse("communications:channel_log", args=[suburb.slug])
    phase = suburb_process.phases.first()
    services.channel_use_log(
        coordinator,
        suburb=suburb,
        channel=_channel("website"),
        step=phase,
        used_on=timezone.localdate(),
    )
    with django_assert_max_num_queries(25) as one_row:
        coordinator_client.get(url)

    for code in ("local-paper", "social-media", "event"):
        for step in (phase, event, suburb):
            services.channel_use_log(
                coordinator,
                suburb=suburb,
                channel=_channel(code),
                step=step,
                used_on=timezone.localdate(),
            )
    with django_assert_max_num_queries(len(one_row.captured_queries)):
        coordinator_client.get(url)
