"""The yearly evaluation report: figures, visibility rules, CSV and tagged PDF."""

import csv
import datetime
import io
from decimal import Decimal

import pytest
from django.urls import reverse
from django.utils import translation

from osallistu.accounts.models import ServiceArea
from osallistu.areas.models import PaavoRecord, PostalArea, Suburb
from osallistu.budgeting.models import ParticipationRecord
from osallistu.implementation.models import ImplementationItem, Status
from osallistu.participation.models import Channel, Idea, Phase, Process, Visibility
from osallistu.programmes.models import Goal, GoalMeasurement, Programme
from osallistu.reports import selectors
from osallistu.surveys import selectors as survey_selectors
from osallistu.surveys.selectors import TimePointResult

pytestmark = pytest.mark.django_db

YEAR = 2026


@pytest.fixture
def suburb():
    area = PostalArea.objects.create(code="70150", name="Neulamäki", municipality_code="297")
    PaavoRecord.objects.create(
        postal_area=area,
        statistics_year=2024,
        release_year=2026,
        values={"he_vakiy": 5373, "he_0_2": 101, "he_3_6": 157, "he_7_12": 262},
    )
    suburb = Suburb.objects.create(name="Neulamäki", slug="neulamaki")
    suburb.postal_areas.add(area)
    return suburb


@pytest.fixture
def process(suburb):
    process = Process.objects.create(
        title="Neulamäen lähiöbudjetti", slug="neulamaki-ob", kind=Process.Kind.AREA_DEVELOPMENT
    )
    process.suburbs.add(suburb)
    Phase.objects.create(
        process=process,
        kind=Phase.Kind.IDEATION,
        starts_on=datetime.date(YEAR, 3, 1),
        ends_on=datetime.date(YEAR, 4, 30),
    )
    return process


def _idea(process, suburb, title, channel=Channel.ONLINE, visibility=Visibility.VISIBLE):
    return Idea.objects.create(
        process=process,
        suburb=suburb,
        title=title,
        description="Kuvaus",
        channel=channel,
        visibility=visibility,
    )


def test_report_counts_visible_ideas(process, suburb):
    _idea(process, suburb, "Valaistus")
    _idea(process, suburb, "Penkit", channel=Channel.PAPER)
    _idea(process, suburb, "Piilotettu", visibility=Visibility.HIDDEN)

    report = selectors.suburb_report(suburb, YEAR)

    assert report.ideas == 2
    assert report.population == 5373
    assert report.processes == [process]
    ideas_row = report.channel_rows[0]
    assert ideas_row.total == 2


def test_report_other_year_empty(process, suburb):
    _idea(process, suburb, "Valaistus")

    report = selectors.suburb_report(suburb, YEAR + 1)

    assert report.processes == []
    assert report.ideas == 0


def test_turnout_hidden_until_published(make_process, suburb):
    process = make_process(current=Phase.Kind.IDEATION, slug="ob")
    process.suburbs.add(suburb)
    area = process.budget_areas.get()
    area.suburb = suburb
    area.save()
    for number in range(3):
        ParticipationRecord.objects.create(
            process=process,
            area=area,
            digest=f"d{number}",
            channel=Channel.ONLINE,
            day=datetime.date(2026, 1, 1),
        )
    year = process.phases.first().starts_on.year

    assert selectors.suburb_report(suburb, year).turnout == []

    process.results_published = True
    process.save()
    report = selectors.suburb_report(suburb, year)

    assert report.ballots == 3


def test_goal_progress_in_report(process, suburb):
    programme = Programme.objects.create(
        suburb=suburb, title="Neulamäen ohjelma", slug="neulamaki", starts_year=YEAR
    )
    goal = Goal.objects.create(
        programme=programme,
        title="Nuoret mukaan",
        measure_kind=Goal.MeasureKind.COUNT,
        measure_label="tavoitetut nuoret",
        baseline=Decimal(10),
        target=Decimal(50),
    )
    GoalMeasurement.objects.create(goal=goal, year=YEAR, value=Decimal(30))

    report = selectors.suburb_report(suburb, YEAR)

    assert report.goals_measured == 1
    assert report.goals_on_track == 1
    assert report.goals[0].current == Decimal(30)


def test_implementation_summary(process, suburb):
    from osallistu.programmes.models import ProjectPackage

    programme = Programme.objects.create(
        suburb=suburb, title="Neulamäen ohjelma", slug="neulamaki", starts_year=YEAR
    )
    owner = ServiceArea.objects.create(name="Kaupunkiympäristö", slug="kymp")
    for title, status, progress in (
        ("Puisto", Status.DONE, 100),
        ("Reitti", Status.IN_PROGRESS, 40),
        ("Kenttä", Status.CANCELLED, 0),
    ):
        package = ProjectPackage.objects.create(
            programme=programme, title=title, slug=title.lower(), service_area=owner
        )
        ImplementationItem.objects.update_or_create(
            package=package,
            defaults={
                "suburb": suburb,
                "title": title,
                "status": status,
                "progress": progress,
                "budget": Decimal(1000),
                "actual_cost": Decimal(500),
                "actual_end": datetime.date(YEAR, 6, 1) if status == Status.DONE else None,
            },
        )

    summary = selectors.suburb_report(suburb, YEAR).implementation

    assert summary.done == 1
    assert summary.open == 1
    assert summary.mean_progress == Decimal("70.0")
    assert summary.budget == Decimal(3000)


def _result(round_stub, mean, suppressed=False, published=True):
    return TimePointResult(
        round=round_stub,
        n=25,
        mean=None if suppressed else Decimal(mean),
        low=None,
        high=None,
        suppressed=suppressed,
        is_published=published,
    )


def test_inclusion_change_skips_suppressed(monkeypatch, process, suburb):
    class RoundStub:
        measured_on = datetime.date(YEAR, 1, 15)

        def __str__(self):
            return "Alku"

    results = [
        _result(RoundStub(), "55.0"),
        _result(RoundStub(), "0", suppressed=True),
        _result(RoundStub(), "61.5"),
        _result(RoundStub(), "90.0", published=False),
    ]
    monkeypatch.setattr(
        "osallistu.reports.selectors.inclusion_results", lambda suburb, year: results
    )

    report = selectors.suburb_report(suburb, YEAR)

    assert report.inclusion_change == Decimal("6.5")
    assert len(report.inclusion) == 3
    assert survey_selectors.inclusion_results is not None


def test_active_suburbs(process, suburb):
    Suburb.objects.create(name="Saaristokaupunki", slug="saaristokaupunki")

    assert selectors.active_suburbs(YEAR) == [suburb]
    assert selectors.active_suburbs(YEAR - 5) == []


def test_suburb_page(client, process, suburb):
    _idea(process, suburb, "Valaistus")

    with translation.override("en"):
        response = client.get(f"/en/reports/{YEAR}/{suburb.slug}/")

    assert response.status_code == 200
    text = response.content.decode()
    assert "Evaluation report: Neulamäki 2026" in text
    assert "select themselves" in text


def test_suburb_page_unknown_year(client, suburb):
    assert client.get(reverse("reports:suburb", args=[1999, suburb.slug])).status_code == 404


def test_suburb_csv(client, process, suburb):
    _idea(process, suburb, "Valaistus")

    response = client.get(reverse("reports:suburb_csv", args=[YEAR, suburb.slug]))

    rows = list(csv.reader(io.StringIO(response.content.decode())))
    assert rows[0] == ["section", "measure", "group", "value", "population", "share_percent"]
    assert ["ideas", "ideas", "", "1", "", ""] in rows
    assert ["population", "residents", "", "5373", "", ""] in rows


def test_city_page_and_csv(client, process, suburb):
    _idea(process, suburb, "Valaistus")

    page = client.get(reverse("reports:city", args=[YEAR]))
    response = client.get(reverse("reports:city_csv", args=[YEAR]))

    assert page.status_code == 200
    rows = list(csv.reader(io.StringIO(response.content.decode())))
    assert rows[1][0] == "Neulamäki"
    assert rows[1][4] == "1"


def test_index_redirects_single_year(client, process):
    response = client.get(reverse("reports:index"))

    assert response.status_code == 302
    assert response["Location"].endswith(f"/reports/{YEAR}/")


def _pdf_text_and_catalog(content: bytes):
    import pypdf

    reader = pypdf.PdfReader(io.BytesIO(content))
    text = "".join(page.extract_text() for page in reader.pages)
    return text, reader.trailer["/Root"], reader.metadata


def test_suburb_pdf_is_tagged(client, process, suburb):
    _idea(process, suburb, "Valaistus")

    response = client.get(reverse("reports:suburb_pdf", args=[YEAR, suburb.slug]))

    assert response["Content-Type"] == "application/pdf"
    text, catalog, metadata = _pdf_text_and_catalog(response.content)
    assert "Neulamäki" in text
    assert catalog["/Lang"] == "fi"
    assert "/StructTreeRoot" in catalog
    assert "Neulamäki 2026" in metadata.title


def test_city_pdf_is_tagged(client, process, suburb):
    response = client.get(reverse("reports:city_pdf", args=[YEAR]))

    text, catalog, metadata = _pdf_text_and_catalog(response.content)
    assert "Neulamäki" in text
    assert catalog["/Lang"] == "fi"
    assert "2026" in metadata.title


def test_city_page_query_count_flat(client, process, suburb, django_assert_max_num_queries):
    _idea(process, suburb, "Valaistus")
    with django_assert_max_num_queries(200) as one:
        client.get(reverse("reports:suburb", args=[YEAR, suburb.slug]))
    for number in range(20):
        _idea(process, suburb, f"Idea {number}")
    with django_assert_max_num_queries(len(one.captured_queries)):
        client.get(reverse("reports:suburb", args=[YEAR, suburb.slug]))


def test_demo_suburb_pdfs_render(client):
    # The demo's tables break across pages, which once crashed WeasyPrint's PDF/UA tagging
    # of tables with a caption.
    from django.core.management import call_command
    from django.utils import timezone

    call_command("load_demo")
    year = timezone.localdate().year

    for slug in ("neulamaki", "jynkka"):
        response = client.get(reverse("reports:suburb_pdf", args=[year, slug]))
        assert response.status_code == 200, slug


def test_report_years_skip_future(process):
    Phase.objects.create(
        process=process,
        kind=Phase.Kind.IMPLEMENTATION,
        starts_on=datetime.date(YEAR + 2, 1, 1),
        ends_on=datetime.date(YEAR + 2, 12, 31),
    )

    assert selectors.report_years() == [YEAR]
