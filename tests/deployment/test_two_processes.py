"""Two gunicorn processes on one PostgreSQL database act as one service.

Sessions, cache and uploads live in shared stores, so any process can serve any request. These
tests sign in, upload and sign out through one process and check the result through the other.
"""

import io
import re

import pytest
from PIL import Image

from osallistu.participation.models import Idea, Phase

from .client import ProxyClient
from .conftest import running_app_server

pytestmark = [pytest.mark.postgresql, pytest.mark.django_db(transaction=True)]

PASSWORD = "Salasana-123"
_IMAGE_SRC = re.compile(r'<img src="(/media/[^"]+)"')
_STYLESHEET_HREF = re.compile(r'<link rel="stylesheet" href="(/static/[^"]+\.css)"')


@pytest.fixture
def ideation_process(make_process):
    return make_process(current=Phase.Kind.IDEATION, slug="ideointi")


def new_idea_path(process) -> str:
    return f"/processes/{process.slug}/ideas/new/"


def sign_in(client: ProxyClient, port: int, email: str) -> None:
    """Sign in through the sign-in form of the server on `port`."""
    form = client.get(port, "/accounts/login/")
    response = client.post(
        port,
        "/accounts/login/",
        {"login": email, "password": PASSWORD, "csrfmiddlewaretoken": form.csrf_token()},
    )
    assert response.status == 302, f"sign-in failed with HTTP {response.status}"
    assert "sessionid" in client.cookies


def assert_sent_to_sign_in(response) -> None:
    assert response.status == 302
    assert response.location.startswith("/accounts/login/")


def png_bytes() -> bytes:
    buffer = io.BytesIO()
    Image.new("RGB", (40, 30), (0, 85, 140)).save(buffer, format="PNG")
    return buffer.getvalue()


def test_session_anonymous_redirects(app_servers, ideation_process):
    _server_a, server_b = app_servers
    client = ProxyClient()

    response = client.get(server_b.port, new_idea_path(ideation_process))

    assert_sent_to_sign_in(response)


def test_session_valid_on_other(app_servers, ideation_process, resident):
    server_a, server_b = app_servers
    client = ProxyClient()

    sign_in(client, server_a.port, resident.email)
    response = client.get(server_b.port, new_idea_path(ideation_process))

    assert response.status == 200
    assert 'name="title"' in response.text


def test_session_sign_out_on_other(app_servers, ideation_process, resident):
    server_a, server_b = app_servers
    client = ProxyClient()
    sign_in(client, server_a.port, resident.email)
    signed_in_cookies = dict(client.cookies)

    form = client.get(server_a.port, new_idea_path(ideation_process))
    response = client.post(
        server_a.port, "/accounts/logout/", {"csrfmiddlewaretoken": form.csrf_token()}
    )
    assert response.status == 302
    # Replaying the old session cookie must not work: the session ended in the shared store.
    client.cookies = signed_in_cookies
    response = client.get(server_b.port, new_idea_path(ideation_process))

    assert_sent_to_sign_in(response)


def test_session_other_secret_key(
    app_servers, production_env, ideation_process, resident, tmp_path
):
    server_a, _server_b = app_servers
    client = ProxyClient()
    sign_in(client, server_a.port, resident.email)
    env = {**production_env, "SECRET_KEY": "a-different-secret"}

    with running_app_server("C", env, tmp_path) as server_c:
        response = client.get(server_c.port, new_idea_path(ideation_process))

    assert_sent_to_sign_in(response)


def test_upload_served_by_other(app_servers, ideation_process, resident):
    server_a, server_b = app_servers
    client = ProxyClient()
    sign_in(client, server_a.port, resident.email)
    image = png_bytes()

    form = client.get(server_a.port, new_idea_path(ideation_process))
    response = client.post(
        server_a.port,
        new_idea_path(ideation_process),
        {
            "title": "Penkkejä puistoon",
            "description": "Lähipuistoon lisää penkkejä ikääntyneille.",
            "suburb": "",
            "csrfmiddlewaretoken": form.csrf_token(),
        },
        files={"image": ("penkki.png", "image/png", image)},
    )
    assert response.status == 302, f"the idea form was rejected (HTTP {response.status})"
    idea = Idea.objects.get(process=ideation_process)
    assert response.location.endswith(f"/ideas/{idea.pk}/")
    assert idea.author == resident

    page = client.get(server_b.port, response.location)
    assert page.status == 200
    image_url = _IMAGE_SRC.search(page.text)
    assert image_url, "the idea page shows no uploaded image"
    served = client.get(server_b.port, image_url.group(1))

    assert served.status == 200
    assert served.headers["Content-Type"] == "image/png"
    assert served.body == image


def test_media_missing_file(app_servers):
    _server_a, server_b = app_servers

    response = ProxyClient().get(server_b.port, "/media/ideas/2024/missing.png")

    assert response.status == 404


def test_static_files_from_manifest(app_servers):
    _server_a, server_b = app_servers
    client = ProxyClient()

    page = client.get(server_b.port, "/")
    assert page.status == 200
    stylesheet = _STYLESHEET_HREF.search(page.text)
    assert stylesheet, "the front page links no stylesheet under /static/"
    response = client.get(server_b.port, stylesheet.group(1))

    # The manifest storage gives each file a content-hashed name, such as site.3f2a9c0b1d4e.css.
    assert re.search(r"/site\.[0-9a-f]{12}\.css$", stylesheet.group(1))
    assert response.status == 200
    assert response.headers["Content-Type"].startswith("text/css")
