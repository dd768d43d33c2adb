"""Comments: posting, replies, likes, moderation states, bad input and the comment section."""

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import connection
from django.template.loader import render_to_string
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import translation

from osallistu.moderation.models import AccountBlock
from osallistu.moderation.services import POSTING_LIMIT
from osallistu.notifications import services as notification_services
from osallistu.notifications.models import Notification
from osallistu.organisations.models import Membership, Organisation
from osallistu.participation import selectors, services
from osallistu.participation.models import Channel, Comment, CommentLike, Idea, Visibility

from .discussion_support import (
    bulk_comments,
    closed_process_fixture,  # noqa: F401
    coordinator_fixture,  # noqa: F401
    debate_fixture,  # noqa: F401
    discussion_process_fixture,  # noqa: F401
    idea_fixture,  # noqa: F401
    make_comment,
)

pytestmark = pytest.mark.django_db


def comment_post_url(idea) -> str:
    return reverse("participation:idea_comment_create", args=[idea.process.slug, idea.pk])


def idea_url(idea) -> str:
    return reverse("participation:idea_detail", args=[idea.process.slug, idea.pk])


def error_codes(error: ValidationError) -> set[str]:
    if hasattr(error, "error_dict"):
        return {item.code for items in error.error_dict.values() for item in items}
    return {item.code for item in error.error_list}


# --- comment_create -----------------------------------------------------------------------------


def test_create_publishes_comment(idea, resident):
    comment = services.comment_create(
        resident, idea=idea, body="  Kannatan!  ", stance=Comment.Stance.FOR
    )

    comment.refresh_from_db()
    assert comment.body == "Kannatan!"
    assert comment.author == resident
    assert comment.stance == Comment.Stance.FOR
    assert comment.visibility == Visibility.VISIBLE
    assert comment.channel == Channel.ONLINE


def test_create_needs_sign_in(idea):
    with pytest.raises(PermissionDenied):
        services.comment_create(None, idea=idea, body="Hei", stance="for")
    assert not Comment.objects.exists()


def test_create_outside_phases(closed_process, resident):
    closed_idea = Idea.objects.create(process=closed_process, title="Idea", description="Kuvaus")

    with pytest.raises(PermissionDenied):
        services.comment_create(resident, idea=closed_idea, body="Hei", stance="for")


def test_create_blocked_account(idea, resident, coordinator):
    AccountBlock.objects.create(user=resident, reason="Häirintä", blocked_by=coordinator)

    with translation.override("en"), pytest.raises(PermissionDenied) as raised:
        services.comment_create(resident, idea=idea, body="Hei", stance="for")
    assert "blocked" in str(raised.value)


def test_create_needs_one_target(idea, debate, resident):
    with pytest.raises(ValueError):
        services.comment_create(resident, idea=idea, debate=debate, body="Hei", stance="for")
    with pytest.raises(ValueError):
        services.comment_create(resident, body="Hei", stance="for")


@pytest.mark.parametrize(
    ("body", "code"),
    [("", "required"), ("   ", "required"), ("x" * 3001, "max_length"), ("<b>hei</b>", "html")],
)
def test_create_rejects_bad_body(idea, resident, body, code):
    with pytest.raises(ValidationError) as raised:
        services.comment_create(resident, idea=idea, body=body, stance="for")
    assert error_codes(raised.value) == {code}
    assert not Comment.objects.exists()


def test_create_rejects_unknown_stance(idea, resident):
    with pytest.raises(ValidationError) as raised:
        services.comment_create(resident, idea=idea, body="Hei", stance="maybe")
    assert error_codes(raised.value) == {"invalid_stance"}


def test_create_closed_debate(debate, resident, coordinator):
    services.debate_close(coordinator, debate, conclusion="Päätetään näin.")

    with pytest.raises(ValidationError) as raised:
        services.comment_create(resident, debate=debate, body="Hei", stance="for")
    assert error_codes(raised.value) == {"closed"}


@pytest.mark.parametrize(
    "change",
    [{"status": Idea.Status.WITHDRAWN}, {"visibility": Visibility.HIDDEN}],
)
def test_create_idea_not_open(idea, resident, change):
    Idea.objects.filter(pk=idea.pk).update(**change)
    idea.refresh_from_db()

    with pytest.raises(ValidationError) as raised:
        services.comment_create(resident, idea=idea, body="Hei", stance="for")
    assert error_codes(raised.value) == {"closed"}


def test_reply_in_same_thread(idea, resident, other_resident):
    parent = make_comment(idea=idea, author=other_resident)

    reply = services.comment_create(
        resident, idea=idea, parent=parent, body="Samaa mieltä.", stance="for"
    )

    assert reply.parent == parent


def test_reply_to_other_thread(idea, debate, resident):
    foreign = make_comment(debate=debate)

    with pytest.raises(ValidationError) as raised:
        services.comment_create(resident, idea=idea, parent=foreign, body="Hei", stance="for")
    assert error_codes(raised.value) == {"invalid_parent"}


def test_reply_to_hidden_comment(idea, resident):
    hidden = make_comment(idea=idea, visibility=Visibility.HIDDEN, hidden_reason="Asiaton")

    with pytest.raises(ValidationError) as raised:
        services.comment_create(resident, idea=idea, parent=hidden, body="Hei", stance="for")
    assert error_codes(raised.value) == {"invalid_parent"}


def test_reply_depth_limit(idea, resident):
    root = make_comment(idea=idea)
    reply = make_comment(idea=idea, parent=root)
    deepest = make_comment(idea=idea, parent=reply)

    with pytest.raises(ValidationError) as raised:
        services.comment_create(resident, idea=idea, parent=deepest, body="Hei", stance="for")
    assert error_codes(raised.value) == {"too_deep"}
    assert services.comment_depth(deepest) == selectors.COMMENT_MAX_DEPTH


def test_premoderation_keeps_pending(idea, resident):
    idea.process.premoderation = True
    idea.process.save()

    comment = services.comment_create(resident, idea=idea, body="Hei", stance="neutral")

    assert comment.visibility == Visibility.PENDING


def test_posting_rate_limit(idea, resident):
    for number in range(POSTING_LIMIT):
        services.comment_create(resident, idea=idea, body=f"Viesti {number}", stance="for")

    with translation.override("en"), pytest.raises(ValidationError) as raised:
        services.comment_create(resident, idea=idea, body="Yksi liikaa", stance="for")
    assert error_codes(raised.value) == {"rate_limited"}
    assert "Wait a few minutes" in raised.value.messages[0]
    assert Comment.objects.count() == POSTING_LIMIT


def test_entered_on_behalf(idea, coordinator):
    for number in range(POSTING_LIMIT + 1):
        comment = services.comment_create(
            None,
            idea=idea,
            body=f"Paperilta {number}",
            stance="against",
            channel=Channel.PAPER,
            entered_by=coordinator,
        )

    assert comment.author is None
    assert comment.entered_by == coordinator
    assert comment.channel == Channel.PAPER
    assert Comment.objects.count() == POSTING_LIMIT + 1


def test_entered_on_behalf_needs_role(idea, resident):
    with pytest.raises(PermissionDenied):
        services.comment_create(
            None, idea=idea, body="Hei", stance="for", channel=Channel.PAPER, entered_by=resident
        )


def test_offline_channel_needs_staff(idea, resident):
    with pytest.raises(ValueError):
        services.comment_create(
            resident, idea=idea, body="Hei", stance="for", channel=Channel.WORKSHOP
        )


def test_post_for_organisation(idea, resident, other_resident):
    organisation = Organisation.objects.create(name="Neulamäki-seura", slug="neulamaki-seura")
    Membership.objects.create(organisation=organisation, user=resident)

    comment = services.comment_create(
        resident, idea=idea, body="Seura kannattaa.", stance="for", organisation=organisation
    )

    assert comment.organisation == organisation
    with pytest.raises(PermissionDenied):
        services.comment_create(
            other_resident, idea=idea, body="Hei", stance="for", organisation=organisation
        )


def test_reply_notifies_parent_author(
    idea, resident, other_resident, django_capture_on_commit_callbacks
):
    parent = make_comment(idea=idea, author=other_resident)
    other_resident.language = "en"
    other_resident.save()

    with django_capture_on_commit_callbacks(execute=True):
        reply = services.comment_create(
            resident, idea=idea, parent=parent, body="Vastaan", stance="for"
        )

    notification = Notification.objects.get(user=other_resident)
    assert notification.message == "Someone replied to your comment."
    assert notification.url.endswith(f"#comment-{reply.pk}")
    assert not Notification.objects.filter(user=resident).exists()


def test_comment_notifies_followers(
    idea, resident, other_resident, django_capture_on_commit_callbacks
):
    notification_services.follow(other_resident, idea)
    notification_services.follow(resident, idea)

    with django_capture_on_commit_callbacks(execute=True):
        services.comment_create(resident, idea=idea, body="Uusi kommentti", stance="for")

    assert Notification.objects.filter(user=other_resident).count() == 1
    assert not Notification.objects.filter(user=resident).exists()


def test_pending_comment_notifies_nobody(
    idea, resident, other_resident, django_capture_on_commit_callbacks
):
    idea.process.premoderation = True
    idea.process.save()
    notification_services.follow(other_resident, idea)

    with django_capture_on_commit_callbacks(execute=True):
        services.comment_create(resident, idea=idea, body="Odottaa", stance="for")

    assert not Notification.objects.exists()


# --- likes --------------------------------------------------------------------------------------


def test_like_counts_once(idea, resident, other_resident):
    comment = make_comment(idea=idea, author=other_resident)

    assert services.comment_like(resident, comment) is True
    assert services.comment_like(resident, comment) is False

    comment.refresh_from_db()
    assert comment.like_count == 1
    assert CommentLike.objects.filter(comment=comment).count() == 1


def test_unlike_counts_once(idea, resident, other_resident):
    comment = make_comment(idea=idea, author=other_resident)
    services.comment_like(resident, comment)

    assert services.comment_unlike(resident, comment) is True
    assert services.comment_unlike(resident, comment) is False

    comment.refresh_from_db()
    assert comment.like_count == 0
    assert not CommentLike.objects.exists()


def test_like_own_comment(idea, resident):
    comment = make_comment(idea=idea, author=resident)

    with pytest.raises(ValidationError) as raised:
        services.comment_like(resident, comment)
    assert error_codes(raised.value) == {"own_comment"}


@pytest.mark.parametrize("visibility", [Visibility.HIDDEN, Visibility.PENDING])
def test_like_invisible_comment(idea, resident, visibility):
    comment = make_comment(idea=idea, visibility=visibility)

    with pytest.raises(ValidationError) as raised:
        services.comment_like(resident, comment)
    assert error_codes(raised.value) == {"not_visible"}
    assert not CommentLike.objects.exists()


def test_like_needs_sign_in(idea):
    comment = make_comment(idea=idea)

    with pytest.raises(PermissionDenied):
        services.comment_like(None, comment)


def test_like_closed_debate(debate, resident, coordinator):
    comment = make_comment(debate=debate)
    services.debate_close(coordinator, debate, conclusion="Valmis.")
    comment.refresh_from_db()

    with pytest.raises(ValidationError) as raised:
        services.comment_like(resident, comment)
    assert error_codes(raised.value) == {"closed"}


# --- comment_section ----------------------------------------------------------------------------


def test_section_threads_replies(idea, resident, other_resident):
    root = make_comment(idea=idea, author=other_resident, body="Juuri")
    reply = make_comment(idea=idea, parent=root, author=other_resident, body="Vastaus")
    deeper = make_comment(idea=idea, parent=reply, body="Syvempi", stance="against")
    services.comment_like(resident, reply)

    section = selectors.comment_section(idea=idea, user=resident)

    assert section.page.object_list == [root]
    shown_root = section.page.object_list[0]
    assert shown_root.thread_replies == [reply]
    shown_reply = shown_root.thread_replies[0]
    assert shown_reply.thread_replies == [deeper]
    shown_deeper = shown_reply.thread_replies[0]
    assert [shown_root.depth, shown_reply.depth, shown_deeper.depth] == [0, 1, 2]
    assert shown_reply.is_liked is True
    assert shown_root.is_liked is False
    assert section.total == 3
    counts = {stance["value"]: stance["count"] for stance in section.stance_counts}
    assert counts == {"for": 2, "against": 1, "neutral": 0}


def test_section_pages_top_level(idea):
    roots = bulk_comments(45, idea=idea, replies_each=1)

    first = selectors.comment_section(idea=idea)
    last = selectors.comment_section(idea=idea, page=3)

    assert first.page.paginator.num_pages == 3
    assert [comment.pk for comment in first.page.object_list] == [c.pk for c in roots[:20]]
    assert [comment.pk for comment in last.page.object_list] == [c.pk for c in roots[40:]]
    assert all(len(comment.thread_replies) == 1 for comment in last.page.object_list)


def test_section_pending_only_to_author(idea, resident, other_resident):
    mine = make_comment(idea=idea, author=resident, visibility=Visibility.PENDING)

    own_view = selectors.comment_section(idea=idea, user=resident)
    other_view = selectors.comment_section(idea=idea, user=other_resident)
    anonymous_view = selectors.comment_section(idea=idea)

    assert own_view.page.object_list == [mine]
    assert other_view.page.object_list == []
    assert anonymous_view.page.object_list == []
    assert own_view.total == 0


def test_section_permissions(idea, debate, resident, coordinator):
    assert selectors.comment_section(idea=idea, user=resident).can_comment is True
    assert selectors.comment_section(idea=idea).can_comment is False
    services.debate_close(coordinator, debate, conclusion="Valmis.")
    closed = selectors.comment_section(debate=debate, user=resident)
    assert closed.can_comment is False
    assert closed.can_like is False
    assert closed.is_closed is True


def _render_section(idea, user) -> str:
    section = selectors.comment_section(idea=idea, user=user)
    return render_to_string(
        "participation/includes/comment_section.html", {"comment_section": section, "user": user}
    )


def test_section_renders_hidden_reason(idea, resident):
    make_comment(
        idea=idea,
        body="Loukkaava teksti",
        visibility=Visibility.HIDDEN,
        hidden_reason="Asiaton kielenkäyttö",
    )

    html = _render_section(idea, resident)

    assert "Asiaton kielenkäyttö" in html
    assert "Loukkaava teksti" not in html


def test_section_escapes_text(idea, resident):
    make_comment(idea=idea, body='<script>alert("x")</script> & <3')

    html = _render_section(idea, resident)

    assert "<script>alert" not in html
    assert "&lt;script&gt;alert(&quot;x&quot;)&lt;/script&gt; &amp; &lt;3" in html


def test_section_like_buttons(idea, resident, other_resident):
    theirs = make_comment(idea=idea, author=other_resident)
    mine = make_comment(idea=idea, author=resident)
    liked = make_comment(idea=idea, author=other_resident)
    services.comment_like(resident, liked)
    slug = idea.process.slug

    html = _render_section(idea, resident)
    anonymous_html = _render_section(idea, None)

    assert reverse("participation:comment_like", args=[slug, theirs.pk]) in html
    assert reverse("participation:comment_like", args=[slug, mine.pk]) not in html
    assert reverse("participation:comment_unlike", args=[slug, liked.pk]) in html
    assert reverse("participation:comment_like", args=[slug, theirs.pk]) not in anonymous_html


def test_section_report_forms(idea, resident):
    visible = make_comment(idea=idea)
    hidden = make_comment(idea=idea, visibility=Visibility.HIDDEN, hidden_reason="Asiaton")

    html = _render_section(idea, resident)
    anonymous_html = _render_section(idea, None)

    assert reverse("moderation:report", args=["comment", visible.pk]) in html
    assert reverse("moderation:report", args=["comment", hidden.pk]) not in html
    assert reverse("moderation:report", args=["comment", visible.pk]) not in anonymous_html


def test_section_shows_stance_text(idea, resident):
    make_comment(idea=idea, stance="against")

    with translation.override("en"):
        html = _render_section(idea, resident)

    assert "Stance: against" in html
    assert 'name="stance"' in html


def _section_queries(idea, user) -> int:
    # A fresh user object, so that the permission rules' per-request memo starts empty.
    user = type(user).objects.get(pk=user.pk)
    with CaptureQueriesContext(connection) as queries:
        _render_section(idea, user)
    return len(queries)


def test_section_query_count_constant(discussion_process, resident, other_resident):
    small = Idea.objects.create(process=discussion_process, title="Pieni", description="x")
    large = Idea.objects.create(process=discussion_process, title="Suuri", description="x")
    bulk_comments(10, idea=small, author=other_resident, replies_each=1)
    large_roots = bulk_comments(1000, idea=large, author=other_resident, replies_each=1)
    for root in large_roots[:20]:
        services.comment_like(resident, root)

    small_count = _section_queries(small, resident)
    large_count = _section_queries(large, resident)

    assert large_count == small_count
    assert Comment.objects.filter(idea=large).count() == 2000


# --- views --------------------------------------------------------------------------------------


def test_post_redirects_to_anchor(client, idea, resident):
    client.force_login(resident)

    response = client.post(comment_post_url(idea), {"body": "Hyvä idea!", "stance": "for"})

    comment = Comment.objects.get()
    assert response.status_code == 302
    assert response["Location"] == f"{idea_url(idea)}#comment-{comment.pk}"


def test_post_reply_redirects_to_page(client, idea, resident, other_resident):
    roots = bulk_comments(25, idea=idea, author=other_resident, replies_each=0)
    client.force_login(resident)

    response = client.post(
        comment_post_url(idea),
        {"body": "Vastaus myöhempään", "stance": "neutral", "parent": roots[22].pk},
    )

    reply = Comment.objects.get(parent=roots[22])
    assert response["Location"] == f"{idea_url(idea)}?comments=2#comment-{reply.pk}"


def test_idea_page_shows_section(client, idea, resident, other_resident):
    root = make_comment(idea=idea, author=other_resident, body="Näkyvä kommentti")
    client.force_login(resident)

    response = client.get(idea_url(idea))

    content = response.content.decode()
    assert 'id="comments"' in content
    assert f'id="comment-{root.pk}"' in content
    assert f'action="{comment_post_url(idea)}"' in content


def test_post_needs_sign_in(client, idea):
    response = client.post(comment_post_url(idea), {"body": "Hei", "stance": "for"})

    assert response.status_code == 302
    assert reverse("account_login") in response["Location"]
    assert not Comment.objects.exists()


@pytest.mark.parametrize(
    ("body", "code", "message"),
    [
        ("", "required", "Write a comment before sending it."),
        ("y" * 3001, "max_length", "The text is too long: 3001 characters."),
        ("Katso <script>alert(1)</script>", "html", "The text contains HTML markup"),
    ],
)
def test_post_bad_body_keeps_text(client, idea, resident, body, code, message):
    client.force_login(resident)

    with translation.override("en"):
        response = client.post(comment_post_url(idea), {"body": body, "stance": "against"})

    content = response.content.decode()
    assert response.status_code == 200
    assert {error.code for error in response.context["form"].errors.as_data()["body"]} == {code}
    assert message in content
    assert 'aria-invalid="true"' in content
    assert 'value="against" checked' in content
    if body:
        assert (body[:50] if code != "html" else "Katso &lt;script&gt;") in content
    assert "<script>alert(1)" not in content
    assert not Comment.objects.exists()


def test_post_bad_stance(client, idea, resident):
    client.force_login(resident)

    with translation.override("en"):
        response = client.post(comment_post_url(idea), {"body": "Säilyvä teksti", "stance": "x"})

    assert response.status_code == 200
    assert "Choose your stance" in response.content.decode()
    assert "Säilyvä teksti" in response.content.decode()


def test_post_rate_limited_keeps_text(client, idea, resident):
    client.force_login(resident)
    for number in range(POSTING_LIMIT):
        client.post(comment_post_url(idea), {"body": f"Viesti {number}", "stance": "for"})

    with translation.override("en"):
        response = client.post(comment_post_url(idea), {"body": "Tämä säilyy", "stance": "for"})

    content = response.content.decode()
    assert response.status_code == 200
    assert "rate_limited" in {
        error.code for error in response.context["form"].non_field_errors().as_data()
    }
    assert "Tämä säilyy" in content
    assert Comment.objects.count() == POSTING_LIMIT


def test_post_unknown_parent(client, idea, debate, resident):
    foreign = make_comment(debate=debate)
    client.force_login(resident)

    with translation.override("en"):
        response = client.post(
            comment_post_url(idea), {"body": "Hei", "stance": "for", "parent": foreign.pk}
        )

    assert response.status_code == 200
    assert "not part of this discussion" in response.content.decode()
    assert Comment.objects.count() == 1


def test_reply_page_without_javascript(client, idea, resident, other_resident):
    parent = make_comment(idea=idea, author=other_resident, body="Alkuperäinen")
    client.force_login(resident)

    response = client.get(comment_post_url(idea), {"reply_to": parent.pk})

    content = response.content.decode()
    assert response.status_code == 200
    assert "Alkuperäinen" in content
    assert f'name="parent" value="{parent.pk}"' in content


def test_reply_page_unknown_comment(client, idea, resident):
    client.force_login(resident)

    response = client.get(comment_post_url(idea), {"reply_to": 999999})

    assert response.status_code == 404


def test_like_view_redirects(client, idea, resident, other_resident):
    comment = make_comment(idea=idea, author=other_resident)
    client.force_login(resident)
    like_url = reverse("participation:comment_like", args=[idea.process.slug, comment.pk])
    unlike_url = reverse("participation:comment_unlike", args=[idea.process.slug, comment.pk])

    liked = client.post(like_url)
    comment.refresh_from_db()
    assert liked["Location"] == f"{idea_url(idea)}#comment-{comment.pk}"
    assert comment.like_count == 1
    client.post(unlike_url)
    comment.refresh_from_db()
    assert comment.like_count == 0


def test_like_view_rejects_get(client, idea, resident):
    comment = make_comment(idea=idea)
    client.force_login(resident)

    response = client.get(
        reverse("participation:comment_like", args=[idea.process.slug, comment.pk])
    )

    assert response.status_code == 405


def test_like_view_other_process(client, idea, resident, make_process):
    other = make_process(slug="muu")
    comment = make_comment(idea=idea)
    client.force_login(resident)

    response = client.post(reverse("participation:comment_like", args=[other.slug, comment.pk]))

    assert response.status_code == 404


def test_like_own_comment_message(client, idea, resident):
    comment = make_comment(idea=idea, author=resident)
    client.force_login(resident)

    with translation.override("en"):
        response = client.post(
            reverse("participation:comment_like", args=[idea.process.slug, comment.pk]),
            follow=False,
        )
        page = client.get(response["Location"])

    assert "You cannot like your own comment." in page.content.decode()


def test_idea_page_query_count_constant(client, discussion_process, resident, other_resident):
    small = Idea.objects.create(process=discussion_process, title="Pieni", description="x")
    large = Idea.objects.create(process=discussion_process, title="Suuri", description="x")
    bulk_comments(10, idea=small, author=other_resident, replies_each=1)
    bulk_comments(1000, idea=large, author=other_resident, replies_each=1)
    client.force_login(resident)
    # Warm up, so that one-off lookups such as content types are not counted.
    client.get(idea_url(small))

    with CaptureQueriesContext(connection) as few:
        assert client.get(idea_url(small)).status_code == 200
    with CaptureQueriesContext(connection) as many:
        assert client.get(idea_url(large)).status_code == 200

    assert len(many) == len(few)
