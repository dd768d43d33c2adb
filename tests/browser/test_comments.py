"""WCAG 2.0/2.1 A and AA checks of the comment, debate and take-part pages in Chromium."""

import pytest

from osallistu.accounts.models import RoleAssignment
from osallistu.participation.models import (
    Channel,
    Comment,
    Debate,
    Phase,
    Poll,
    PollOption,
    Visibility,
)

from .axe import assert_accessible
from .session import sign_in_with_session

pytestmark = pytest.mark.browser


@pytest.fixture
def debate(make_process, other_resident):
    process = make_process(current=Phase.Kind.IDEATION, slug="keskustelu")
    debate = Debate.objects.create(
        process=process,
        title="Miten Neulamäen puistoa kehitetään?",
        description="Keskustellaan puiston penkeistä, valaistuksesta ja leikkipaikasta.",
    )
    root = Comment.objects.create(
        debate=debate, author=other_resident, body="Puistoon tarvitaan valoja.", stance="for"
    )
    reply = Comment.objects.create(
        debate=debate, parent=root, body="Valot maksavat paljon.", stance="against"
    )
    Comment.objects.create(
        debate=debate, parent=reply, author=other_resident, body="Led-valot ovat halpoja."
    )
    Comment.objects.create(
        debate=debate,
        body="Poistettu",
        visibility=Visibility.HIDDEN,
        hidden_reason="Asiaton kielenkäyttö",
    )
    Comment.objects.create(
        debate=debate, body="Työpajassa toivottiin penkkejä.", channel=Channel.WORKSHOP
    )
    return debate


@pytest.fixture
def poll(make_process):
    process = make_process(current=Phase.Kind.IDEATION, slug="osallistu")
    poll = Poll.objects.create(process=process, question="Mitä puistoon tarvitaan eniten?")
    for position, text in enumerate(["Penkkejä", "Valaistusta", "Leikkipaikka"]):
        PollOption.objects.create(poll=poll, text=text, position=position)
    return poll


def debate_path(debate) -> str:
    return f"/processes/{debate.process.slug}/debates/{debate.pk}/"


def test_debate_page_threaded(signed_in_page, debate):
    page = signed_in_page
    page.goto(debate_path(debate))
    page.locator("details.reply summary").first.click()

    assert page.locator(".comment-replies .comment-replies article").count() == 1
    # Every comment but the hidden one can be liked by the resident, who wrote none of them.
    assert page.locator(".like-form button").count() == 4
    assert page.get_by_text("Asiaton kielenkäyttö").count() == 1
    assert page.locator("details.reply textarea").first.is_visible()
    assert_accessible(page)


def test_debate_page_anonymous(page, debate):
    page.goto(debate_path(debate))

    assert page.locator("textarea").count() == 0
    assert_accessible(page)


def test_comment_form_errors(signed_in_page, debate):
    page = signed_in_page
    page.goto(debate_path(debate))
    form = page.locator("#new-comment-body").locator("xpath=ancestor::form")
    page.check("#new-comment-stance-against")
    page.fill("#new-comment-body", "Katso <b>tämä</b>")
    form.locator("button[type=submit]").click()
    page.wait_for_load_state()

    assert page.get_by_role("alert").count() == 1
    assert page.locator("#comment-body").input_value() == "Katso <b>tämä</b>"
    assert page.locator("#comment-stance-against").is_checked()
    assert page.locator("#comment-body").get_attribute("aria-invalid") == "true"
    assert_accessible(page)


def test_closed_debate_page(page, debate):
    debate.is_closed = True
    debate.conclusion = "Puistoon lisätään valaistusta ensi vuonna."
    debate.save()

    page.goto(debate_path(debate))

    assert page.get_by_text("Puistoon lisätään valaistusta ensi vuonna.").count() == 1
    assert_accessible(page)


def sign_in_coordinator(page, process, django_user_model):
    staff = django_user_model.objects.create_user(
        email="koordinaattori@example.fi", password="Salasana-123"
    )
    RoleAssignment.objects.create(user=staff, role=RoleAssignment.Role.COORDINATOR, process=process)
    sign_in_with_session(page, staff)


def test_debate_close_form_errors(page, debate, django_user_model):
    sign_in_coordinator(page, debate.process, django_user_model)
    page.goto(f"{debate_path(debate)}close/")
    page.locator("main button[type=submit]").click()
    page.wait_for_load_state()

    assert page.get_by_role("alert").count() == 1
    assert_accessible(page)


def test_poll_management_errors(page, poll, django_user_model):
    sign_in_coordinator(page, poll.process, django_user_model)
    page.goto(f"/processes/{poll.process.slug}/take-part/manage/")
    page.fill("#id_poll-question", "Mikä päivä sopii työpajalle?")
    page.fill("#id_poll-options", "Vain yksi vastaus")
    page.locator("#id_poll-options").locator("xpath=ancestor::form").locator(
        "button[type=submit]"
    ).click()
    page.wait_for_load_state()

    assert page.get_by_role("alert").count() == 1
    assert page.locator("#id_poll-options").input_value() == "Vain yksi vastaus"
    assert_accessible(page)


def test_take_part_page_with_poll(page, poll):
    page.goto(f"/processes/{poll.process.slug}/take-part/")

    assert page.locator("input[name=option]").count() == 3
    assert_accessible(page)


def test_take_part_after_answer(page, poll):
    page.goto(f"/processes/{poll.process.slug}/take-part/")
    page.get_by_label("Valaistusta").check()
    page.locator(f"#poll-{poll.pk} button[type=submit]").click()
    page.wait_for_load_state()

    assert page.locator(f"#poll-{poll.pk} table tbody tr").count() == 3
    assert page.locator("input[name=option]").count() == 0
    assert_accessible(page)
