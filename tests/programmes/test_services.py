"""Writes of programmes: permissions, validation and the audit events they record."""

import datetime
from decimal import Decimal

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.utils import translation

from osallistu.audit.models import AuditEvent
from osallistu.participation import rules
from osallistu.participation.models import Phase, Process
from osallistu.participation.rules import Action
from osallistu.programmes import services
from osallistu.programmes.models import Goal, GoalMeasurement, KeyAction, Programme

pytestmark = pytest.mark.django_db


def actions() -> list[str]:
    return list(AuditEvent.objects.order_by("pk").values_list("action", flat=True))


def test_programme_create_for_chosen(coordinator, decided_round, suburb):
    programme = services.programme_create_for_chosen(
        user=coordinator, selection_round=decided_round, suburb=suburb
    )

    assert programme.suburb == suburb
    assert programme.starts_year == 2026
    assert programme.slug == "neulamaki"
    assert programme.selection_round == decided_round
    event = AuditEvent.objects.get()
    assert event.action == "programmes.create_programme"
    assert event.suburb == suburb
    assert event.target_id == str(programme.pk)


def test_programme_create_rejects_resident(resident, suburb):
    with pytest.raises(PermissionDenied):
        services.programme_create(user=resident, suburb=suburb, title="X", starts_year=2026)
    assert not Programme.objects.exists()
    assert not AuditEvent.objects.exists()


def test_programme_create_rejects_second(coordinator, programme, suburb):
    with pytest.raises(ValidationError) as caught:
        services.programme_create(user=coordinator, suburb=suburb, title="X", starts_year=2026)
    assert "suburb" in caught.value.message_dict


def test_programme_round_must_choose_suburb(coordinator, decided_round, other_suburb):
    with pytest.raises(ValidationError) as caught:
        services.programme_create(
            user=coordinator,
            suburb=other_suburb,
            title="Jynkän ohjelma",
            starts_year=2026,
            selection_round=decided_round,
        )
    assert "selection_round" in caught.value.message_dict


def test_programme_round_must_be_decided(coordinator, decided_round, suburb):
    decided_round.status = decided_round.Status.PROPOSAL
    decided_round.save()
    with pytest.raises(ValidationError) as caught:
        services.programme_create_for_chosen(
            user=coordinator, selection_round=decided_round, suburb=suburb
        )
    assert "selection_round" in caught.value.message_dict


def test_programme_years_and_reserved_slug(coordinator, programme):
    with pytest.raises(ValidationError) as caught:
        services.programme_update(user=coordinator, programme=programme, ends_year=2020)
    assert "ends_year" in caught.value.message_dict
    with pytest.raises(ValidationError) as caught:
        services.programme_update(user=coordinator, programme=programme, slug="staff")
    assert "slug" in caught.value.message_dict
    programme.refresh_from_db()
    assert programme.ends_year is None


def test_programme_update_audits_changed_fields(coordinator, programme):
    services.programme_update(
        user=coordinator, programme=programme, title="Uusi nimi", ends_year=2030
    )

    programme.refresh_from_db()
    assert programme.title == "Uusi nimi"
    event = AuditEvent.objects.get()
    assert event.action == "programmes.update_programme"
    assert event.details["fields"] == ["ends_year", "title"]


def test_goal_create_positions(coordinator, programme, themes):
    first = services.goal_create(user=coordinator, programme=programme, title="A", theme=themes[0])
    second = services.goal_create(user=coordinator, programme=programme, title="B")

    assert (first.position, second.position) == (0, 1)
    assert actions() == ["programmes.create_goal", "programmes.create_goal"]


@pytest.mark.parametrize(
    ("fields", "error_field"),
    [
        ({"measure_kind": "indicator"}, "indicator"),
        ({"measure_kind": "count"}, "measure_label"),
        ({"baseline": Decimal(5), "baseline_year": 2024}, "baseline"),
        ({"measure_kind": "survey", "baseline": Decimal(5)}, "baseline_year"),
        ({"measure_kind": "survey", "target_year": 2030}, "target"),
        (
            {
                "measure_kind": "survey",
                "baseline": Decimal(3),
                "baseline_year": 2026,
                "target": Decimal(4),
                "target_year": 2025,
            },
            "target_year",
        ),
        (
            {"measure_kind": "survey", "baseline": Decimal(3), "baseline_year": 1900},
            "baseline_year",
        ),
    ],
)
def test_goal_measure_validation(coordinator, programme, fields, error_field):
    with pytest.raises(ValidationError) as caught:
        services.goal_create(user=coordinator, programme=programme, title="Tavoite", **fields)
    assert error_field in caught.value.message_dict
    assert not Goal.objects.exists()
    assert not AuditEvent.objects.exists()


def test_goal_error_is_translated(coordinator, programme):
    with translation.override("en"):
        with pytest.raises(ValidationError) as caught:
            services.goal_create(
                user=coordinator, programme=programme, title="T", measure_kind="indicator"
            )
        # The messages are lazy: read them in the language under test.
        assert caught.value.message_dict["indicator"] == [
            "Choose the indicator that measures the goal."
        ]


def test_goal_theme_of_other_suburb(coordinator, programme, other_suburb):
    from osallistu.areas.models import DevelopmentTheme

    theme = DevelopmentTheme.objects.create(suburb=other_suburb, title="Muu")
    with pytest.raises(ValidationError) as caught:
        services.goal_create(user=coordinator, programme=programme, title="T", theme=theme)
    assert "theme" in caught.value.message_dict


def test_goal_kind_change_drops_indicator(coordinator, programme, indicator):
    goal = services.goal_create(
        user=coordinator,
        programme=programme,
        title="T",
        measure_kind="indicator",
        indicator=indicator,
    )
    services.goal_update(
        user=coordinator, goal=goal, measure_kind="count", measure_label="Tavoitetut nuoret"
    )

    goal.refresh_from_db()
    assert goal.indicator is None
    assert AuditEvent.objects.order_by("pk").last().details["fields"] == [
        "measure_kind",
        "measure_label",
    ]


def test_goal_move(coordinator, programme):
    goals = [
        services.goal_create(user=coordinator, programme=programme, title=title) for title in "ABC"
    ]
    services.goal_move(user=coordinator, goal=goals[2], offset=-1)
    services.goal_move(user=coordinator, goal=goals[0], offset=-1)

    order = list(programme.goals.order_by("position").values_list("title", flat=True))
    assert order == ["A", "C", "B"]
    assert actions().count("programmes.move_goal") == 2


def test_measurement_save_replaces_year(coordinator, programme):
    goal = services.goal_create(
        user=coordinator,
        programme=programme,
        title="T",
        measure_kind="count",
        measure_label="Tavoitetut nuoret",
    )
    services.measurement_save(user=coordinator, goal=goal, year=2026, value=Decimal(40))
    services.measurement_save(user=coordinator, goal=goal, year=2026, value=Decimal(45))

    assert list(goal.measurements.values_list("year", "value")) == [(2026, Decimal(45))]
    assert actions()[-1] == "programmes.save_goal_measurement"


def test_measurement_needs_count_goal(coordinator, programme):
    goal = services.goal_create(user=coordinator, programme=programme, title="T")
    with pytest.raises(ValidationError):
        services.measurement_save(user=coordinator, goal=goal, year=2026, value=Decimal(1))
    assert not GoalMeasurement.objects.exists()


def test_measurement_delete(coordinator, programme):
    goal = services.goal_create(
        user=coordinator,
        programme=programme,
        title="T",
        measure_kind="count",
        measure_label="Kävijät",
    )
    reading = services.measurement_save(user=coordinator, goal=goal, year=2026, value=1)
    services.measurement_delete(user=coordinator, measurement=reading)
    assert not GoalMeasurement.objects.exists()
    assert actions()[-1] == "programmes.delete_goal_measurement"


def test_key_actions_from_investments(coordinator, programme, investments):
    created = services.key_actions_from_investments(
        user=coordinator, programme=programme, investments=investments[:2]
    )

    assert [(k.title, k.starts_year, k.position) for k in created] == [
        ("Koulun pihan kunnostus", 2027, 0),
        ("Kuntopolun valaistus", 2028, 1),
    ]
    event = AuditEvent.objects.get()
    assert event.action == "programmes.create_key_actions_from_investments"
    assert event.details["investments"] == ["inv-1", "inv-2"]


def test_key_actions_from_investments_rejects(coordinator, programme, investments):
    with pytest.raises(ValidationError):
        services.key_actions_from_investments(
            user=coordinator, programme=programme, investments=investments
        )
    assert not KeyAction.objects.exists()
    services.key_actions_from_investments(
        user=coordinator, programme=programme, investments=investments[:1]
    )
    with pytest.raises(ValidationError):
        services.key_actions_from_investments(
            user=coordinator, programme=programme, investments=investments[:2]
        )
    assert KeyAction.objects.count() == 1


def test_key_action_by_hand_with_goals(coordinator, programme, suburb):
    goal = services.goal_create(user=coordinator, programme=programme, title="T")
    key_action = services.key_action_create(
        user=coordinator,
        programme=programme,
        title="Nuorten tila",
        starts_year=2027,
        goals=[goal],
    )
    assert list(key_action.goals.all()) == [goal]

    other = Programme.objects.create(
        suburb=_other(suburb), title="Muu", slug="muu", starts_year=2026
    )
    foreign_goal = services.goal_create(user=coordinator, programme=other, title="Muu")
    with pytest.raises(ValidationError):
        services.key_action_update(user=coordinator, key_action=key_action, goals=[foreign_goal])


def _other(suburb):
    from osallistu.areas.models import Suburb

    return Suburb.objects.create(name="Petonen", slug="petonen")


def test_package_create_and_update(coordinator, programme, themes, service_area, investments):
    key_actions = services.key_actions_from_investments(
        user=coordinator, programme=programme, investments=investments[:2]
    )
    package = services.package_create(
        user=coordinator,
        programme=programme,
        title="Koulun ja puiston kokonaisuus",
        service_area=service_area,
        key_actions=key_actions,
        themes=themes[:1],
    )
    assert package.slug == "koulun-ja-puiston-kokonaisuus"
    assert set(package.key_actions.all()) == set(key_actions)

    with pytest.raises(ValidationError) as caught:
        services.package_create(
            user=coordinator,
            programme=programme,
            title="Toinen",
            slug=package.slug,
            service_area=service_area,
        )
    assert "slug" in caught.value.message_dict

    services.package_update(user=coordinator, package=package, themes=themes)
    assert package.themes.count() == 2
    assert actions()[-1] == "programmes.update_project_package"


def test_package_rejects_foreign_theme(coordinator, programme, service_area, other_suburb):
    from osallistu.areas.models import DevelopmentTheme

    theme = DevelopmentTheme.objects.create(suburb=other_suburb, title="Muu")
    with pytest.raises(ValidationError) as caught:
        services.package_create(
            user=coordinator,
            programme=programme,
            title="P",
            service_area=service_area,
            themes=[theme],
        )
    assert "themes" in caught.value.message_dict


def test_open_co_design(coordinator, programme, service_area, suburb, resident, today):
    package = services.package_create(
        user=coordinator, programme=programme, title="Puisto", service_area=service_area
    )
    process = services.package_open_co_design(user=coordinator, package=package, starts_on=today)

    package.refresh_from_db()
    assert package.process == process
    assert process.kind == Process.Kind.AREA_DEVELOPMENT
    assert list(process.suburbs.all()) == [suburb]
    phase = process.phases.get()
    assert phase.kind == Phase.Kind.DISCUSSION
    assert phase.ends_on == today + datetime.timedelta(days=services.DEFAULT_CO_DESIGN_DAYS)
    assert rules.can(resident, Action.COMMENT, process)
    event = AuditEvent.objects.order_by("pk").last()
    assert event.action == "programmes.open_co_design"
    assert event.process == process

    with pytest.raises(ValidationError):
        services.package_open_co_design(user=coordinator, package=package, starts_on=today)
    assert Process.objects.count() == 1


def test_open_co_design_dates(coordinator, programme, service_area, today):
    package = services.package_create(
        user=coordinator, programme=programme, title="Puisto", service_area=service_area
    )
    with pytest.raises(ValidationError) as caught:
        services.package_open_co_design(
            user=coordinator,
            package=package,
            starts_on=today,
            ends_on=today - datetime.timedelta(days=1),
        )
    assert "ends_on" in caught.value.message_dict
    assert not Process.objects.exists()


def test_writes_need_permission(resident, programme, service_area):
    calls = [
        lambda: services.programme_update(user=resident, programme=programme, title="X"),
        lambda: services.goal_create(user=resident, programme=programme, title="X"),
        lambda: services.key_action_create(user=resident, programme=programme, title="X"),
        lambda: services.package_create(
            user=resident, programme=programme, title="X", service_area=service_area
        ),
    ]
    for call in calls:
        with pytest.raises(PermissionDenied):
            call()
    assert not AuditEvent.objects.exists()
