"""Results: published after closing, small groups suppressed, compared over time and suburbs."""

import csv
import datetime
from decimal import Decimal

import pytest
from django.urls import reverse
from django.utils import translation

from osallistu.areas.models import Suburb
from osallistu.surveys import selectors
from osallistu.surveys.forms import RoundForm
from osallistu.surveys.models import ItemAnswer, Response

pytestmark = pytest.mark.django_db


def _answer(survey_round, values, age_group="", text=""):
    response = Response.objects.create(
        round=survey_round,
        submitted_on=survey_round.opens_on,
        age_group=age_group,
        channel=Response.Channel.PAPER,
    )
    items = list(survey_round.questionnaire.items.order_by("position"))
    for item, value in zip(items, values, strict=False):
        ItemAnswer.objects.create(
            response=response,
            item=item,
            value=value if item.kind == "scale" else None,
            text=text if item.kind == "text" else "",
        )


def _answers(survey_round, count, level, age_group=""):
    for _number in range(count):
        _answer(survey_round, [level] * 10, age_group)


def test_round_result_mean_and_interval(make_round):
    survey_round = make_round(days_closed=1)
    # Five scores 0, 25, 50, 75, 100 twice: mean 50, s = 37.27, t(9) = 2.2622, margin 26.66.
    for _repeat in range(2):
        for level in (1, 2, 3, 4, 5):
            _answer(survey_round, [level] * 10)

    result = selectors.round_results(survey_round)

    assert result.n == 10
    assert result.mean == Decimal("50.0")
    assert result.low == Decimal("23.3")
    assert result.high == Decimal("76.7")
    assert not result.suppressed
    assert result.is_published


def test_small_round_suppressed(make_round, settings):
    settings.OSALLISTU_SURVEY_MIN_GROUP = 10
    survey_round = make_round(days_closed=1)
    _answers(survey_round, 9, 4)

    result = selectors.round_results(survey_round)

    assert result.suppressed
    assert result.mean is None
    assert result.low is None


def test_response_without_score_not_counted(make_round):
    survey_round = make_round(days_closed=1)
    _answers(survey_round, 10, 4)
    _answer(survey_round, [5, 5, 5])

    assert selectors.round_results(survey_round).n == 10


def test_open_round_not_published(make_round):
    survey_round = make_round()
    _answers(survey_round, 12, 4)

    assert not selectors.round_results(survey_round).is_published


def test_age_group_suppression_with_complement(make_round):
    survey_round = make_round(days_closed=1, ask_age_group=True)
    _answers(survey_round, 30, 4, "30-64")
    _answers(survey_round, 12, 3, "65+")
    _answers(survey_round, 3, 5, "13-17")

    groups = {group.key: group for group in selectors.round_results(survey_round).age_groups}

    assert groups["13-17"].suppressed
    # Otherwise 13-17 would follow from the total minus the groups shown.
    assert groups["65+"].suppressed
    assert groups["65+"].mean is None
    assert not groups["30-64"].suppressed
    assert groups["30-64"].mean == Decimal("75.0")
    assert not groups["18-29"].suppressed
    assert groups["18-29"].n == 0


# Age group sizes (30-64, 65+, 13-17, unknown) and the groups that must be suppressed.
SUPPRESSION_LAYOUTS = [
    pytest.param({"30-64": 30, "65+": 12, "13-17": 3}, {"13-17", "65+"}, id="one-small"),
    pytest.param(
        {"30-64": 30, "65+": 12, "13-17": 5, "": 4}, {"13-17", "", "65+"}, id="two-below-minimum"
    ),
    pytest.param({"30-64": 30, "65+": 12, "13-17": 6, "": 5}, {"13-17", ""}, id="two-above"),
    pytest.param(
        {"30-64": 11, "65+": 12, "13-17": 2, "": 1}, {"13-17", "", "30-64"}, id="smallest-first"
    ),
    pytest.param({"30-64": 9, "65+": 8, "13-17": 3}, {"30-64", "65+", "13-17"}, id="all-small"),
    pytest.param({"30-64": 30, "65+": 12}, set(), id="none-small"),
]


@pytest.mark.parametrize(("sizes", "expected"), SUPPRESSION_LAYOUTS)
def test_suppressed_age_groups_reach_minimum(make_round, settings, sizes, expected):
    settings.OSALLISTU_SURVEY_MIN_GROUP = 10
    survey_round = make_round(days_closed=1, ask_age_group=True)
    for key, count in sizes.items():
        _answers(survey_round, count, 4, key)

    result = selectors.round_results(survey_round)
    groups = {group.key: group for group in result.age_groups}
    suppressed = {key for key, group in groups.items() if group.suppressed}
    shown_n = sum(group.n for group in groups.values() if not group.suppressed)

    assert suppressed == {key or "unknown" for key in expected}
    assert all(groups[key].mean is None for key in suppressed)
    # What the published total reveals about the suppressed groups together.
    assert result.n - shown_n == 0 or result.n - shown_n >= 10


def test_csv_applies_combined_suppression(client, coordinator, make_round, settings):
    settings.OSALLISTU_SURVEY_MIN_GROUP = 10
    survey_round = make_round(days_closed=1, ask_age_group=True)
    _answers(survey_round, 30, 4, "30-64")
    _answers(survey_round, 12, 3, "65+")
    _answers(survey_round, 5, 2, "13-17")
    _answers(survey_round, 4, 5, "18-29")
    client.force_login(coordinator)

    page = client.get(reverse("surveys:staff_csv", args=[survey_round.pk]))

    rows = {
        row[1]: row
        for row in csv.reader(page.content.decode("utf-8-sig").splitlines(), delimiter=";")
    }
    assert rows["65+"][2:] == ["", "", "", "", "yes"]
    assert rows["13-17"][6] == "yes"
    assert rows["18-29"][6] == "yes"
    assert rows["30-64"][6] == "no"


def test_inclusion_results_by_year(make_round, suburb):
    old_start = make_round(
        label="Alku 2024", measured_on=datetime.date(2024, 1, 15), days_closed=600
    )
    old_end = make_round(
        label="Loppu 2024", measured_on=datetime.date(2024, 12, 1), days_closed=300
    )
    small = make_round(label="Alku 2025", measured_on=datetime.date(2025, 1, 15), days_closed=200)
    _answers(old_start, 10, 3)
    _answers(old_end, 10, 4)
    _answers(small, 4, 5)

    results = selectors.inclusion_results(suburb)
    by_year = selectors.inclusion_score_by_year(suburb)

    assert [result.round.label for result in results] == ["Alku 2024", "Loppu 2024", "Alku 2025"]
    assert [r.round.label for r in selectors.inclusion_results(suburb, year=2025)] == ["Alku 2025"]
    # The latest unsuppressed time point of each year; 2025 has only a suppressed one.
    assert by_year == {2024: Decimal("75.0")}


def test_comparison_pairs_time_points(make_round, suburb):
    other = Suburb.objects.create(name="Jynkkä", slug="jynkka")
    measured = datetime.date(2024, 12, 1)
    ours = make_round(label="Loppu", measured_on=measured, time_point="end", days_closed=5)
    theirs = make_round(
        label="Loppu", suburb=other, measured_on=measured, time_point="end", days_closed=5
    )
    _answers(ours, 10, 4)
    _answers(theirs, 10, 2)

    suburbs, rows = selectors.inclusion_comparison()

    assert [s.slug for s in suburbs] == ["jynkka", "neulamaki"]
    assert len(rows) == 1
    assert rows[0].results[suburb.pk].mean == Decimal("75.0")
    assert rows[0].results[other.pk].mean == Decimal("25.0")


def test_feedback_items_and_texts(feedback_round, settings):
    settings.OSALLISTU_SURVEY_MIN_GROUP = 3
    for value in (4, 5, 5):
        _answer(feedback_round, [value, 2, None], text="Lisää aikaa")
    feedback_round.closes_on = feedback_round.opens_on
    feedback_round.save()

    responses, results, published = selectors.item_results(feedback_round, "fi")
    texts = selectors.text_answers(feedback_round)

    assert responses == 3
    assert published
    assert [r.mean for r in results] == [Decimal("4.7"), Decimal("2.0")]
    assert [(item.position, answers) for item, answers in texts] == [(3, ["Lisää aikaa"] * 3)]


def test_feedback_page_hides_texts(client, feedback_round, settings):
    settings.OSALLISTU_SURVEY_MIN_GROUP = 1
    _answer(feedback_round, [4, 4, None], text="Salainen toive")
    feedback_round.closes_on = feedback_round.opens_on
    feedback_round.save()

    page = client.get(reverse("surveys:feedback_results", args=[feedback_round.pk]))

    assert page.status_code == 200
    assert "Salainen toive" not in page.content.decode()


def test_suburb_page_carries_notes(client, make_round, suburb):
    survey_round = make_round(days_closed=1)
    _answers(survey_round, 10, 4)

    with translation.override("en"):
        page = client.get(reverse("surveys:suburb_results", args=[suburb.slug]))
    body = page.content.decode()

    assert page.status_code == 200
    assert "Respondents select themselves" in body
    assert "not yet been confirmed with THL" in body
    assert "75.0" in body


def test_comparison_page(client, make_round):
    _answers(make_round(days_closed=1), 10, 4)

    with translation.override("en"):
        page = client.get(reverse("surveys:comparison"))

    assert page.status_code == 200
    assert "Respondents select themselves" in page.content.decode()


def test_csv_has_aggregates_only(client, coordinator, make_round):
    survey_round = make_round(days_closed=1, ask_age_group=True)
    _answers(survey_round, 12, 4, "30-64")
    _answers(survey_round, 2, 2, "18-29")
    client.force_login(coordinator)

    page = client.get(reverse("surveys:staff_csv", args=[survey_round.pk]))

    lines = page.content.decode("utf-8-sig").splitlines()
    assert lines[0] == "round;group;n;mean;ci_low;ci_high;suppressed"
    assert lines[1].startswith("Alkumittaus;all;14;")
    rows = {line.split(";")[1]: line.split(";") for line in lines[1:]}
    assert rows["18-29"][2:] == ["", "", "", "", "yes"]
    assert len(lines) == 1 + 1 + 6


def test_staff_round_list_queries(client, coordinator, make_round, django_assert_max_num_queries):
    client.force_login(coordinator)
    make_round()
    with django_assert_max_num_queries(12) as one:
        client.get(reverse("surveys:staff_rounds"))
    for number in range(5):
        make_round(label=f"Kierros {number}")

    with django_assert_max_num_queries(len(one.captured_queries)):
        page = client.get(reverse("surveys:staff_rounds"))

    assert page.status_code == 200


def test_suburb_page_queries(client, make_round, suburb, django_assert_max_num_queries):
    _answers(make_round(days_closed=1), 10, 4)
    with django_assert_max_num_queries(12) as one:
        client.get(reverse("surveys:suburb_results", args=[suburb.slug]))
    for number in range(4):
        _answers(make_round(days_closed=2, label=f"Kierros {number}"), 10, 3)

    with django_assert_max_num_queries(len(one.captured_queries)):
        page = client.get(reverse("surveys:suburb_results", args=[suburb.slug]))

    assert page.status_code == 200


def test_staff_round_creation(client, coordinator, esis, suburb, today):
    client.force_login(coordinator)

    page = client.post(
        reverse("surveys:staff_rounds"),
        {
            "questionnaire": esis.pk,
            "suburb": suburb.pk,
            "label": "Alkumittaus 2027",
            "time_point": "start",
            "measured_on": today.isoformat(),
            "opens_on": today.isoformat(),
            "closes_on": today.isoformat(),
        },
    )

    assert page.status_code == 302
    assert suburb.survey_rounds.get().text_version == esis.text_version


def test_staff_round_creation_needs_one_target(client, coordinator, esis, today):
    client.force_login(coordinator)

    page = client.post(
        reverse("surveys:staff_rounds"),
        {
            "questionnaire": esis.pk,
            "label": "Ilman kohdetta",
            "time_point": "start",
            "measured_on": today.isoformat(),
            "opens_on": today.isoformat(),
            "closes_on": today.isoformat(),
        },
    )

    assert page.status_code == 200
    assert 'value="Ilman kohdetta"' in page.content.decode()


def test_complement_suppression_not_called_small(client, make_round, suburb):
    survey_round = make_round(days_closed=1, ask_age_group=True)
    _answers(survey_round, 12, 4, "30-64")
    _answers(survey_round, 11, 3, "18-29")
    _answers(survey_round, 3, 2, "65+")

    with translation.override("en"):
        page = client.get(reverse("surveys:suburb_results", args=[suburb.slug]))
    body = page.content.decode()

    assert body.count("hidden, so that a smaller group cannot be derived") == 1
    assert body.count('<td class="number">fewer than 10</td>') == 1


def test_csv_starts_with_bom(client, coordinator, make_round):
    survey_round = make_round(days_closed=1, label="Neulamäki")
    client.force_login(coordinator)

    page = client.get(reverse("surveys:staff_csv", args=[survey_round.pk]))

    assert page.content.startswith(b"\xef\xbb\xbf")
    assert "Neulamäki" in page.content.decode("utf-8-sig")


def test_round_form_dates_render_iso(make_round):
    survey_round = make_round(
        measured_on=datetime.date(2026, 12, 5),
        opens_on=datetime.date(2026, 12, 5),
        closes_on=datetime.date(2026, 12, 19),
    )

    with translation.override("fi"):
        form = RoundForm(instance=survey_round)
        fields = {name: str(form[name]) for name in ("measured_on", "opens_on", "closes_on")}

    assert 'value="2026-12-05"' in fields["measured_on"]
    assert 'value="2026-12-05"' in fields["opens_on"]
    assert 'value="2026-12-19"' in fields["closes_on"]
