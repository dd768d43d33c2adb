"""Privacy notices: built-in texts, staff edits and links where data is collected."""

import pytest
from django.urls import reverse
from django.utils import translation

from osallistu.privacy.models import PrivacyNotice, Processing
from osallistu.privacy.retention import kind

pytestmark = pytest.mark.django_db


@pytest.mark.parametrize("processing", Processing.values)
@pytest.mark.parametrize("language", ["fi", "sv", "en"])
def test_notice_page_sections(client, processing, language):
    prefix = "" if language == "fi" else f"/{language}"
    with translation.override(language):
        headings = [
            translation.gettext(text)
            for text in ("Controller", "Purpose", "Legal basis", "How long the data is kept")
        ]

    response = client.get(f"{prefix}/privacy/{processing}/")
    page = response.content.decode()

    assert response.status_code == 200
    for heading in headings:
        assert f"<h2>{heading}</h2>" in page


def test_notice_quotes_retention_setting(client, settings):
    settings.OSALLISTU_RETENTION_DAYS = {"identity_digests": 61}

    with translation.override("en"):
        page = client.get("/en/privacy/voting/").content.decode()

    assert kind("identity_digests").days == 61
    assert "61 days" in page


def test_unknown_processing_not_found(client):
    assert client.get("/privacy/unknown/").status_code == 404


def test_staff_edit_replaces_text(client, administrator):
    client.force_login(administrator)

    response = client.post(
        reverse("privacy:notice_edit", args=["voting"]),
        {"text_fi": "Oma seloste äänestyksestä.", "text_sv": "", "text_en": ""},
    )

    assert response.status_code == 302
    assert "Oma seloste äänestyksestä." in client.get("/privacy/voting/").content.decode()
    # Swedish is empty, so the built-in Swedish notice is shown.
    assert "Oma seloste" not in client.get("/sv/privacy/voting/").content.decode()
    assert PrivacyNotice.objects.get(processing="voting").updated_by == administrator


def test_staff_edit_forbidden_for_resident(client, resident):
    client.force_login(resident)

    response = client.post(
        reverse("privacy:notice_edit", args=["voting"]),
        {"text_fi": "x", "text_sv": "", "text_en": ""},
    )

    assert response.status_code == 403
    assert not PrivacyNotice.objects.exists()


@pytest.mark.parametrize(
    ("url", "processing"),
    [
        ("/accounts/signup/", "accounts"),
        ("/accessibility/feedback/", "feedback"),
    ],
)
def test_forms_link_notice(client, url, processing):
    page = client.get(url).content.decode()

    assert reverse("privacy:notice", args=[processing]) in page


def test_idea_form_links_notice(client, resident, make_process):
    from osallistu.participation.models import Phase

    process = make_process(current=Phase.Kind.IDEATION)
    client.force_login(resident)

    page = client.get(reverse("participation:idea_create", kwargs={"slug": process.slug}))

    assert reverse("privacy:notice", args=["participation"]) in page.content.decode()
