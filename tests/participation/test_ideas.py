"""Idea pages: submitting, showing, editing, withdrawing and staff decisions."""

import datetime
import re
from decimal import Decimal

import pytest
from django.urls import reverse

from osallistu.accounts.models import RoleAssignment, ServiceArea
from osallistu.moderation.models import AccountBlock
from osallistu.notifications.models import Notification
from osallistu.organisations.models import Membership, Organisation
from osallistu.participation.models import Idea, IdeaImage, Phase, Theme, Visibility

from .ideas_support import (
    POINT_IN_NEULAMAKI,
    default_language_fixture,  # noqa: F401
    idea_url,
    ideation_process_fixture,  # noqa: F401
    make_idea,
    media_root_fixture,  # noqa: F401
    suburb_fixture,  # noqa: F401
    theme_fixture,  # noqa: F401
    upload,
    voting_process_fixture,  # noqa: F401
)

pytestmark = pytest.mark.django_db


def full_form(**overrides) -> dict:
    data = {"title": "Penkki puistoon", "description": "Puistoon tarvitaan penkki."}
    return {**data, **overrides}


@pytest.fixture
def organisation(resident):
    organisation = Organisation.objects.create(name="Neulamäki-seura", slug="neulamaki-seura")
    Membership.objects.create(organisation=organisation, user=resident)
    return organisation


@pytest.fixture
def evaluator(django_user_model, ideation_process):
    user = django_user_model.objects.create_user(email="arvioija@example.fi", password="x")
    area = ServiceArea.objects.create(name="Kaupunkiympäristö", slug="kyp")
    RoleAssignment.objects.create(user=user, role=RoleAssignment.Role.EVALUATOR, service_area=area)
    return user


def end_ideation(process, today) -> None:
    process.phases.filter(kind=Phase.Kind.IDEATION).update(
        starts_on=today - datetime.timedelta(days=30), ends_on=today - datetime.timedelta(days=2)
    )


# Submitting


def test_process_page_links_idea_form(ideation_process, client):
    response = client.get(reverse("participation:process_detail", args=["ideointi"]))
    content = response.content.decode()
    assert response.status_code == 200
    assert 'aria-current="step"' in content
    assert idea_url("idea_create", ideation_process) in content


def test_unknown_process_is_404(client, db):
    response = client.get(reverse("participation:process_detail", args=["ei-ole"]))
    assert response.status_code == 404


def test_form_requires_sign_in(ideation_process, client):
    response = client.get(idea_url("idea_create", ideation_process))
    assert response.status_code == 302
    assert reverse("account_login") in response["Location"]


def test_submission_stores_every_field(
    ideation_process, suburb, theme, organisation, resident, client
):
    client.force_login(resident)
    response = client.post(
        idea_url("idea_create", ideation_process),
        full_form(
            suburb=suburb.pk,
            theme=theme.pk,
            organisation=organisation.pk,
            location_text="Neulamäen puisto",
            latitude=POINT_IN_NEULAMAKI[0],
            longitude=POINT_IN_NEULAMAKI[1],
            cost_estimate="1 500,50 €",
            image=upload("penkki.png"),
            more_images=[upload("toinen.png"), upload("kolmas.png")],
        ),
    )

    idea = Idea.objects.get()
    assert response.status_code == 302
    assert response["Location"] == idea_url("idea_detail", ideation_process, idea)
    assert idea.author == resident
    assert idea.suburb == suburb
    assert idea.theme == theme
    assert idea.organisation == organisation
    assert idea.location_text == "Neulamäen puisto"
    assert idea.latitude == Decimal("62.885000")
    assert idea.longitude == Decimal("27.590000")
    assert idea.cost_estimate == Decimal("1500.50")
    assert idea.channel == "online"
    assert idea.visibility == Visibility.VISIBLE
    assert idea.image.name.endswith(".png")
    assert idea.images.count() == 2


def test_submission_minimal(ideation_process, resident, client):
    client.force_login(resident)
    response = client.post(idea_url("idea_create", ideation_process), full_form())
    idea = Idea.objects.get()
    assert response.status_code == 302
    assert idea.theme is None
    assert idea.latitude is None
    assert not idea.image


def test_submission_pending_under_premoderation(ideation_process, resident, client):
    ideation_process.premoderation = True
    ideation_process.save()
    client.force_login(resident)
    response = client.post(idea_url("idea_create", ideation_process), full_form())
    idea = Idea.objects.get()
    assert idea.visibility == Visibility.PENDING
    page = client.get("/en" + response["Location"]).content.decode()
    assert "This idea is waiting for moderation." in page
    client.logout()
    assert client.get(response["Location"]).status_code == 404
    listing = client.get(idea_url("idea_list", ideation_process)).content.decode()
    assert "Penkki puistoon" not in listing


def test_submission_closed_outside_ideation(voting_process, resident, client):
    client.force_login(resident)
    url = idea_url("idea_create", voting_process)
    assert client.get(url).status_code == 403
    assert client.post(url, full_form()).status_code == 403
    assert Idea.objects.count() == 0


def test_blocked_account_cannot_submit(ideation_process, resident, other_resident, client):
    AccountBlock.objects.create(user=resident, reason="Häirintä", blocked_by=other_resident)
    client.force_login(resident)
    url = idea_url("idea_create", ideation_process)
    assert client.get(url).status_code == 403
    assert client.post(url, full_form()).status_code == 403
    assert Idea.objects.count() == 0


def test_form_offers_only_own_organisations(ideation_process, organisation, resident, client):
    Organisation.objects.create(name="Muu seura", slug="muu-seura")
    client.force_login(resident)
    content = client.get(idea_url("idea_create", ideation_process)).content.decode()
    assert "Neulamäki-seura" in content
    assert "Muu seura" not in content


def test_form_hides_organisation_without_memberships(ideation_process, resident, client):
    Organisation.objects.create(name="Muu seura", slug="muu-seura")
    client.force_login(resident)
    content = client.get(idea_url("idea_create", ideation_process)).content.decode()
    assert 'name="organisation"' not in content


def test_other_organisation_is_rejected(ideation_process, organisation, resident, client):
    other = Organisation.objects.create(name="Muu seura", slug="muu-seura")
    client.force_login(resident)
    response = client.post(
        idea_url("idea_create", ideation_process), full_form(organisation=other.pk)
    )
    assert response.status_code == 200
    assert response.context["form"].has_error("organisation", "invalid_choice")
    assert Idea.objects.count() == 0


def test_form_offers_only_accepted_themes(ideation_process, theme, resident, client):
    Theme.objects.create(process=ideation_process, title="Ehdotettu teema")
    client.force_login(resident)
    content = client.get(idea_url("idea_create", ideation_process)).content.decode()
    assert "Lähipalvelut" in content
    assert "Ehdotettu teema" not in content


# Showing


def test_detail_shows_facts_map_and_images(
    ideation_process, suburb, theme, organisation, resident, client
):
    idea = make_idea(
        ideation_process,
        author=resident,
        suburb=suburb,
        theme=theme,
        organisation=organisation,
        location_text="Neulamäen puisto",
        latitude=Decimal(POINT_IN_NEULAMAKI[0]),
        longitude=Decimal(POINT_IN_NEULAMAKI[1]),
        cost_estimate=Decimal("2500"),
        image="ideas/2026/penkki.png",
    )
    IdeaImage.objects.create(idea=idea, image="ideas/2026/toinen.png", alt_text="Puiston penkki")
    content = client.get(idea_url("idea_detail", ideation_process, idea)).content.decode()
    assert "Lähipalvelut" in content
    assert "Neulamäki" in content
    assert "Neulamäki-seura" in content
    assert "Neulamäen puisto" in content
    assert "62,885" in content
    assert "62,885000" not in content
    assert "27,59" in content
    assert re.search(r"2\s500", content)
    assert '<svg xmlns="http://www.w3.org/2000/svg"' in content
    assert 'role="img" aria-labelledby="idea-map-title idea-map-desc"' in content
    assert '<img src="/media/ideas/2026/penkki.png" alt="' in content
    assert 'alt="Puiston penkki"' in content


def test_detail_without_point_has_no_map(ideation_process, client):
    idea = make_idea(ideation_process)
    content = client.get(idea_url("idea_detail", ideation_process, idea)).content.decode()
    assert "<svg" not in content


def test_hidden_idea_shows_reason_only(ideation_process, client):
    idea = make_idea(
        ideation_process,
        title="Loukkaava otsikko",
        description="Loukkaava kuvaus",
        visibility=Visibility.HIDDEN,
        hidden_reason="Sisältää henkilökohtaisuuksia.",
    )
    response = client.get(idea_url("idea_detail", ideation_process, idea))
    content = response.content.decode()
    assert response.status_code == 200
    assert "Sisältää henkilökohtaisuuksia." in content
    assert "Loukkaava otsikko" not in content
    assert "Loukkaava kuvaus" not in content


def test_detail_includes_comments(ideation_process, client):
    visible = make_idea(ideation_process)
    hidden = make_idea(ideation_process, visibility=Visibility.HIDDEN, hidden_reason="Asiaton.")
    content = client.get(idea_url("idea_detail", ideation_process, visible)).content.decode()
    assert 'id="comments"' in content
    content = client.get(idea_url("idea_detail", ideation_process, hidden)).content.decode()
    assert 'id="comments"' not in content


def test_withdrawn_idea_is_gone(ideation_process, resident, client):
    idea = make_idea(
        ideation_process, author=resident, title="Peruttu", status=Idea.Status.WITHDRAWN
    )
    listing = client.get(idea_url("idea_list", ideation_process))
    assert "Peruttu" not in listing.content.decode()
    detail = client.get(idea_url("idea_detail", ideation_process, idea))
    assert detail.status_code == 404


def test_idea_of_other_process_is_404(ideation_process, voting_process, client):
    idea = make_idea(voting_process)
    response = client.get(idea_url("idea_detail", ideation_process, idea))
    assert response.status_code == 404


def test_stored_markup_is_escaped(ideation_process, client):
    # Staff imports and older rows bypass the form, so the page escapes whatever is stored.
    idea = make_idea(
        ideation_process,
        title="<script>alert(1)</script>",
        description="<img src=x onerror=alert(2)>",
        location_text="<b>paikka</b>",
        latitude=Decimal(POINT_IN_NEULAMAKI[0]),
        longitude=Decimal(POINT_IN_NEULAMAKI[1]),
    )
    for url in (
        idea_url("idea_detail", ideation_process, idea),
        idea_url("idea_list", ideation_process),
    ):
        content = client.get(url).content.decode()
        assert "<script>alert(1)</script>" not in content, url
        assert "&lt;script&gt;alert(1)&lt;/script&gt;" in content, url
        assert "<img src=x" not in content, url
    detail = client.get(idea_url("idea_detail", ideation_process, idea)).content.decode()
    assert "<b>paikka</b>" not in detail
    assert "&lt;b&gt;paikka&lt;/b&gt;" in detail


def test_author_sees_edit_and_withdraw(ideation_process, resident, other_resident, client):
    idea = make_idea(ideation_process, author=resident)
    edit_url = idea_url("idea_update", ideation_process, idea)
    withdraw_url = idea_url("idea_withdraw", ideation_process, idea)
    client.force_login(resident)
    content = client.get(idea_url("idea_detail", ideation_process, idea)).content.decode()
    assert edit_url in content
    assert withdraw_url in content
    client.force_login(other_resident)
    content = client.get(idea_url("idea_detail", ideation_process, idea)).content.decode()
    assert edit_url not in content
    assert withdraw_url not in content


def test_edit_link_gone_after_ideation(ideation_process, resident, client, today):
    idea = make_idea(ideation_process, author=resident)
    end_ideation(ideation_process, today)
    client.force_login(resident)
    content = client.get(idea_url("idea_detail", ideation_process, idea)).content.decode()
    assert idea_url("idea_update", ideation_process, idea) not in content
    assert idea_url("idea_withdraw", ideation_process, idea) in content


# Editing


def test_edit_form_shows_current_values(ideation_process, suburb, resident, client):
    idea = make_idea(
        ideation_process,
        author=resident,
        suburb=suburb,
        location_text="Neulamäen puisto",
        latitude=Decimal(POINT_IN_NEULAMAKI[0]),
        longitude=Decimal(POINT_IN_NEULAMAKI[1]),
    )
    client.force_login(resident)
    content = client.get(idea_url("idea_update", ideation_process, idea)).content.decode()
    assert 'value="Penkki puistoon"' in content
    assert 'value="Neulamäen puisto"' in content
    assert "62.885" in content


def test_edit_saves_changes(ideation_process, resident, client):
    idea = make_idea(ideation_process, author=resident)
    client.force_login(resident)
    response = client.post(
        idea_url("idea_update", ideation_process, idea),
        full_form(title="Kaksi penkkiä", cost_estimate="800"),
    )
    idea.refresh_from_db()
    assert response.status_code == 302
    assert idea.title == "Kaksi penkkiä"
    assert idea.cost_estimate == Decimal("800")


def test_edit_by_other_user_is_forbidden(ideation_process, resident, other_resident, client):
    idea = make_idea(ideation_process, author=resident)
    client.force_login(other_resident)
    url = idea_url("idea_update", ideation_process, idea)
    assert client.get(url).status_code == 403
    assert client.post(url, full_form(title="Kaapattu")).status_code == 403
    idea.refresh_from_db()
    assert idea.title == "Penkki puistoon"


def test_edit_after_ideation_is_forbidden(ideation_process, resident, client, today):
    idea = make_idea(ideation_process, author=resident)
    end_ideation(ideation_process, today)
    client.force_login(resident)
    response = client.post(
        idea_url("idea_update", ideation_process, idea), full_form(title="Myöhässä")
    )
    assert response.status_code == 403
    idea.refresh_from_db()
    assert idea.title == "Penkki puistoon"


def test_edit_of_decided_idea_is_forbidden(ideation_process, resident, client):
    idea = make_idea(ideation_process, author=resident, status=Idea.Status.ACCEPTED)
    client.force_login(resident)
    assert client.get(idea_url("idea_update", ideation_process, idea)).status_code == 403


def test_edit_replaces_and_removes_image(
    ideation_process, resident, client, django_capture_on_commit_callbacks
):
    idea = make_idea(ideation_process, author=resident)
    client.force_login(resident)
    url = idea_url("idea_update", ideation_process, idea)
    client.post(url, full_form(image=upload("uusi.png")))
    idea.refresh_from_db()
    first = idea.image.name
    storage = idea.image.storage
    assert first.endswith(".png")
    assert storage.exists(first)
    content = client.get(url).content.decode()
    assert 'name="remove_image"' in content

    with django_capture_on_commit_callbacks(execute=True):
        client.post(url, full_form(image=upload("uudempi.png")))
    idea.refresh_from_db()
    second = idea.image.name
    assert second != first
    assert not storage.exists(first)

    with django_capture_on_commit_callbacks(execute=True):
        client.post(url, full_form(remove_image="on"))
    idea.refresh_from_db()
    assert not idea.image
    assert not storage.exists(second)


def test_edit_under_premoderation_waits_again(ideation_process, resident, client):
    ideation_process.premoderation = True
    ideation_process.save()
    idea = make_idea(ideation_process, author=resident)
    client.force_login(resident)
    client.post(idea_url("idea_update", ideation_process, idea), full_form(title="Muutettu"))
    idea.refresh_from_db()
    assert idea.visibility == Visibility.PENDING


# Withdrawing


def test_withdraw_asks_then_withdraws(ideation_process, resident, client):
    idea = make_idea(ideation_process, author=resident)
    client.force_login(resident)
    url = idea_url("idea_withdraw", ideation_process, idea)
    confirm = client.get(url)
    assert confirm.status_code == 200
    idea.refresh_from_db()
    assert idea.status == Idea.Status.PUBLISHED
    response = client.post(url)
    idea.refresh_from_db()
    assert response.status_code == 302
    assert response["Location"] == idea_url("idea_list", ideation_process)
    assert idea.status == Idea.Status.WITHDRAWN


def test_withdraw_by_other_user_is_forbidden(ideation_process, resident, other_resident, client):
    idea = make_idea(ideation_process, author=resident)
    client.force_login(other_resident)
    response = client.post(idea_url("idea_withdraw", ideation_process, idea))
    idea.refresh_from_db()
    assert response.status_code == 403
    assert idea.status == Idea.Status.PUBLISHED


def test_withdraw_of_accepted_idea_is_forbidden(ideation_process, resident, client):
    idea = make_idea(ideation_process, author=resident, status=Idea.Status.ACCEPTED)
    client.force_login(resident)
    response = client.post(idea_url("idea_withdraw", ideation_process, idea))
    idea.refresh_from_db()
    assert response.status_code == 403
    assert idea.status == Idea.Status.ACCEPTED


# Staff decisions


def test_status_form_only_for_staff(ideation_process, evaluator, resident, client):
    idea = make_idea(ideation_process, author=resident)
    status_url = idea_url("idea_status", ideation_process, idea)
    client.force_login(resident)
    content = client.get(idea_url("idea_detail", ideation_process, idea)).content.decode()
    assert status_url not in content
    assert client.post(status_url, {"decision-status": "accepted"}).status_code == 403
    client.force_login(evaluator)
    content = client.get(idea_url("idea_detail", ideation_process, idea)).content.decode()
    assert status_url in content


def test_status_change_notifies_author(
    ideation_process, evaluator, resident, client, django_capture_on_commit_callbacks
):
    resident.language = "en"
    resident.save()
    idea = make_idea(ideation_process, author=resident)
    client.force_login(evaluator)
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(
            idea_url("idea_status", ideation_process, idea),
            {"decision-status": "declined", "decision-reason": "Ei kaupungin maalla."},
        )
    idea.refresh_from_db()
    assert response.status_code == 302
    assert idea.status == Idea.Status.DECLINED
    notification = Notification.objects.get()
    assert notification.user == resident
    assert "declined" in notification.message
    assert "Ei kaupungin maalla." in notification.message
    # The link opens the page in the author's language.
    assert notification.url == "/en" + idea_url("idea_detail", ideation_process, idea)
