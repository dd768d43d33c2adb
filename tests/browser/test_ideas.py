"""WCAG 2.0/2.1 A and AA checks of the idea list, idea page and idea forms, with axe-core."""

import io
from decimal import Decimal

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from PIL import Image

from osallistu.areas.models import Suburb
from osallistu.participation import services
from osallistu.participation.models import Idea, Phase, Theme

from .axe import assert_accessible

pytestmark = pytest.mark.browser

# A point in Neulamäki, inside the postal-area polygon of the `neulamaki` fixture.
NEULAMAKI_POINT = (Decimal("62.886"), Decimal("27.59"))


def png_upload() -> SimpleUploadedFile:
    buffer = io.BytesIO()
    Image.new("RGB", (320, 200), (0, 85, 140)).save(buffer, format="PNG")
    return SimpleUploadedFile("penkki.png", buffer.getvalue(), content_type="image/png")


@pytest.fixture
def process(make_process, neulamaki, settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path
    process = make_process(current=Phase.Kind.IDEATION, slug="ideointi")
    process.suburbs.add(Suburb.objects.get(slug="neulamaki"))
    Theme.objects.create(process=process, title="Lähipalvelut", status=Theme.Status.ACCEPTED)
    return process


@pytest.fixture
def idea(process, resident):
    return services.idea_create(
        user=resident,
        process=process,
        title="Penkkejä Neulamäen puistoon",
        description="Puiston polun varteen tarvitaan penkkejä ikääntyneille.\n\nKiitos!",
        suburb=Suburb.objects.get(slug="neulamaki"),
        theme=process.themes.get(),
        latitude=NEULAMAKI_POINT[0],
        longitude=NEULAMAKI_POINT[1],
        location_text="Neulamäen puisto",
        cost_estimate=Decimal("2500"),
        image=png_upload(),
        images=[png_upload()],
    )


def test_idea_list_filtered(page, process, idea):
    Idea.objects.bulk_create(
        Idea(process=process, title=f"Idea {number}", description="Kuvaus", suburb=idea.suburb)
        for number in range(25)
    )
    page.goto(f"/processes/{process.slug}/ideas/?q=idea&suburb=neulamaki&order=newest")

    assert page.locator(".card").count() == 20
    assert page.locator("#id_suburb").input_value() == "neulamaki"
    assert page.get_by_role("navigation", name="Sivut").count() == 1
    assert_accessible(page)


def test_idea_detail_with_map(page, process, idea):
    page.goto(f"/processes/{process.slug}/ideas/{idea.pk}/")

    assert page.locator("svg[role=img]").count() == 1
    assert page.locator("img.idea-image").count() == 2
    assert_accessible(page)


def test_idea_detail_for_author(signed_in_page, process, idea):
    page = signed_in_page
    page.goto(f"/processes/{process.slug}/ideas/{idea.pk}/")

    assert page.locator(f"a[href$='/ideas/{idea.pk}/edit/']").count() == 1
    assert_accessible(page)


def test_idea_form_with_errors(signed_in_page, process):
    page = signed_in_page
    page.goto(f"/processes/{process.slug}/ideas/new/")
    page.fill("#id_description", "Kuvaus, joka säilyy.")
    page.fill("#id_latitude", "pohjoinen")
    page.fill("#id_longitude", "27.59")
    page.locator("main form button[type=submit]").click()
    page.wait_for_load_state()

    assert page.get_by_role("alert").count() == 1
    assert page.locator("#id_title[aria-invalid=true]").count() == 1
    assert page.locator("#id_description").input_value() == "Kuvaus, joka säilyy."
    assert page.locator("#id_latitude").input_value() == "pohjoinen"
    assert not Idea.objects.exists()
    assert_accessible(page)


def test_idea_edit_form(signed_in_page, process, idea):
    page = signed_in_page
    page.goto(f"/processes/{process.slug}/ideas/{idea.pk}/edit/")

    assert page.locator("#id_title").input_value() == idea.title
    assert page.locator("#id_remove_image").count() == 1
    assert_accessible(page)


def test_idea_withdraw_page(signed_in_page, process, idea):
    page = signed_in_page
    page.goto(f"/processes/{process.slug}/ideas/{idea.pk}/withdraw/")

    assert page.locator("main form button[type=submit]").count() == 1
    assert_accessible(page)
