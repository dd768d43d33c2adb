"""The accessibility statement, the feedback form and the staff's feedback list."""

import datetime

import pytest
from django.urls import reverse
from django.utils import timezone, translation

from osallistu.accessibility.models import Feedback, StatementDetails
from osallistu.accounts.models import RoleAssignment

pytestmark = pytest.mark.django_db


@pytest.fixture
def details():
    return StatementDetails.objects.create(
        compliance=StatementDetails.Compliance.PARTIAL,
        known_issues_fi="Karttojen värit eivät erotu tulosteessa.",
        known_issues_sv="Kartornas färger syns inte i utskrift.",
        prepared_on=datetime.date(2026, 11, 1),
        reviewed_on=datetime.date(2026, 12, 1),
        contact_email="saavutettavuus@kuopio.example",
    )


@pytest.fixture
def coordinator(django_user_model):
    user = django_user_model.objects.create_user(email="koordinaattori@example.fi", password="x")
    RoleAssignment.objects.create(user=user, role=RoleAssignment.Role.COORDINATOR)
    return user


@pytest.mark.parametrize("language", ["fi", "sv", "en"])
def test_statement_has_required_sections(client, details, language):
    prefix = "" if language == "fi" else f"/{language}"
    with translation.override(language):
        headings = [
            translation.gettext("Compliance status"),
            translation.gettext("Content that is not accessible"),
            translation.gettext("How this statement was prepared"),
            translation.gettext("Feedback and contact information"),
            translation.gettext("Enforcement procedure"),
        ]
    response = client.get(f"{prefix}/accessibility/")
    page = response.content.decode()

    assert response.status_code == 200
    assert f'<html lang="{language}">' in page
    for heading in headings:
        assert f"<h2>{heading}</h2>" in page
    assert "saavutettavuus@traficom.fi" in page
    assert "1.12.2026" in page
    assert reverse("accessibility:feedback") in page


def test_statement_shows_gaps_in_language(client, details):
    assert "Karttojen värit" in client.get("/accessibility/").content.decode()
    assert "Kartornas färger" in client.get("/sv/accessibility/").content.decode()
    # English falls back to Finnish where staff wrote no English text.
    assert "Karttojen värit" in client.get("/en/accessibility/").content.decode()


def test_statement_without_details(client):
    with translation.override("en"):
        page = client.get("/en/accessibility/").content.decode()

    assert "has not been assessed yet" in page


def test_footer_links_statement(client):
    page = client.get("/").content.decode()

    assert reverse("accessibility:statement") in page
    assert reverse("accessibility:feedback") in page


def test_feedback_stored(client):
    response = client.post(
        reverse("accessibility:feedback"),
        {
            "page_address": "/areas/",
            "message": "Kartta ei toimi ruudunlukijalla.",
            "contact_email": "",
        },
    )

    assert response.status_code == 302
    feedback = Feedback.objects.get()
    assert feedback.message == "Kartta ei toimi ruudunlukijalla."
    assert feedback.language == "fi"
    assert feedback.answered_at is None


def test_feedback_error_keeps_input(client):
    response = client.post(
        reverse("accessibility:feedback"),
        {"page_address": "/areas/", "message": "", "contact_email": "ei-osoite"},
    )
    page = response.content.decode()

    assert response.status_code == 200
    assert Feedback.objects.count() == 0
    assert 'value="/areas/"' in page
    assert 'value="ei-osoite"' in page
    assert 'class="error-summary"' in page


def test_feedback_form_prefills_page(client):
    page = client.get(reverse("accessibility:feedback") + "?page=/events/").content.decode()

    assert 'value="/events/"' in page


def test_staff_list_forbidden_for_resident(client, resident):
    client.force_login(resident)

    assert client.get(reverse("accessibility:staff_feedback")).status_code == 403


def test_staff_list_shows_age_and_overdue(client, coordinator):
    old = Feedback.objects.create(message="Vanha palaute", language="fi")
    Feedback.objects.filter(pk=old.pk).update(
        created_at=timezone.now() - datetime.timedelta(days=20)
    )
    Feedback.objects.create(message="Uusi palaute", language="fi")
    client.force_login(coordinator)

    with translation.override("en"):
        page = client.get("/en/accessibility/staff/feedback/").content.decode()

    assert "Vanha palaute" in page
    assert "Uusi palaute" in page
    assert "20 days" in page
    assert "0 days" in page
    assert page.count("Overdue") == 1


def test_staff_list_query_count(client, coordinator, django_assert_max_num_queries):
    Feedback.objects.bulk_create(
        Feedback(message=f"Palaute {number}", language="fi") for number in range(30)
    )
    client.force_login(coordinator)

    with django_assert_max_num_queries(12):
        response = client.get(reverse("accessibility:staff_feedback"))

    assert response.status_code == 200


def test_mark_answered(client, coordinator):
    feedback = Feedback.objects.create(message="Palaute", language="fi")
    client.force_login(coordinator)

    client.post(
        reverse("accessibility:mark_answered", args=[feedback.pk]),
        {"answer_note": "Vastattu sähköpostilla."},
    )
    feedback.refresh_from_db()

    assert feedback.answered_at is not None
    assert feedback.answered_by == coordinator
    assert feedback.answer_note == "Vastattu sähköpostilla."


def test_mark_answered_twice_rejected(client, coordinator):
    feedback = Feedback.objects.create(message="Palaute", language="fi")
    client.force_login(coordinator)
    url = reverse("accessibility:mark_answered", args=[feedback.pk])
    client.post(url, {"answer_note": "Ensimmäinen"})

    client.post(url, {"answer_note": "Toinen"})
    feedback.refresh_from_db()

    assert feedback.answer_note == "Ensimmäinen"


def test_mark_answered_forbidden_for_resident(client, resident):
    feedback = Feedback.objects.create(message="Palaute", language="fi")
    client.force_login(resident)

    response = client.post(
        reverse("accessibility:mark_answered", args=[feedback.pk]), {"answer_note": "x"}
    )

    assert response.status_code == 403
    feedback.refresh_from_db()
    assert feedback.answered_at is None
