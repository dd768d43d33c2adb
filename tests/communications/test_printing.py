"""Posters and flyers rendered as PDF: text, language, title, tagging and a decodable QR code."""

import io
import shutil
import subprocess

import pytest
from django.urls import reverse

from osallistu.communications.models import ChannelUse, CommunicationChannel
from osallistu.communications.printing import PrintTarget, render_pdf

pypdf = pytest.importorskip("pypdf")
zxingcpp = pytest.importorskip("zxingcpp")
PIL_Image = pytest.importorskip("PIL.Image")

pytestmark = pytest.mark.django_db
SITE_URL = "https://osallistu.kuopio.example"


@pytest.fixture(autouse=True)
def site_url(settings):
    settings.OSALLISTU_SITE_URL = SITE_URL


def _pdf_text(pdf: bytes) -> str:
    reader = pypdf.PdfReader(io.BytesIO(pdf))
    return "\n".join(page.extract_text() for page in reader.pages)


def _decode_qr(pdf: bytes) -> list[str]:
    """Rasterise the PDF's first page with Poppler's pdftoppm and decode its QR codes."""
    pdftoppm = shutil.which("pdftoppm")
    if pdftoppm is None:
        pytest.fail("pdftoppm is missing: install poppler-utils (make system-packages)")
    png = subprocess.run(
        [pdftoppm, "-png", "-r", "150", "-f", "1", "-l", "1", "-"],
        input=pdf,
        capture_output=True,
        check=True,
    ).stdout
    image = PIL_Image.open(io.BytesIO(png))
    return [result.text for result in zxingcpp.read_barcodes(image)]


def _assert_tagged_finnish(pdf: bytes, title_part: str) -> None:
    reader = pypdf.PdfReader(io.BytesIO(pdf))
    catalog = reader.trailer["/Root"]
    assert catalog["/Lang"] == "fi"
    assert "/StructTreeRoot" in catalog
    assert bool(catalog["/MarkInfo"]["/Marked"])
    assert title_part in reader.metadata.title


def test_suburb_poster_pdf(suburb, suburb_process, event):
    pdf = render_pdf(PrintTarget(suburb=suburb), "poster")

    text = _pdf_text(pdf)
    assert "Neulamäki" in text
    assert "Testiprosessi" in text
    assert "Puistotyöpaja" in text
    # The printed short address may wrap onto a second line.
    assert "osallistu.kuopio.example/areas/suburbs/neulamaki/" in "".join(text.split())
    _assert_tagged_finnish(pdf, "Neulamäki")
    assert _decode_qr(pdf) == [f"{SITE_URL}/areas/suburbs/neulamaki/"]


def test_event_flyer_pdf(event):
    pdf = render_pdf(PrintTarget(suburb=event.suburb, event=event), "flyer")

    reader = pypdf.PdfReader(io.BytesIO(pdf))
    width_mm = float(reader.pages[0].mediabox.width) / 72 * 25.4
    assert round(width_mm) == 148  # A5
    text = _pdf_text(pdf)
    assert "Puistotyöpaja" in text
    assert "Neulamäen koulu" in text
    assert "Suunnitellaan yhdessä" in text
    _assert_tagged_finnish(pdf, "Puistotyöpaja")
    assert _decode_qr(pdf) == [f"{SITE_URL}/events/puistotyopaja/"]


def test_event_poster_a4(event):
    pdf = render_pdf(PrintTarget(suburb=event.suburb, event=event), "poster")

    reader = pypdf.PdfReader(io.BytesIO(pdf))
    width_mm = float(reader.pages[0].mediabox.width) / 72 * 25.4
    assert round(width_mm) == 210
    assert len(reader.pages) == 1


def test_staff_text_on_poster(coordinator_client, suburb):
    url = reverse("communications:poster", args=["suburb", suburb.slug])
    response = coordinator_client.post(
        url, {"heading": "Tule mukaan!", "text": "Lähiöbudjetin ideointi alkaa."}
    )
    assert response.status_code == 302

    pdf = render_pdf(PrintTarget(suburb=suburb), "poster")
    text = _pdf_text(pdf)
    assert "Tule mukaan!" in text
    assert "Lähiöbudjetin ideointi alkaa." in text


def test_pdf_download_logs_poster_once_a_day(coordinator_client, event):
    url = reverse("communications:print_pdf", args=["event", event.slug, "flyer"])

    first = coordinator_client.get(url)
    second = coordinator_client.get(url)

    assert first.status_code == 200
    assert first["Content-Type"] == "application/pdf"
    assert second.status_code == 200
    use = ChannelUse.objects.get()
    assert use.channel.kind == CommunicationChannel.Kind.POSTER
    assert use.step == event
    assert use.suburb == event.suburb
    assert use.automatic


def test_pdf_ignores_remote_logo(settings, suburb):
    settings.OSALLISTU_LOGO = "http://127.0.0.1:9/logo.png"

    pdf = render_pdf(PrintTarget(suburb=suburb), "poster")

    assert pdf.startswith(b"%PDF")


def test_print_html_page(coordinator_client, suburb):
    response = coordinator_client.get(
        reverse("communications:print_html", args=["suburb", suburb.slug, "poster"])
    )

    assert response.status_code == 200
    assert b'<html lang="fi">' in response.content
    assert b"data:image/svg+xml" in response.content


def test_unknown_document_is_404(coordinator_client, suburb):
    response = coordinator_client.get(f"/communications/suburbs/{suburb.slug}/leaflet.pdf")

    assert response.status_code == 404


def test_preview_framed_by_same_site(coordinator_client, suburb):
    response = coordinator_client.get(
        reverse("communications:print_html", args=["suburb", suburb.slug, "flyer"])
    )

    assert response["X-Frame-Options"] == "SAMEORIGIN"
    assert "frame-ancestors 'self'" in response["Content-Security-Policy"]


def test_suburb_with_programme_links_programme(suburb):
    from django.urls import NoReverseMatch

    from osallistu.communications.selectors import suburb_page_path
    from osallistu.programmes.models import Programme

    programme = Programme.objects.create(
        suburb=suburb, title="Neulamäen lähiöohjelma", slug="neulamaki-ohjelma", starts_year=2026
    )
    try:
        expected = reverse("programmes:detail", kwargs={"slug": programme.slug})
    except NoReverseMatch:
        pytest.skip("the programmes app serves no programme page yet")

    assert suburb_page_path(suburb) == expected


def test_event_without_suburb_not_logged(coordinator_client, event):
    event.suburb = None
    event.save()

    response = coordinator_client.get(
        reverse("communications:print_pdf", args=["event", event.slug, "poster"])
    )

    assert response.status_code == 200
    assert "Puistotyöpaja" in _pdf_text(response.content)
    assert ChannelUse.objects.count() == 0


def test_event_of_multi_suburb_process_logged_in_each_suburb(
    coordinator_client, event, suburb, suburb_process
):
    from osallistu.areas.models import Suburb
    from osallistu.communications.selectors import suburb_steps

    other = Suburb.objects.create(name="Petonen", slug="petonen")
    suburb_process.suburbs.add(other)
    event.suburb, event.process = None, suburb_process
    event.save()

    response = coordinator_client.get(
        reverse("communications:print_pdf", args=["event", event.slug, "poster"])
    )

    assert response.status_code == 200
    uses = ChannelUse.objects.order_by("suburb__name")
    assert [(use.suburb, use.step) for use in uses] == [(suburb, event), (other, event)]
    for each in (suburb, other):
        assert event in [step.target for step in suburb_steps(each)]
    assert event not in [
        step.target for step in suburb_steps(Suburb.objects.create(name="Muu", slug="muu"))
    ]
