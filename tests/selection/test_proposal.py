"""The proposal document: printable HTML and a tagged PDF with its language and title."""

import re
import zlib

import pytest
from django.urls import reverse
from django.utils import translation

from osallistu.areas.models import InvestmentProject, Suburb
from tests.selection.support import decided_round

pytestmark = pytest.mark.django_db


@pytest.fixture
def decided(kuopio, configuration, coordinator):
    neulamaki = Suburb.objects.get(slug="neulamaki")
    InvestmentProject.objects.create(
        suburb=neulamaki,
        external_id="INV-1",
        name="Neulamäen koulun peruskorjaus",
        year=2026,
        cost=1200000,
        service_area="Kaupunkiympäristön palvelualue",
        priority=1,
        is_prioritised=True,
    )
    return decided_round(coordinator, configuration)


def test_proposal_page_has_every_part(decided, coordinator, client):
    client.force_login(coordinator)

    with translation.override("en"):
        response = client.get(reverse("selection:proposal", args=[decided.pk]))
    content = response.content.decode()

    assert response.status_code == 200
    assert '<html lang="en">' in content
    assert re.search(r"<title>[^<]*2026[^<]*</title>", content)
    for heading in ["Method", "Ranking", "Sensitivity", "Statistics year of the data"]:
        assert heading in content, heading
    assert "2024" in content
    assert "Domains, indicators and weights" in content
    for code in decided.result["selected"]:
        assert Suburb.objects.get(slug=code).name in content
    # The map is an inline SVG with a title and description, repeated as text.
    assert 'role="img"' in content
    assert "<desc" in content
    assert "Neulamäen koulun peruskorjaus" in content
    assert "Pöytäkirja 10.3.2026 § 42" in content


def test_proposal_lists_investments_as_they_were_when_computed(decided, coordinator, client):
    InvestmentProject.objects.filter(external_id="INV-1").update(name="Muutettu nimi")
    client.force_login(coordinator)

    content = client.get(reverse("selection:proposal", args=[decided.pk])).content.decode()

    assert "Neulamäen koulun peruskorjaus" in content
    assert "Muutettu nimi" not in content


def _pdf_text(pdf: bytes) -> bytes:
    """Return the PDF's bytes with every Flate stream inflated, so that object streams show."""
    parts = [pdf]
    for match in re.finditer(rb"stream\r?\n(.*?)\r?\nendstream", pdf, re.DOTALL):
        try:
            parts.append(zlib.decompress(match.group(1)))
        except zlib.error:
            continue
    return b"\n".join(parts)


def test_proposal_pdf_is_tagged_with_language_and_title(decided, coordinator, client):
    client.force_login(coordinator)

    response = client.get(reverse("selection:proposal_pdf", args=[decided.pk]))

    assert response.status_code == 200
    assert response["Content-Type"] == "application/pdf"
    pdf = _pdf_text(response.content)
    assert pdf.startswith(b"%PDF-")
    assert b"/StructTreeRoot" in pdf
    assert b"/MarkInfo" in pdf
    assert re.search(rb"/Lang\s*\(fi\)", pdf)
    assert re.search(rb"/Title\s*[(<]", pdf)
    assert b"pdfuaid" in pdf


def test_proposal_pdf_follows_the_language(decided, coordinator, client):
    client.force_login(coordinator)

    response = client.get("/sv" + reverse("selection:proposal_pdf", args=[decided.pk]))

    assert re.search(rb"/Lang\s*\(sv\)", _pdf_text(response.content))
