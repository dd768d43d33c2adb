"""Public and staff pages of programmes: status, content, query counts and forms."""

import datetime
from decimal import Decimal

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone, translation

from osallistu.events.models import Event
from osallistu.programmes import services
from osallistu.programmes.models import Goal, KeyAction, Programme, ProjectPackage

pytestmark = pytest.mark.django_db


def fill_programme(programme, service_area, themes, coordinator, count: int, start=0) -> None:
    """Give `programme` `count` goals, key actions and packages, half of them with co-design."""
    for number in range(start, start + count):
        Goal.objects.create(
            programme=programme,
            title=f"Tavoite {number}",
            theme=themes[0],
            measure_kind="count",
            measure_label="Kävijät",
            position=number,
        )
        key_action = KeyAction.objects.create(
            programme=programme, title=f"Toimenpide {number}", starts_year=2027, position=number
        )
        key_action.goals.set(programme.goals.all()[:2])
        package = ProjectPackage.objects.create(
            programme=programme,
            title=f"Kokonaisuus {number}",
            slug=f"kokonaisuus-{number}",
            service_area=service_area,
        )
        package.key_actions.add(key_action)
        package.themes.set(themes)
        if number % 2 == 0:
            services.package_open_co_design(
                user=coordinator, package=package, starts_on=timezone.localdate()
            )


def count_queries(client, url) -> int:
    with CaptureQueriesContext(connection) as context:
        response = client.get(url)
    assert response.status_code == 200
    return len(context)


def test_programme_page_queries_constant(
    client, programme, service_area, themes, coordinator, django_assert_max_num_queries
):
    url = reverse("programmes:detail", args=[programme.slug])
    fill_programme(programme, service_area, themes, coordinator, 1)
    one = count_queries(client, url)
    fill_programme(programme, service_area, themes, coordinator, 9, start=1)

    with django_assert_max_num_queries(one):
        response = client.get(url)

    assert response.content.decode().count("/packages/kokonaisuus-") == 10


def test_list_page_queries_constant(
    client, suburb, django_user_model, django_assert_max_num_queries
):
    from osallistu.areas.models import Suburb

    Programme.objects.create(suburb=suburb, title="Ohjelma 0", slug="p0", starts_year=2026)
    one = count_queries(client, reverse("programmes:list"))
    for number in range(1, 10):
        other = Suburb.objects.create(name=f"Lähiö {number}", slug=f"l{number}")
        Programme.objects.create(
            suburb=other, title=f"Ohjelma {number}", slug=f"p{number}", starts_year=2020
        )

    with django_assert_max_num_queries(one):
        response = client.get(reverse("programmes:list"))

    assert response.content.decode().count('class="card"') == 10


def test_package_page_queries_constant(
    client, programme, service_area, themes, coordinator, django_assert_max_num_queries
):
    fill_programme(programme, service_area, themes, coordinator, 1)
    package = programme.project_packages.get()
    url = reverse("programmes:package_detail", args=[programme.slug, package.slug])
    one = count_queries(client, url)
    start = timezone.now() + datetime.timedelta(days=3)
    for number in range(10):
        Event.objects.create(
            process=package.process,
            kind=Event.Kind.WORKSHOP if number % 2 else Event.Kind.OUTREACH,
            title=f"Työpaja {number}",
            slug=f"tyopaja-{number}",
            starts_at=start,
            ends_at=start + datetime.timedelta(hours=2),
            place="Neulamäen koulu",
        )
        key_action = KeyAction.objects.create(programme=programme, title=f"Lisä {number}")
        package.key_actions.add(key_action)

    with django_assert_max_num_queries(one):
        response = client.get(url)

    body = response.content.decode()
    assert body.count("Työpaja ") == 10
    assert reverse("participation:process_detail", args=[package.process.slug]) in body


def test_programme_page_content(client, programme, suburb, themes, indicator):
    Goal.objects.create(
        programme=programme,
        title="Työttömyys laskee",
        measure_kind="indicator",
        indicator=indicator,
        baseline=Decimal("12.5"),
        baseline_year=2022,
        target=Decimal("9"),
        target_year=2030,
    )
    Goal.objects.create(programme=programme, title="Kysely", measure_kind="survey")
    KeyAction.objects.create(programme=programme, title="Koulun piha", starts_year=2027)

    with translation.override("en"):
        response = client.get(f"/en/programmes/{programme.slug}/")

    body = response.content.decode()
    assert response.status_code == 200
    assert "Työttömyys laskee" in body
    assert "12.5 (2022)" in body
    assert "No survey data yet." in body
    assert "Koulun piha" in body
    assert "Nuorten paikat" in body
    assert f'action="/en/notifications/follow/suburb/{suburb.pk}/"' not in body
    assert "Sign in to follow" in body


def test_programme_page_finnish_number_format(client, programme, indicator):
    Goal.objects.create(
        programme=programme,
        title="T",
        measure_kind="indicator",
        indicator=indicator,
        baseline=Decimal("12.5"),
        baseline_year=2022,
    )
    body = client.get(reverse("programmes:detail", args=[programme.slug])).content.decode()
    assert "12,5 (2022)" in body


def test_unknown_programme_and_package(client, programme, coordinator):
    assert client.get("/programmes/ei-ole/").status_code == 404
    client.force_login(coordinator)
    assert client.get("/programmes/staff/ei-ole/").status_code == 404
    assert client.get(f"/programmes/{programme.slug}/packages/ei-ole/").status_code == 404


def test_package_implementation_hook_renders(client, programme, service_area):
    package = ProjectPackage.objects.create(
        programme=programme, title="P", slug="p", service_area=service_area
    )
    response = client.get(reverse("programmes:package_detail", args=[programme.slug, "p"]))
    assert response.status_code == 200
    assert "programmes/_package_implementation.html" in [t.name for t in response.templates]
    assert package.title in response.content.decode()


def test_suburb_picture_links_programme(client, programme, decided_round):
    response = client.get(reverse("areas:suburb_picture", args=[programme.suburb.slug]))
    assert reverse("programmes:detail", args=[programme.slug]) in response.content.decode()


# --- Staff ------------------------------------------------------------------------------------


STAFF_URLS = [
    "programmes:staff_overview",
    "programmes:staff_programme_create",
]


@pytest.mark.parametrize("name", STAFF_URLS)
def test_staff_pages_need_role(client, resident, name):
    client.force_login(resident)
    assert client.get(reverse(name)).status_code == 403


def test_staff_programme_pages_need_role(client, resident, programme):
    client.force_login(resident)
    for name in ("staff_programme", "staff_programme_edit", "staff_goal_create"):
        url = reverse(f"programmes:{name}", args=[programme.slug])
        assert client.get(url).status_code == 403


def test_staff_home_lists_tool(client, coordinator):
    client.force_login(coordinator)
    response = client.get(reverse("staff_home"))
    assert reverse("programmes:staff_overview") in response.content.decode()


def test_overview_creates_for_chosen(client, coordinator, decided_round, suburb):
    client.force_login(coordinator)
    overview = client.get(reverse("programmes:staff_overview"))
    assert suburb.name in overview.content.decode()

    response = client.post(
        reverse("programmes:staff_programme_create_for_chosen"),
        {"selection_round": decided_round.pk, "suburb": suburb.pk},
    )

    programme = Programme.objects.get()
    assert response.status_code == 302
    assert response.url == reverse("programmes:staff_programme", args=[programme.slug])
    assert programme.selection_round == decided_round
    assert client.get(response.url).status_code == 200


def test_goal_form_keeps_input(client, coordinator, programme):
    client.force_login(coordinator)
    data = {
        "title": "Nuoret kokevat kuuluvansa",
        "description": "Kirjoitettu kuvaus",
        "origin": "outreach",
        "measure_kind": "indicator",
        "measure_label": "",
        "baseline": "3,5",
        "baseline_year": "2026",
    }

    with translation.override("en"):
        response = client.post(f"/en/programmes/staff/{programme.slug}/goals/new/", data)

    body = response.content.decode()
    assert response.status_code == 200
    assert not Goal.objects.exists()
    assert "Choose the indicator that measures the goal." in body
    assert 'value="Nuoret kokevat kuuluvansa"' in body
    assert "Kirjoitettu kuvaus" in body
    assert 'value="3.5"' in body or 'value="3,5"' in body
    assert 'aria-invalid="true"' in body


def test_goal_form_saves(client, coordinator, programme, themes, indicator):
    client.force_login(coordinator)
    response = client.post(
        reverse("programmes:staff_goal_create", args=[programme.slug]),
        {
            "title": "Työttömyys laskee",
            "theme": themes[0].pk,
            "origin": "workshop",
            "measure_kind": "indicator",
            "indicator": indicator.pk,
            "baseline": "12,5",
            "baseline_year": "2024",
            "target": "10",
            "target_year": "2030",
        },
    )
    assert response.status_code == 302
    goal = Goal.objects.get()
    assert goal.baseline == Decimal("12.5")
    assert goal.indicator == indicator


def test_goal_move_and_readings(client, coordinator, programme):
    client.force_login(coordinator)
    first = Goal.objects.create(programme=programme, title="A", position=0)
    second = Goal.objects.create(
        programme=programme, title="B", position=1, measure_kind="count", measure_label="Kävijät"
    )
    client.post(
        reverse("programmes:staff_goal_move", args=[programme.slug, second.pk]),
        {"direction": "up"},
    )
    second.refresh_from_db()
    first.refresh_from_db()
    assert (second.position, first.position) == (0, 1)

    url = reverse("programmes:staff_goal_measurements", args=[programme.slug, second.pk])
    bad = client.post(url, {"year": "1800", "value": "12", "note": "Kesän pop-upit"})
    assert bad.status_code == 200
    assert "Kesän pop-upit" in bad.content.decode()
    assert client.post(url, {"year": "2026", "value": "12"}).status_code == 302
    assert second.measurements.get().value == 12


def test_key_actions_from_investments_page(client, coordinator, programme, investments):
    client.force_login(coordinator)
    url = reverse("programmes:staff_key_actions_from_investments", args=[programme.slug])
    page = client.get(url).content.decode()
    assert "Koulun pihan kunnostus" in page
    assert "Uimarannan laituri" not in page

    empty = client.post(url, {})
    assert empty.status_code == 200
    response = client.post(url, {"investments": [investments[0].pk]})

    assert response.status_code == 302
    assert KeyAction.objects.get().starts_year == 2027
    assert "Koulun pihan kunnostus" not in client.get(url).content.decode()


def test_package_form_and_co_design(client, coordinator, programme, service_area, themes):
    client.force_login(coordinator)
    url = reverse("programmes:staff_package_create", args=[programme.slug])
    bad = client.post(url, {"title": "Puiston kokonaisuus", "themes": [themes[0].pk]})
    assert bad.status_code == 200
    assert 'value="Puiston kokonaisuus"' in bad.content.decode()
    assert "checked" in bad.content.decode()

    response = client.post(
        url,
        {"title": "Puiston kokonaisuus", "service_area": service_area.pk, "themes": [themes[0].pk]},
    )
    assert response.status_code == 302
    package = ProjectPackage.objects.get()

    co_design = reverse("programmes:staff_package_co_design", args=[programme.slug, package.pk])
    reversed_dates = client.post(co_design, {"starts_on": "2026-05-10", "ends_on": "2026-05-01"})
    assert reversed_dates.status_code == 200
    assert 'value="2026-05-01"' in reversed_dates.content.decode()
    assert client.post(co_design, {"starts_on": "2026-05-10"}).status_code == 302
    package.refresh_from_db()
    assert package.process is not None
    manage = client.get(reverse("programmes:staff_programme", args=[programme.slug]))
    assert f"?process={package.process.slug}" in manage.content.decode()
