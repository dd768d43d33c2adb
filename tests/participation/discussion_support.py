"""Fixtures and helpers of the comment, debate and one-off participation tests.

Test modules import the fixtures they use (`*_fixture`, registered under the name without the
suffix), so that pytest finds them.
"""

import pytest

from osallistu.accounts.models import RoleAssignment, ServiceArea
from osallistu.participation.models import Comment, Debate, Idea, Phase


def make_comment(*, idea=None, debate=None, **fields) -> Comment:
    defaults = {"body": "Hyvä ajatus.", "stance": Comment.Stance.FOR}
    return Comment.objects.create(idea=idea, debate=debate, **{**defaults, **fields})


def bulk_comments(count: int, *, idea=None, debate=None, author=None, replies_each: int = 1):
    """Insert `count` top-level comments, each with `replies_each` replies, by bulk inserts.

    bulk_create sets `created_at` in insertion order, so the comments come back in that order.
    """
    stances = list(Comment.Stance)
    roots = Comment.objects.bulk_create(
        Comment(
            idea=idea,
            debate=debate,
            author=author,
            body=f"Kommentti {number}",
            stance=stances[number % len(stances)],
        )
        for number in range(count)
    )
    Comment.objects.bulk_create(
        Comment(
            idea=idea,
            debate=debate,
            parent=root,
            author=author,
            body=f"Vastaus {number}",
        )
        for root in roots
        for number in range(replies_each)
    )
    return roots


def grant(user, role: str, process=None, **scope) -> None:
    """Give `user` a staff role in `process`; an evaluator also gets a service area."""
    if role == RoleAssignment.Role.EVALUATOR and not scope.get("service_area"):
        scope["service_area"] = ServiceArea.objects.get_or_create(
            slug="kyp", defaults={"name": "Kaupunkiympäristön palvelualue"}
        )[0]
    RoleAssignment.objects.create(user=user, role=role, process=process, **scope)


@pytest.fixture(name="discussion_process")
def discussion_process_fixture(make_process):
    """Return a process in ideation, where signed-in users may comment and anyone may support."""
    return make_process(current=Phase.Kind.IDEATION, slug="keskustelu")


@pytest.fixture(name="closed_process")
def closed_process_fixture(make_process):
    """Return a process between phases, where nobody may comment or support."""
    return make_process(current="none", slug="tauko")


@pytest.fixture(name="idea")
def idea_fixture(discussion_process, other_resident):
    return Idea.objects.create(
        process=discussion_process,
        author=other_resident,
        title="Penkki puistoon",
        description="Puistoon tarvitaan penkki.",
    )


@pytest.fixture(name="debate")
def debate_fixture(discussion_process):
    return Debate.objects.create(
        process=discussion_process,
        title="Miten puistoa kehitetään?",
        description="Keskustellaan puiston tulevaisuudesta.",
    )


@pytest.fixture(name="coordinator")
def coordinator_fixture(django_user_model, discussion_process):
    user = django_user_model.objects.create_user(
        email="koordinaattori@example.fi", password="Salasana-123"
    )
    grant(user, RoleAssignment.Role.COORDINATOR, discussion_process)
    return user
