"""Process pages and idea submission through the public pages."""

import io

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from PIL import Image

from osallistu.areas.models import Suburb
from osallistu.participation.models import Idea, Phase

pytestmark = pytest.mark.django_db


def _png_bytes() -> bytes:
    buffer = io.BytesIO()
    Image.new("RGB", (8, 8), "blue").save(buffer, format="PNG")
    return buffer.getvalue()


@pytest.fixture
def ideation_process(make_process):
    process = make_process(current=Phase.Kind.IDEATION, slug="ideointi")
    suburb = Suburb.objects.create(name="Neulamäki", slug="neulamaki")
    process.suburbs.add(suburb)
    return process


def test_process_page_shows_phase_and_timeline(ideation_process, client):
    response = client.get(reverse("participation:process_detail", args=["ideointi"]))
    content = response.content.decode()
    assert response.status_code == 200
    assert 'aria-current="step"' in content
    assert reverse("participation:idea_create", args=["ideointi"]) in content


def test_unknown_process_is_404(client, db):
    response = client.get(reverse("participation:process_detail", args=["ei-ole"]))
    assert response.status_code == 404


def test_idea_form_requires_sign_in(ideation_process, client):
    response = client.get(reverse("participation:idea_create", args=["ideointi"]))
    assert response.status_code == 302
    assert reverse("account_login") in response["Location"]


def test_idea_submission_publishes_idea(ideation_process, resident, client):
    client.force_login(resident)
    suburb = Suburb.objects.get()
    response = client.post(
        reverse("participation:idea_create", args=["ideointi"]),
        {
            "title": "Penkki puistoon",
            "description": "Puistoon tarvitaan penkki.",
            "suburb": suburb.pk,
            "image": SimpleUploadedFile("penkki.png", _png_bytes(), content_type="image/png"),
        },
    )
    idea = Idea.objects.get()
    assert response.status_code == 302
    assert response["Location"] == reverse("participation:idea_detail", args=["ideointi", idea.pk])
    assert idea.author == resident
    assert idea.suburb == suburb
    assert idea.image.name.endswith(".png")

    page = client.get(response["Location"]).content.decode()
    assert "Penkki puistoon" in page
    assert idea.image.url in page


def test_idea_submission_keeps_input_on_error(ideation_process, resident, client):
    client.force_login(resident)
    response = client.post(
        reverse("participation:idea_create", args=["ideointi"]),
        {"title": "", "description": "Kuvaus, joka säilyy lomakkeella."},
    )
    content = response.content.decode()
    assert response.status_code == 200
    assert "Kuvaus, joka säilyy lomakkeella." in content
    assert 'class="errorlist"' in content
    assert Idea.objects.count() == 0


def test_idea_rejects_non_image_file(ideation_process, resident, client):
    client.force_login(resident)
    response = client.post(
        reverse("participation:idea_create", args=["ideointi"]),
        {
            "title": "Otsikko",
            "description": "Kuvaus",
            "image": SimpleUploadedFile("x.png", b"not an image", content_type="image/png"),
        },
    )
    assert response.status_code == 200
    assert Idea.objects.count() == 0
    assert 'value="Otsikko"' in response.content.decode()


def test_idea_text_is_escaped(ideation_process, resident, client):
    client.force_login(resident)
    client.post(
        reverse("participation:idea_create", args=["ideointi"]),
        {"title": "<script>alert(1)</script>", "description": "<b>lihava</b>"},
    )
    idea = Idea.objects.get()
    page = client.get(reverse("participation:idea_detail", args=["ideointi", idea.pk]))
    content = page.content.decode()
    assert "<script>alert(1)</script>" not in content
    assert "&lt;script&gt;" in content


def test_idea_submission_closed_outside_ideation(make_process, resident, client):
    make_process(current=Phase.Kind.VOTING, slug="aanestys")
    client.force_login(resident)
    response = client.get(reverse("participation:idea_create", args=["aanestys"]))
    assert response.status_code == 403
    response = client.post(
        reverse("participation:idea_create", args=["aanestys"]),
        {"title": "Otsikko", "description": "Kuvaus"},
    )
    assert response.status_code == 403
    assert Idea.objects.count() == 0


def test_withdrawn_idea_hidden(ideation_process, resident, client):
    idea = Idea.objects.create(
        process=ideation_process,
        author=resident,
        title="Peruttu",
        description="x",
        status=Idea.Status.WITHDRAWN,
    )
    listing = client.get(reverse("participation:idea_list", args=["ideointi"]))
    assert "Peruttu" not in listing.content.decode()
    detail = client.get(reverse("participation:idea_detail", args=["ideointi", idea.pk]))
    assert detail.status_code == 404


def test_idea_list_query_count_constant(
    ideation_process, resident, client, django_assert_max_num_queries
):
    suburb = Suburb.objects.get()
    Idea.objects.bulk_create(
        Idea(
            process=ideation_process,
            suburb=suburb,
            author=resident,
            title=f"Idea {n}",
            description="x",
        )
        for n in range(40)
    )
    url = reverse("participation:idea_list", args=["ideointi"])
    # Session and user, process with phases, suburbs and budget areas, count and page of ideas.
    with django_assert_max_num_queries(9):
        response = client.get(url)
    assert response.status_code == 200


def test_process_list_query_count_constant(make_process, client, django_assert_max_num_queries):
    for number in range(15):
        make_process(slug=f"prosessi-{number}")
    # Processes, then their phases and suburbs in one query each.
    with django_assert_max_num_queries(4):
        response = client.get(reverse("participation:process_list"))
    assert response.status_code == 200
