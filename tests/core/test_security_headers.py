"""Content Security Policy and security headers on representative pages of the demo."""

import re

import pytest
from django.core.management import call_command
from django.test import override_settings
from django.urls import reverse
from django.utils import timezone

from osallistu.core import csp
from osallistu.implementation.models import ImplementationItem
from osallistu.participation.models import Idea, Process
from osallistu.programmes.models import Programme
from osallistu.selection.models import SelectionRound
from tests.budgeting.voting import identify, make_record
from tests.identity.saml_helpers import TEST_IDP_METADATA

pytestmark = pytest.mark.django_db

DEMO_PROCESS = "lahiobudjetti-esimerkki"
# <script> elements without src, inline event handlers, style attributes and elements, and
# javascript: URLs: each needs 'unsafe-inline', which the policy leaves out.
INLINE_PATTERNS = {
    "inline script": re.compile(r"<script(?![^>]*\bsrc=)[^>]*>", re.IGNORECASE),
    "event handler": re.compile(r"<[^>]+\son[a-z]+\s*=", re.IGNORECASE),
    "style attribute": re.compile(r"<[^>]+\sstyle\s*=", re.IGNORECASE),
    "style element": re.compile(r"<style[\s>]", re.IGNORECASE),
    "javascript: URL": re.compile(r"""=\s*["']?\s*javascript:""", re.IGNORECASE),
}


def _directives(header: str) -> dict[str, list[str]]:
    directives = {}
    for part in header.split(";"):
        name, *sources = part.split()
        directives[name] = sources
    return directives


@pytest.fixture
def demo_pages(client, django_user_model):
    """Return the demo's representative pages as (name, client, URL) triples."""
    call_command("load_demo")
    process = Process.objects.get(slug=DEMO_PROCESS)
    idea = Idea.objects.filter(process=process).first()
    area = process.budget_areas.get(slug="neulamaki")
    decided = SelectionRound.objects.get(status=SelectionRound.Status.DECIDED)
    programme = Programme.objects.get(suburb__slug="neulamaki")
    package = programme.project_packages.order_by("pk").first()
    item = ImplementationItem.objects.filter(is_public=True).order_by("pk").first()
    year = timezone.localdate().year
    voter_client = type(client)()
    identify(voter_client, make_record(process, postal_code=area.postal_codes[0]))
    staff_client = type(client)()
    staff_client.force_login(
        django_user_model.objects.create_superuser(email="admin@example.fi", password="x")
    )
    return [
        ("home", client, "/"),
        ("process", client, reverse("participation:process_detail", args=[process.slug])),
        (
            "idea",
            client,
            reverse("participation:idea_detail", args=[process.slug, idea.pk]),
        ),
        ("ballot", voter_client, reverse("budgeting:ballot_area", args=[process.slug, area.slug])),
        ("results", client, reverse("budgeting:results", args=[process.slug])),
        ("situational picture", client, reverse("areas:suburb_picture", args=["neulamaki"])),
        ("staff home", staff_client, reverse("staff_home")),
        ("sign-in", client, reverse("account_login")),
        ("embed", client, reverse("opendata:embed_process", args=[process.slug])),
        ("decisions", client, reverse("selection:decision_list")),
        ("proposal", client, reverse("selection:decision_proposal", args=[decided.pk])),
        ("programme", client, reverse("programmes:detail", args=[programme.slug])),
        (
            "project package",
            client,
            reverse("programmes:package_detail", args=[programme.slug, package.slug]),
        ),
        ("implementation list", client, reverse("implementation:list")),
        ("implementation item", client, reverse("implementation:item_detail", args=[item.pk])),
        ("surveys", client, reverse("surveys:index")),
        ("survey results", client, reverse("surveys:suburb_results", args=["neulamaki"])),
        ("report", client, reverse("reports:suburb", args=[year, "neulamaki"])),
        ("city report", client, reverse("reports:city", args=[year])),
        ("programme staff", staff_client, reverse("programmes:staff_overview")),
        ("communications", staff_client, reverse("communications:index")),
        ("feedback staff", staff_client, reverse("feedback:staff_sources")),
        ("implementation staff", staff_client, reverse("implementation:staff_list")),
        ("survey staff", staff_client, reverse("surveys:staff_rounds")),
        ("audit log", staff_client, reverse("audit:event_list")),
    ]


def test_pages_have_strict_policy(demo_pages):
    # One test fetches every page once, because loading the demo takes most of its time.
    for name, page_client, url in demo_pages:
        response = page_client.get(url)
        content = response.content.decode()
        directives = _directives(response["Content-Security-Policy"])

        assert response.status_code == 200, name
        assert directives["script-src"] == ["'self'"], name
        assert directives["style-src"] == ["'self'"], name
        assert directives["object-src"] == ["'none'"], name
        assert directives["base-uri"] == ["'self'"], name
        for kind, pattern in INLINE_PATTERNS.items():
            match = pattern.search(content)
            assert match is None, f"{name} page has an {kind}: {match and match.group(0)}"
        if name == "embed":
            assert directives["frame-ancestors"] == ["*"]
            assert "X-Frame-Options" not in response
        else:
            assert directives["frame-ancestors"] == ["'none'"], name
            assert response["X-Frame-Options"] == "DENY", name


def test_security_headers_on_front_page(client):
    response = client.get("/")

    assert response["X-Content-Type-Options"] == "nosniff"
    assert response["Referrer-Policy"] == "same-origin"
    assert response["Cross-Origin-Opener-Policy"] == "same-origin"


def test_plain_http_has_no_hsts(client):
    # Tests run without OSALLISTU_HTTPS, as `make run` does.
    response = client.get("/")

    assert response.status_code == 200
    assert "Strict-Transport-Security" not in response


@override_settings(
    SECURE_SSL_REDIRECT=True,
    SECURE_HSTS_SECONDS=31536000,
    SECURE_HSTS_INCLUDE_SUBDOMAINS=True,
    SESSION_COOKIE_SECURE=True,
)
def test_https_settings_redirect_and_send_hsts(client):
    assert client.get("/").status_code == 301

    response = client.get("/", secure=True)

    assert response["Strict-Transport-Security"] == "max-age=31536000; includeSubDomains"


def test_img_src_allows_tile_host():
    sources = csp.img_sources("https://tiles.example.fi:8443/{z}/{x}/{y}.png")

    assert sources == ["'self'", "data:", "https://tiles.example.fi:8443"]


def test_img_src_without_tiles():
    assert csp.img_sources("") == ["'self'", "data:"]


def test_form_action_includes_identity_providers():
    sources = csp.form_action_sources(
        oidc_issuers=["https://login.example.fi/realms/osallistu", ""],
        saml_metadata_file=str(TEST_IDP_METADATA),
        extra=["https://mpass-proxy.example.fi"],
    )

    assert sources[:3] == [
        "'self'",
        "https://login.example.fi",
        "https://mpass-proxy.example.fi",
    ]
    assert sources[3:] == ["https://testi.apro.tunnistus.fi"]


def test_form_action_with_missing_metadata():
    sources = csp.form_action_sources(
        oidc_issuers=[], saml_metadata_file="/nonexistent/metadata.xml", extra=[]
    )

    assert sources == ["'self'"]
