"""Exports of published results: Pabulib files, results CSV and turnout by age group."""

import csv
import io
from collections import Counter

import pytest
from django.urls import reverse
from django.utils import translation

from osallistu.areas.models import PaavoRecord, PostalArea
from osallistu.budgeting import exports, results
from osallistu.budgeting.counting.areas import election_for_area
from osallistu.budgeting.models import BudgetingSettings
from osallistu.budgeting.pabulib import open_pabulib

from .results_helpers import GREEDY_VOTES, add_ballot, add_ballots, closed_process

pytestmark = pytest.mark.django_db

# Statistics Finland, Paavo 2024 (CC BY 4.0): the HE age bands of postal area 70150 Neulamäki.
NEULAMAKI_AGES = {
    "he_0_2": 101, "he_3_6": 157, "he_7_12": 262, "he_13_15": 123, "he_16_17": 98,
    "he_18_19": 141, "he_20_24": 657, "he_25_29": 565, "he_30_34": 532, "he_35_39": 453,
    "he_40_44": 385, "he_45_49": 240, "he_50_54": 196, "he_55_59": 237, "he_60_64": 298,
    "he_65_69": 261, "he_70_74": 258, "he_75_79": 193, "he_80_84": 120, "he_85_": 96,
}  # fmt: skip


@pytest.fixture
def process(make_process):
    process = closed_process(make_process)
    process.results_published = True
    process.save()
    area = process.budget_areas.get()
    area.postal_codes = ["70150"]
    area.save()
    add_ballots(area, GREEDY_VOTES)
    return process


class ReversingRandom:
    """A stand-in for random.Random whose shuffle reverses, so a test can check the new order."""

    def shuffle(self, items: list) -> None:
        items.reverse()


def _rows(content: str) -> list[dict]:
    return list(csv.DictReader(io.StringIO(content.lstrip("\ufeff"))))


def test_pabulib_file_parses_back(client, process):
    response = client.get(reverse("budgeting:results_pabulib", args=[process.slug, "testilahio"]))
    content = response.content.decode()

    with open_pabulib(io.StringIO(content, newline="")) as parsed:
        votes = list(parsed.votes())
        assert parsed.budget == 50000
        assert parsed.meta["num_votes"] == "4"
        assert parsed.meta["rule"] == "greedy"
        assert {p.id: p.cost for p in parsed.projects.values()} == {
            "1": 20000,
            "2": 15000,
            "3": 6000,
            "4": 30000,
        }
    assert [vote.voter_id for vote in votes] == ["1", "2", "3", "4"]
    assert Counter(vote.project_ids for vote in votes) == Counter(
        {("4",): 1, ("2", "4"): 2, ("1",): 1}
    )
    assert 'filename="testi-testilahio.pb"' in response["Content-Disposition"]


def test_pabulib_voter_ids_are_shuffled(process):
    area = process.budget_areas.get()
    stored = [sorted(ballot) for ballot in election_for_area(area).ballots]

    content = exports.pabulib(area, results.area_results(area), rng=ReversingRandom())

    with open_pabulib(io.StringIO(content, newline="")) as parsed:
        written = [sorted(vote.project_ids) for vote in parsed.votes()]
    assert written == stored[::-1]


def test_pabulib_marks_the_winners(process):
    area = process.budget_areas.get()
    content = exports.pabulib(area, results.area_results(area))
    projects = content.split("PROJECTS\n")[1].split("VOTES\n")[0]
    selected = {line.split(";")[0]: line.split(";")[-1] for line in projects.splitlines()[1:]}
    assert selected == {"1": "0", "2": "1", "3": "0", "4": "1"}


def test_results_csv(client, process):
    response = client.get(reverse("budgeting:results_csv", args=[process.slug]))
    rows = _rows(response.content.decode())

    assert response["Content-Type"].startswith("text/csv")
    assert [(row["project_id"], row["votes"], row["status"]) for row in rows] == [
        ("4", "3", "won"),
        ("2", "2", "won"),
        ("1", "1", "not_funded"),
        ("3", "0", "not_funded"),
    ]
    assert rows[2]["reason"] == "did_not_fit"
    assert rows[2]["explanation"]


def _paavo():
    postal_area = PostalArea.objects.create(code="70150", name="Neulamäki", municipality_code="297")
    PaavoRecord.objects.create(
        postal_area=postal_area, statistics_year=2023, release_year=2025, values={}
    )
    PaavoRecord.objects.create(
        postal_area=postal_area, statistics_year=2024, release_year=2026, values=NEULAMAKI_AGES
    )


def test_turnout_by_age_group_against_paavo(client, process):
    _paavo()
    BudgetingSettings.objects.create(process=process, min_group_size=2)
    area = process.budget_areas.get()
    for _ in range(2):
        add_ballot(area, ["3"], age_group="13-17")

    response = client.get(reverse("budgeting:turnout_csv", args=[process.slug]))
    rows = {row["age_group"]: row for row in _rows(response.content.decode())}

    assert rows["all"]["voters"] == "6"
    assert rows["all"]["population"] == "5373"
    assert rows["13-17"]["voters"] == "2"
    assert rows["13-17"]["population"] == str(123 + 98)
    assert rows["13-17"]["turnout_percent"] == "0.9"
    assert rows["30-64"]["voters"] == "4"
    assert rows["0-12"]["voters"] == "0"


@pytest.mark.parametrize(
    ("language", "population"),
    [("fi", "5\N{NO-BREAK SPACE}373"), ("sv", "5\N{NO-BREAK SPACE}373"), ("en", "5,373")],
)
def test_turnout_page_groups_thousands(client, process, language, population):
    _paavo()

    with translation.override(language):
        page = client.get(reverse("budgeting:turnout", args=[process.slug]))

    assert f'<td class="number">{population}</td>' in page.content.decode()


def test_small_age_group_drops_the_age_column(client, process):
    _paavo()
    area = process.budget_areas.get()
    add_ballot(area, ["3"], age_group="65+")

    response = client.get(reverse("budgeting:turnout_csv", args=[process.slug]))
    rows = _rows(response.content.decode())

    # Default minimum group size 10: one voter aged 65+ and four aged 30-64 are both too few.
    assert [(row["age_group"], row["voters"]) for row in rows] == [("all", "5")]
    page = client.get(reverse("budgeting:turnout", args=[process.slug]))
    assert page.context["turnout"][0].suppressed
    assert [row.age_group for row in page.context["turnout"][0].rows] == ["all"]


def test_turnout_without_paavo_has_no_population(process):
    turnout = exports.turnout(process, 1)
    assert turnout[0].total.population is None
    assert turnout[0].total.turnout is None
