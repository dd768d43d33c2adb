"""Decidim CSV compatibility: export, import, round trip and bad input."""

import csv
import io
from decimal import Decimal
from pathlib import Path

import pytest
from django.core.exceptions import ValidationError
from django.core.management import CommandError, call_command
from django.utils import translation

from osallistu.budgeting.models import Project
from osallistu.interop import exports
from osallistu.interop.models import DecidimRecord
from osallistu.interop.services import import_decidim, localised, plain_text
from osallistu.participation.models import Comment, Idea, Phase, Visibility
from tests.budgeting.results_helpers import GREEDY_VOTES, add_ballots, closed_process

pytestmark = pytest.mark.django_db

SAMPLE = (
    Path(__file__).parent.parent
    / "data"
    / "decidim"
    / "decidim_accountability_results_export_sample.csv"
)


def _rows(text: str) -> list[dict]:
    return list(csv.DictReader(io.StringIO(text.lstrip("\ufeff")), delimiter=";"))


@pytest.fixture
def ideas(make_process, resident):
    resident.first_name = "Ainomaija"
    resident.save()
    process = make_process(current=Phase.Kind.IDEATION, slug="lahio")
    bench = Idea.objects.create(
        process=process, author=resident, title="Penkki puistoon", description="Penkki; lähelle"
    )
    Comment.objects.create(idea=bench, author=resident, body="Hyvä")
    Comment.objects.create(idea=bench, author=resident, body="Piilo", visibility=Visibility.HIDDEN)
    Idea.objects.create(
        process=process,
        author=resident,
        title="Valaistus",
        description="x",
        status=Idea.Status.ACCEPTED,
        location_text="Kotikatu 1",
        latitude=Decimal("62.9"),
        longitude=Decimal("27.6"),
    )
    Idea.objects.create(
        process=process,
        author=resident,
        title="Piilotettu",
        description="x",
        visibility=Visibility.HIDDEN,
    )
    Idea.objects.create(
        process=process,
        author=resident,
        title="Peruttu",
        description="x",
        status=Idea.Status.WITHDRAWN,
    )
    return process


@pytest.fixture
def published(make_process):
    process = closed_process(make_process)
    add_ballots(process.budget_areas.get(), GREEDY_VOTES)
    process.results_published = True
    process.save()
    return process


def test_proposals_export_columns_without_authors(ideas, resident):
    text = exports.proposals_csv(ideas)
    header = text.splitlines()[0].split(";")
    rows = _rows(text)

    assert header[:3] == ["id", "category/id", "category/name/fi"]
    assert {"title/fi", "title/sv", "title/en", "body/fi", "state", "comments", "url"} <= set(
        header
    )
    assert [row["title/fi"] for row in rows] == ["Penkki puistoon", "Valaistus"]
    assert rows[0]["title/en"] == ""
    assert rows[0]["body/fi"] == "Penkki; lähelle"
    assert rows[0]["comments"] == "1"
    assert rows[1]["state"] == "accepted"
    assert "Kotikatu" not in text
    assert resident.email not in text
    assert "Ainomaija" not in text


def test_proposals_export_query_count(make_process, resident, django_assert_max_num_queries):
    process = make_process(current=Phase.Kind.IDEATION, slug="paljon")
    Idea.objects.bulk_create(
        Idea(process=process, author=resident, title=f"Idea {n}", description="x")
        for n in range(60)
    )
    with django_assert_max_num_queries(2):
        rows = _rows(exports.proposals_csv(process))
    assert len(rows) == 60


def test_public_downloads_and_open_data_links(client, ideas, published):
    proposals = client.get(f"/decidim/processes/{ideas.slug}/proposals.csv")
    assert proposals.status_code == 200
    assert proposals["Content-Type"].startswith("text/csv")
    assert "Penkki puistoon" in proposals.content.decode()

    results = client.get(f"/decidim/processes/{published.slug}/results.csv")
    assert results.status_code == 200
    assert client.get(f"/decidim/processes/{ideas.slug}/results.csv").status_code == 404

    index = client.get("/open-data/").content.decode()
    assert f"/decidim/processes/{ideas.slug}/proposals.csv" in index
    assert f"/decidim/processes/{published.slug}/results.csv" in index
    assert f"/decidim/processes/{ideas.slug}/results.csv" not in index


def test_results_export_marks_winners(published):
    rows = _rows(exports.results_csv(published))

    status = {row["id"]: row["status/key"] for row in rows}
    assert status == {"4": "selected", "2": "selected", "1": "not_selected", "3": "not_selected"}
    assert {row["id"]: row["budget"] for row in rows}["4"] == "30000.00"
    assert rows[0]["scope/id"] == "testilahio"


def test_results_export_refused_before_publication(make_process):
    process = closed_process(make_process)
    with pytest.raises(ValueError):
        exports.results_csv(process)
    with pytest.raises(CommandError):
        call_command("export_decidim", process.slug, "--kind", "results")


def test_results_round_trip_keeps_titles_costs_and_statuses(published, make_process, tmp_path):
    path = tmp_path / "results.csv"
    call_command("export_decidim", published.slug, "--kind", "results", "--output", str(path))
    target = make_process(current=Phase.Kind.IDEATION, slug="uusi")

    call_command("import_decidim", target.slug, str(path), "--kind", "results")

    original = {
        p.external_id: (p.title, p.cost) for p in Project.objects.filter(area__process=published)
    }
    copied = {
        p.external_id: (p.title, p.cost) for p in Project.objects.filter(area__process=target)
    }
    assert copied == original
    statuses = dict(
        DecidimRecord.objects.filter(process=target).values_list("decidim_id", "status_key")
    )
    assert statuses == {"4": "selected", "2": "selected", "1": "not_selected", "3": "not_selected"}


def test_proposals_round_trip_and_reimport_is_idempotent(ideas, make_process):
    text = exports.proposals_csv(ideas)
    target = make_process(current=Phase.Kind.IDEATION, slug="kohde")

    first = import_decidim(target, text, "proposals")
    second = import_decidim(target, text.replace("Valaistus", "Valaistus uusiksi"), "proposals")

    assert (first.created, second.created, second.updated) == (2, 0, 2)
    imported = dict(Idea.objects.filter(process=target).values_list("title", "status"))
    assert imported == {"Penkki puistoon": "published", "Valaistus uusiksi": "accepted"}
    assert Idea.objects.filter(process=target, author__isnull=False).count() == 0


def test_real_decidim_sample_imports(make_process):
    process = make_process(current=Phase.Kind.IDEATION, slug="otos")
    out = io.StringIO()

    call_command("import_decidim", process.slug, str(SAMPLE), "--kind", "results", stdout=out)
    call_command("import_decidim", process.slug, str(SAMPLE), "--kind", "results", stdout=out)

    records = {r.decidim_id: r for r in DecidimRecord.objects.filter(process=process)}
    assert sorted(records) == ["290", "291", "37", "38", "69"]
    assert records["37"].title == "Quis voluptas.test"
    assert records["291"].status_key == "status_1"
    again = import_decidim(process, SAMPLE.read_text(encoding="utf-8"), "results")
    assert (again.created, again.updated) == (0, 5)


def test_localised_fallback_order():
    columns = ["title/ca", "title/en", "title/fi"]
    assert localised({"title/fi": "Suomi", "title/en": "English"}, "title", columns) == "Suomi"
    assert localised({"title/fi": " ", "title/en": "English"}, "title", columns) == "English"
    assert localised({"title/ca": "Català"}, "title", columns) == "Català"


def test_html_is_stripped_to_plain_text():
    text = plain_text("<p>Hei&nbsp;&amp; <b>moi</b></p><script>x</script>&lt;img src=x&gt;")
    assert "<" not in text
    assert ">" not in text
    assert text.startswith("Hei & moi")


def test_imported_descriptions_are_plain_text(make_process):
    process = make_process(current=Phase.Kind.IDEATION, slug="html")
    text = 'id;title/fi;body/fi\n1;Otsikko;"<p>Teksti&nbsp;<a href=""x"">linkki</a></p>"\n'
    import_decidim(process, text, "proposals")
    assert Idea.objects.get(process=process).description == "Teksti linkki"


@pytest.mark.parametrize(
    ("text", "code"),
    [
        ("title/fi;body/fi\nOtsikko;x\n", "columns"),
        ("id,title/fi\n1,Otsikko\n", "delimiter"),
        ("id;title/fi;budget\n1;Hyvä;100\n2;Huono;paljon\n", "rows"),
        ("id;title/fi\n1;Hyvä\n;Ei id:tä\n", "rows"),
    ],
)
def test_bad_input_saves_nothing(make_process, text, code):
    process = make_process(current=Phase.Kind.IDEATION, slug="huono")
    kind = "results" if "budget" in text else "proposals"
    projects = Project.objects.count()
    with pytest.raises(ValidationError) as error:
        import_decidim(process, text, kind)
    assert {e.code for e in error.value.error_list} == {code}
    assert not Idea.objects.filter(process=process).exists()
    assert not DecidimRecord.objects.exists()
    assert Project.objects.count() == projects


def test_row_errors_are_numbered_in_the_users_language(make_process, tmp_path):
    process = make_process(current=Phase.Kind.IDEATION, slug="rivit")
    path = tmp_path / "bad.csv"
    path.write_text("id;title/fi;budget\n1;Hyvä;100\n2;Huono;paljon\n", encoding="utf-8")
    with (
        translation.override("en"),
        pytest.raises(CommandError, match="Row 3: the value “paljon” in the column budget"),
    ):
        call_command("import_decidim", process.slug, str(path), "--kind", "results")


def test_dry_run_saves_nothing(make_process, tmp_path):
    process = make_process(current=Phase.Kind.IDEATION, slug="kuiva")
    report = import_decidim(process, SAMPLE.read_text(encoding="utf-8"), "results", dry_run=True)
    assert report.created == 5
    assert report.dry_run
    assert not DecidimRecord.objects.exists()


def test_results_export_query_count(make_process, django_assert_max_num_queries):
    process = make_process(current=Phase.Kind.IDEATION, slug="monta", projects=[1000] * 40)
    add_ballots(process.budget_areas.get(), [([str(n) for n in range(1, 11)], 3)])
    process.results_published = True
    process.save()

    # Counting and caching the area's outcome take about 14 queries; the rows add none.
    with django_assert_max_num_queries(16):
        rows = _rows(exports.results_csv(process))
    assert len(rows) == 40
