"""Front page, languages, theme, uploaded-file serving and settings guards."""

import os
import subprocess
import sys

import pytest
from django.core.files.base import ContentFile
from django.core.files.storage import default_storage
from django.urls import reverse

from tests.conftest import REPO_ROOT

pytestmark = pytest.mark.django_db


def test_front_page_is_finnish_by_default(client):
    response = client.get("/")
    content = response.content.decode()
    assert response.status_code == 200
    assert '<html lang="fi">' in content
    assert "Siirry sisältöön" in content


@pytest.mark.parametrize(
    ("prefix", "lang", "skip_text"),
    [
        ("/sv/", "sv", "Hoppa till innehållet"),
        ("/en/", "en", "Skip to content"),
    ],
)
def test_front_page_in_other_languages(client, prefix, lang, skip_text):
    content = client.get(prefix).content.decode()
    assert f'<html lang="{lang}">' in content
    assert skip_text in content


def test_language_switcher_redirects_to_translated_page(client):
    response = client.post(reverse("set_language"), {"language": "sv", "next": "/processes/"})
    assert response.status_code == 302
    assert response["Location"] == "/sv/processes/"


@pytest.mark.parametrize(
    ("language", "next_url", "expected"),
    [
        ("fi", "/sv/processes/", "/processes/"),
        ("en", "/sv/areas/", "/en/areas/"),
        ("sv", "/en/", "/sv/"),
        ("fi", "/en/", "/"),
    ],
)
def test_language_switcher_from_any_language(client, language, next_url, expected):
    response = client.post(reverse("set_language"), {"language": language, "next": next_url})
    assert response.status_code == 302
    assert response["Location"] == expected


def test_language_switcher_offers_three_languages(client):
    content = client.get("/").content.decode()
    for code in ("fi", "sv", "en"):
        assert f'value="{code}"' in content


def test_theme_css_uses_configured_colour(client, settings):
    settings.OSALLISTU_PRIMARY_COLOR = "#123456"
    response = client.get(reverse("theme_css"))
    assert response["Content-Type"].startswith("text/css")
    assert "--city-primary: #123456" in response.content.decode()


def test_theme_css_ignores_invalid_colour(client, settings):
    settings.OSALLISTU_PRIMARY_COLOR = "red; background: url(x)"
    content = client.get(reverse("theme_css")).content.decode()
    assert "url(" not in content


def test_media_view_serves_stored_file(client, settings, tmp_path):
    settings.MEDIA_ROOT = str(tmp_path)
    name = default_storage.save("ideas/test.txt", ContentFile(b"hello"))
    response = client.get(f"/media/{name}")
    assert response.status_code == 200
    assert b"".join(response.streaming_content) == b"hello"
    assert response["X-Content-Type-Options"] == "nosniff"


@pytest.mark.parametrize("name", ["../settings.py", "ideas/../../x", "missing.png"])
def test_media_view_rejects_bad_paths(client, settings, tmp_path, name):
    settings.MEDIA_ROOT = str(tmp_path)
    response = client.get(f"/media/{name}")
    assert response.status_code == 404


def test_settings_require_secret_key_without_debug():
    environment = {k: v for k, v in os.environ.items() if k not in {"SECRET_KEY", "DEBUG"}}
    environment["DEBUG"] = "0"
    result = subprocess.run(
        [sys.executable, "-c", "import django; from django.conf import settings; settings.DEBUG"],
        env={**environment, "DJANGO_SETTINGS_MODULE": "osallistu.settings"},
        cwd=REPO_ROOT,
        capture_output=True,
        text=True,
        check=False,
    )
    assert result.returncode != 0
    assert "SECRET_KEY is required when DEBUG is off" in result.stderr


@pytest.mark.parametrize("path", ["osallistu/css/site.css", "osallistu/js/ballot.js"])
def test_site_assets_are_found(path):
    from django.contrib.staticfiles import finders

    assert finders.find(path) is not None


def test_server_timing_header(client):
    response = client.get("/")
    assert response["Server-Timing"].startswith("app;dur=")


def test_not_found_page_in_site_layout(client, settings):
    settings.DEBUG = False
    response = client.get("/ei-ole-tallaista-sivua/")
    content = response.content.decode()
    assert response.status_code == 404
    assert '<html lang="fi">' in content
    assert "Sivua ei löydy" in content


def test_server_error_page_needs_no_context():
    from django.template.loader import render_to_string

    assert "Palvelussa tapahtui virhe" in render_to_string("500.html")
