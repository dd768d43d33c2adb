"""The process page: its timeline, and what the viewer can do now and in the next phase."""

import datetime
import re

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import translation

from osallistu.accounts.models import RoleAssignment
from osallistu.areas.models import Suburb
from osallistu.budgeting.models import BudgetArea
from osallistu.moderation.models import AccountBlock
from osallistu.participation.models import Phase, Process

pytestmark = pytest.mark.django_db

DAY = datetime.timedelta(days=1)
IDENTIFICATION_NOTE = "You do not need a user account"


@pytest.fixture(autouse=True)
def english():
    """Run each test in English, so that reverse() gives /en/ pages whose text tests can match."""
    with translation.override("en"):
        yield


def _process(today, *phases, slug="ideointi", **fields) -> Process:
    """Return a process with `phases` given as (kind, first day offset, last day offset)."""
    process = Process.objects.create(
        title="Lähiöbudjetti", slug=slug, kind=Process.Kind.PARTICIPATORY_BUDGETING, **fields
    )
    for kind, first, last in phases:
        Phase.objects.create(
            process=process, kind=kind, starts_on=today + first * DAY, ends_on=today + last * DAY
        )
    return process


@pytest.fixture
def ideation(today):
    return _process(
        today,
        (Phase.Kind.INFORMATION, -30, -11),
        (Phase.Kind.IDEATION, -10, 10),
        (Phase.Kind.VOTING, 20, 40),
    )


def _section(content: str, heading: str) -> str:
    """Return the HTML from the h3 `heading` to the end of the list that follows it."""
    match = re.search(rf"<h3>{re.escape(heading)}</h3>\s*<ul>(.*?)</ul>", content, re.S)
    assert match, f"no list under {heading!r}"
    return match.group(1)


def _page(client, process) -> str:
    response = client.get(reverse("participation:process_detail", args=[process.slug]))
    assert response.status_code == 200
    return response.content.decode()


def test_anonymous_sees_sign_in_actions(client, ideation):
    content = _page(client, ideation)

    now = _section(content, "What you can do now")
    assert "Showing support and answering polls" in now
    assert "Submitting ideas" not in now
    after_sign_in = _section(content, "What you can also do after signing in")
    assert "Submitting ideas" in after_sign_in
    assert "Suggesting development themes" in after_sign_in
    assert "Showing support and answering polls" not in after_sign_in


def test_anonymous_gets_form_links(client, ideation):
    content = _page(client, ideation)

    # The forms ask anonymous visitors to sign in first.
    assert reverse("participation:idea_create", args=[ideation.slug]) in content
    assert reverse("participation:theme_suggest", args=[ideation.slug]) in content
    assert reverse("participation:theme_list", args=[ideation.slug]) in content
    assert reverse("budgeting:ballot", args=[ideation.slug]) not in content


def test_resident_sees_current_actions(client, resident, ideation):
    client.force_login(resident)

    content = _page(client, ideation)

    now = _section(content, "What you can do now")
    for label in [
        "Submitting ideas",
        "Commenting on ideas and in debates",
        "Showing support and answering polls",
        "Suggesting development themes",
    ]:
        assert label in now, label
    assert "Voting" not in now
    assert "after signing in" not in content


def test_next_phase_shown(client, resident, ideation, today):
    client.force_login(resident)

    content = _page(client, ideation)

    start = (today + 20 * DAY).strftime("%-d.%-m.%Y")
    assert f"Next: voting, from {start}." in content
    assert "Residents vote on the budget proposals." in content
    next_actions = _section(content, "What you can do in the next phase")
    assert "Commenting on ideas and in debates" in next_actions
    assert "Voting" not in next_actions
    assert "Submitting ideas" not in next_actions
    assert IDENTIFICATION_NOTE in content


def test_anonymous_next_phase(client, ideation):
    content = _page(client, ideation)

    assert "What you can do in the next phase" not in content
    after_sign_in = _section(content, "What you can also do in the next phase after signing in")
    assert "Commenting on ideas and in debates" in after_sign_in
    assert "Voting" not in after_sign_in
    assert IDENTIFICATION_NOTE in content


def test_open_voting_needs_no_account(client, today):
    process = _process(today, (Phase.Kind.VOTING, -1, 1), slug="aanestys-auki")
    BudgetArea.objects.create(process=process, name="Alue", slug="alue", budget=50000)

    content = _page(client, process)

    after_sign_in = _section(content, "What you can also do after signing in")
    assert "Voting" not in after_sign_in
    assert IDENTIFICATION_NOTE in content
    assert reverse("budgeting:ballot", args=[process.slug]) in content


def test_ideation_has_no_identification_note(client, ideation):
    content = _page(client, ideation)

    now = content[content.index("What you can do now") : content.index("Next:")]
    assert IDENTIFICATION_NOTE not in now


def test_timeline_marks_phases(client, ideation):
    content = _page(client, ideation)

    timeline = content[content.index("<h2>Timeline</h2>") : content.index("</main>")]
    assert timeline.count("<li") == 3
    assert timeline.count('aria-current="step"') == 1
    assert "(ended)" in timeline
    assert "Residents submit ideas and comment on them." in timeline
    current = re.search(r'<li class="current" aria-current="step">\s*(\w+)', timeline)
    assert current.group(1) == "Ideation"


def test_blocked_resident_told(client, resident, other_resident, ideation):
    AccountBlock.objects.create(user=resident, reason="Häiriköinti", blocked_by=other_resident)
    client.force_login(resident)

    content = _page(client, ideation)

    now = _section(content, "What you can do now")
    assert "Showing support and answering polls" in now
    assert "Submitting ideas" not in now
    assert "Your account has been blocked from posting" in content
    assert reverse("participation:idea_create", args=[ideation.slug]) not in content


def test_phase_override_shown(client, resident, today):
    process = _process(today, (Phase.Kind.VOTING, -1, 1), slug="aanestys")
    process.phases.update(permissions={"vote": ["verified_resident"]})
    client.force_login(resident)

    content = _page(client, process)

    now = _section(content, "What you can do now")
    assert "Commenting on ideas and in debates" in now
    assert "Voting" not in now


def test_between_phases(client, resident, today):
    process = _process(
        today, (Phase.Kind.IDEATION, -10, -2), (Phase.Kind.VOTING, 2, 10), slug="tauko"
    )
    client.force_login(resident)

    content = _page(client, process)

    assert "No phase is running right now." in content
    assert "What you can do now" not in content
    assert "What you can do in the next phase" in content


def test_ended_process(client, today):
    process = _process(today, (Phase.Kind.VOTING, -20, -2), slug="paattynyt")

    content = _page(client, process)

    assert "The process has ended." in content
    assert "Next:" not in content


def test_implementation_offers_nothing_anonymous(client, today):
    process = _process(today, (Phase.Kind.IMPLEMENTATION, -2, 2), slug="toteutus")

    content = _page(client, process)

    assert "What you can do now" not in content
    assert "Commenting on ideas and in debates" in _section(
        content, "What you can also do after signing in"
    )


def test_process_title_escaped(client, today):
    process = _process(today, (Phase.Kind.IDEATION, -1, 1), slug="skripti")
    process.title = "<script>alert(1)</script>"
    process.save()

    content = _page(client, process)

    assert "<script>alert(1)</script>" not in content
    assert "&lt;script&gt;" in content


def test_process_page_query_count(client, django_user_model, ideation):
    coordinator = django_user_model.objects.create_user(email="koordinaattori@example.fi")
    client.force_login(coordinator)
    url = reverse("participation:process_detail", args=[ideation.slug])
    suburbs = [Suburb.objects.create(name=f"Lähiö {n}", slug=f"lahio-{n}") for n in range(10)]
    ideation.suburbs.set(suburbs)

    def assign_roles(suburbs):
        for suburb in suburbs:
            RoleAssignment.objects.create(user=coordinator, role="coordinator", suburb=suburb)
            RoleAssignment.objects.create(user=coordinator, role="moderator", suburb=suburb)

    # Both counts are taken with the same kinds of role, because a moderator's menu adds a link
    # that other users do not get.
    assign_roles(suburbs[:1])
    # Warm up, so that the counts below do not include one-off lookups such as content types.
    client.get(url)
    with CaptureQueriesContext(connection) as few_roles:
        client.get(url)
    assign_roles(suburbs[1:])
    with CaptureQueriesContext(connection) as many_roles:
        response = client.get(url)

    # The page checks about ten actions, yet loading the roles costs two queries, however many.
    assert len(many_roles.captured_queries) == len(few_roles.captured_queries)
    assert "Submitting ideas" in _section(response.content.decode(), "What you can do now")
