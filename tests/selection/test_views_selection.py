"""Staff pages of area selection through the test client: access, forms and query counts."""

import pytest
from django.urls import reverse
from django.utils import translation

from osallistu.areas.models import IndicatorValue, Suburb
from osallistu.selection import need_index
from osallistu.selection.models import NeedIndexConfiguration, SelectionRound
from tests.selection.support import computed_round, decided_round

pytestmark = pytest.mark.django_db


def _pages(selection_round: SelectionRound, configuration: NeedIndexConfiguration) -> list[str]:
    pk = selection_round.pk
    return [
        reverse("selection:round_list"),
        reverse("selection:configuration_list"),
        reverse("selection:configuration_create"),
        reverse("selection:configuration_edit", args=[configuration.pk]),
        reverse("selection:round_create"),
        reverse("selection:round_detail", args=[pk]),
        reverse("selection:round_propose", args=[pk]),
        reverse("selection:round_decide", args=[pk]),
        reverse("selection:proposal", args=[pk]),
    ]


def test_coordinator_opens_every_page(kuopio, configuration, coordinator, client):
    selection_round = computed_round(coordinator, configuration)
    client.force_login(coordinator)

    for url in _pages(selection_round, configuration):
        assert client.get(url).status_code == 200, url


@pytest.mark.parametrize("user_fixture", ["resident", "evaluator"])
def test_residents_and_evaluators_get_403(
    request, configuration, coordinator, client, user_fixture
):
    selection_round = SelectionRound.objects.create(
        year=2026, rule="top_n", configuration=configuration.configuration
    )
    client.force_login(request.getfixturevalue(user_fixture))

    for url in [
        *_pages(selection_round, configuration),
        reverse("selection:proposal_pdf", args=[selection_round.pk]),
    ]:
        assert client.get(url).status_code == 403, url
    for name in ["round_compute", "round_recompute", "round_propose", "round_decide"]:
        url = reverse(f"selection:{name}", args=[selection_round.pk])
        assert client.post(url).status_code == 403, url
    assert SelectionRound.objects.get().status == SelectionRound.Status.DRAFT


def test_anonymous_visitor_is_sent_to_sign_in(client):
    response = client.get(reverse("selection:round_list"))

    assert response.status_code == 302
    assert "/accounts/login/" in response["Location"]


def test_pages_run_a_whole_round(kuopio, configuration, coordinator, client):
    client.force_login(coordinator)
    response = client.post(
        reverse("selection:round_create"),
        {
            "year": 2026,
            "configuration": configuration.pk,
            "rule": "top_n",
            "top_n": 2,
            "investment_handling": "tie_break",
        },
    )
    selection_round = SelectionRound.objects.get()
    assert response["Location"] == reverse("selection:round_detail", args=[selection_round.pk])

    client.post(reverse("selection:round_compute", args=[selection_round.pk]))
    selection_round.refresh_from_db()
    assert selection_round.is_computed
    client.post(
        reverse("selection:round_propose", args=[selection_round.pk]),
        {"proposal_text": "Esitämme kahta lähiötä."},
    )
    selection_round.refresh_from_db()
    assert selection_round.status == SelectionRound.Status.PROPOSAL

    chosen = selection_round.result["selected"]
    suburbs = [row for row in selection_round.result["levels"]["suburb"] if row["code"] in chosen]
    client.post(
        reverse("selection:round_decide", args=[selection_round.pk]),
        {
            "decision_date": "2026-03-10",
            "deciding_body": "kaupunkirakennelautakunta",
            "minutes_reference": "§ 42",
            "suburbs": [Suburb.objects.get(slug=row["code"]).pk for row in suburbs],
        },
    )
    selection_round.refresh_from_db()
    assert selection_round.status == SelectionRound.Status.DECIDED
    assert selection_round.investment_handling == "tie_break"


def test_decision_form_keeps_input_on_error(kuopio, configuration, coordinator, client):
    selection_round = computed_round(coordinator, configuration)
    selection_round.status = SelectionRound.Status.PROPOSAL
    selection_round.save()
    client.force_login(coordinator)

    response = client.post(
        reverse("selection:round_decide", args=[selection_round.pk]),
        {
            "decision_date": "2026-03-10",
            "deciding_body": "kaupunkirakennelautakunta",
            "minutes_reference": "Pöytäkirja § 42",
            "suburbs": [],
        },
    )

    assert response.status_code == 200
    assert response.context["form"].errors["suburbs"]
    content = response.content.decode()
    assert 'value="Pöytäkirja § 42"' in content
    assert 'class="error-summary"' in content
    selection_round.refresh_from_db()
    assert selection_round.status == SelectionRound.Status.PROPOSAL


def test_configuration_editor_saves_and_keeps_input(kuopio, configuration, coordinator, client):
    client.force_login(coordinator)
    url = reverse("selection:configuration_edit", args=[configuration.pk])
    form = client.get(url).context["form"]
    data = {name: field.value() for name, field in ((n, form[n]) for n in form.fields)}
    data = {key: value for key, value in data.items() if value not in (None, False)}
    data.update({"name": "Painotettu", "domain_income": "3", "min_population": "800"})

    response = client.post(url, data)

    assert response.status_code == 302
    configuration.refresh_from_db()
    assert configuration.name == "Painotettu"
    assert configuration.configuration["min_population"] == 800
    income = next(d for d in configuration.configuration["domains"] if d["code"] == "income")
    assert income["weight"] == 3.0

    data.update({"domain_income": "-1", "name": "Virheellinen"})
    response = client.post(url, data)

    assert response.status_code == 200
    assert response.context["form"].errors["domain_income"]
    assert 'value="Virheellinen"' in response.content.decode()
    configuration.refresh_from_db()
    assert configuration.name == "Painotettu"


def test_configuration_editor_reports_engine_errors(kuopio, configuration, coordinator, client):
    client.force_login(coordinator)
    url = reverse("selection:configuration_edit", args=[configuration.pk])
    form = client.get(url).context["form"]
    data = {"name": "Tyhjä", "normalisation": "percentile", "min_population": "500"}
    for name in form.fields:
        if name.endswith("_weight") or name.startswith("domain_"):
            data[name] = "1"

    response = client.post(url, data)

    assert response.status_code == 200
    assert response.context["form"].non_field_errors()
    configuration.refresh_from_db()
    assert configuration.name == "Oletus"


def test_round_list_query_count(
    kuopio, configuration, coordinator, client, django_assert_max_num_queries
):
    for year in (2024, 2025, 2026):
        decided_round(coordinator, configuration, year=year)
    client.force_login(coordinator)

    with django_assert_max_num_queries(12):
        response = client.get(reverse("selection:round_list"))
    assert len(response.context["rounds"]) == 3


def test_round_detail_query_count(
    kuopio, configuration, coordinator, client, django_assert_max_num_queries
):
    selection_round = decided_round(coordinator, configuration)
    client.force_login(coordinator)

    with django_assert_max_num_queries(15):
        response = client.get(reverse("selection:round_detail", args=[selection_round.pk]))
    assert len(response.context["detail"].suburb_rows) > 10


def test_round_page_explains_missing_data_and_small_areas(
    kuopio, configuration, coordinator, client
):
    IndicatorValue.objects.filter(
        postal_area__code="70150",
        indicator__code__in=["basic_education_only", "tertiary_education"],
    ).update(value=None, numerator=None, denominator=None, status="suppressed")
    configuration.configuration = {**configuration.configuration, "min_population": 3000}
    configuration.save()
    selection_round = computed_round(coordinator, configuration)
    rows = {row["code"]: row for row in selection_round.result["levels"]["suburb"]}
    assert rows["neulamaki"]["left_out"][0]["domain"] == "education"
    small = [row for row in rows.values() if row["small_area"]]
    assert small
    client.force_login(coordinator)

    with translation.override("en"):
        content = client.get(
            reverse("selection:round_detail", args=[selection_round.pk])
        ).content.decode()
        small_area_text = need_index.flag_label("small_population")

    assert "Left out of the domain Education because 2 of its 2 indicators" in content
    assert content.count(small_area_text) >= len(small)
