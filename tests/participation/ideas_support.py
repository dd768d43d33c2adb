"""Fixtures and helpers of the idea tests: processes in ideation, images and idea rows.

A test module imports the `*_fixture` functions it needs so that pytest finds them. Each one
registers its fixture under the name without the suffix, so test arguments do not shadow the
imported names.
"""

import io

import pytest
from django.conf import settings
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from django.utils import translation
from PIL import Image

from osallistu.areas.models import PostalArea, Suburb
from osallistu.participation.models import Idea, Phase, Theme

# A simplified square around Neulamäki in Kuopio, WGS84; the point below lies inside it.
NEULAMAKI_SQUARE = {
    "type": "Polygon",
    "coordinates": [
        [[27.55, 62.87], [27.63, 62.87], [27.63, 62.90], [27.55, 62.90], [27.55, 62.87]]
    ],
}
POINT_IN_NEULAMAKI = ("62.885", "27.59")


def image_bytes(image_format: str = "PNG", size=(8, 8), **save_options) -> bytes:
    buffer = io.BytesIO()
    mode = "RGB"
    Image.new(mode, size, (0, 85, 140)).save(buffer, format=image_format, **save_options)
    return buffer.getvalue()


def upload(name: str = "kuva.png", content: bytes | None = None, content_type="image/png"):
    return SimpleUploadedFile(name, image_bytes() if content is None else content, content_type)


def idea_url(name: str, process, idea=None) -> str:
    args = [process.slug] if idea is None else [process.slug, idea.pk]
    return reverse(f"participation:{name}", args=args)


def make_idea(process, **fields) -> Idea:
    defaults = {"title": "Penkki puistoon", "description": "Puistoon tarvitaan penkki."}
    return Idea.objects.create(process=process, **{**defaults, **fields})


@pytest.fixture(autouse=True, name="default_language")
def default_language_fixture():
    """Start each test in the default language.

    LocaleMiddleware leaves the language of the last request active in the thread, so a request
    to an /en/ page in one test would otherwise make reverse() add /en/ in the next.
    """
    with translation.override(settings.LANGUAGE_CODE):
        yield


@pytest.fixture(autouse=True, name="media_root")
def media_root_fixture(settings, tmp_path):
    """Store the uploads of each test in its own temporary folder."""
    settings.MEDIA_ROOT = tmp_path / "media"
    return settings.MEDIA_ROOT


@pytest.fixture(name="ideation_process")
def ideation_process_fixture(make_process):
    """Return a process in ideation with one suburb, Neulamäki, whose postal area has a polygon."""
    process = make_process(current=Phase.Kind.IDEATION, slug="ideointi")
    area = PostalArea.objects.create(code="70150", name="Neulamäki", geometry=NEULAMAKI_SQUARE)
    suburb = Suburb.objects.create(name="Neulamäki", slug="neulamaki")
    suburb.postal_areas.add(area)
    process.suburbs.add(suburb)
    return process


@pytest.fixture(name="suburb")
def suburb_fixture(ideation_process):
    return ideation_process.suburbs.get()


@pytest.fixture(name="theme")
def theme_fixture(ideation_process):
    return Theme.objects.create(
        process=ideation_process, title="Lähipalvelut", status=Theme.Status.ACCEPTED
    )


@pytest.fixture(name="voting_process")
def voting_process_fixture(make_process):
    return make_process(current=Phase.Kind.VOTING, slug="aanestys")
