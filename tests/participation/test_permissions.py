"""The permission rules, tested case by case from the tables in docs/permissions.md.

The document is parsed when the tests are collected: one test per role, phase and action, and one
per role and staff action, each with a user who has exactly that role. Further tests cover scoped
roles, phase overrides, blocked accounts, the days between phases and the memoised role lookup.
"""

import datetime
import re

import pytest
from django.contrib.auth.models import AnonymousUser
from django.core.exceptions import ValidationError
from django.utils import timezone

from osallistu.accounts.models import RoleAssignment
from osallistu.accounts.services import service_areas_ensure
from osallistu.areas.models import Suburb
from osallistu.moderation.models import AccountBlock
from osallistu.organisations.models import Membership, Organisation
from osallistu.participation import rules
from osallistu.participation.models import Phase, Process
from osallistu.participation.rules import Action, Role
from tests.conftest import REPO_ROOT

PERMISSIONS_DOC = REPO_ROOT / "docs" / "permissions.md"
STAFF_TABLE = "staff"
# A heading that names its table key in backticks, such as "### Ideation (`ideation`)".
TABLE_HEADING = re.compile(r"^#+ .*\(`(?P<key>[a-z_]+)`\)\s*$")
DAY = datetime.timedelta(days=1)


def parse_permission_tables(text: str) -> dict[str, dict[str, dict[str, bool]]]:
    """Return {table key: {role: {action: allowed}}} from the document's role tables.

    A role table is the first Markdown table under a keyed heading whose first column is `role`;
    other tables (such as action descriptions) are skipped. A cell other than yes or no, or a row
    with the wrong number of cells, raises ValueError with the line number.
    """
    tables: dict[str, dict[str, dict[str, bool]]] = {}
    key = None
    header: list[str] | None = None
    skipping_table = False
    for number, line in enumerate(text.splitlines(), start=1):
        if line.startswith("#"):
            heading = TABLE_HEADING.match(line)
            key = heading["key"] if heading else None
            header, skipping_table = None, False
            continue
        if not line.startswith("|"):
            header, skipping_table = None, False
            continue
        cells = [cell.strip() for cell in line.strip().strip("|").split("|")]
        if key is None or skipping_table or all(set(cell) == {"-"} for cell in cells):
            continue
        if header is None:
            if cells[0] != "role" or key in tables:
                skipping_table = True
                continue
            header = cells[1:]
            tables[key] = {}
            continue
        if len(cells) != len(header) + 1:
            raise ValueError(f"line {number}: expected {len(header) + 1} cells, got {len(cells)}")
        role = cells[0].strip("`")
        row = {}
        for action, cell in zip(header, cells[1:], strict=True):
            if cell not in {"yes", "no"}:
                raise ValueError(f"line {number}: cell {cell!r} of {action} is not yes or no")
            row[action] = cell == "yes"
        tables[key][role] = row
    return tables


TABLES = parse_permission_tables(PERMISSIONS_DOC.read_text(encoding="utf-8"))
PHASE_TABLES = {key: table for key, table in TABLES.items() if key != STAFF_TABLE}

PHASED_CASES = [
    pytest.param(phase, role, action, allowed, id=f"{phase}-{role}-{action}")
    for phase, table in PHASE_TABLES.items()
    for role, row in table.items()
    for action, allowed in row.items()
]
STAFF_CASES = [
    pytest.param(role, action, allowed, id=f"{role}-{action}")
    for role, row in TABLES.get(STAFF_TABLE, {}).items()
    for action, allowed in row.items()
]


# --- Fixtures and helpers ---------------------------------------------------------------------


def _process(slug: str, *phases: tuple[str, datetime.date, datetime.date], suburbs=()) -> Process:
    process = Process.objects.create(
        title=slug, slug=slug, kind=Process.Kind.PARTICIPATORY_BUDGETING
    )
    for kind, starts, ends in phases:
        Phase.objects.create(process=process, kind=kind, starts_on=starts, ends_on=ends)
    process.suburbs.set(suburbs)
    return process


def _process_in(kind: str, today: datetime.date, slug: str = "prosessi", **phase_fields):
    """Return a process whose only phase, of `kind`, runs from yesterday to tomorrow."""
    process = _process(slug)
    Phase.objects.create(
        process=process, kind=kind, starts_on=today - DAY, ends_on=today + DAY, **phase_fields
    )
    return process


def _fresh(user):
    """Return the user as a new request would load it, with nothing memoised."""
    if not user.is_authenticated:
        return user
    return type(user).objects.get(pk=user.pk)


def _user_with_role(django_user_model, role: str, **assignment_scope):
    """Return a user with `role` and no other role but `registered`."""
    if role == Role.ANONYMOUS:
        return AnonymousUser()
    user = django_user_model.objects.create_user(
        email=f"{role}-{django_user_model.objects.count()}@example.fi"
    )
    if role == Role.VERIFIED_RESIDENT:
        user.verified_at = timezone.now()
        user.save(update_fields=["verified_at"])
    elif role == Role.ORGANISATION_MEMBER:
        organisation, _created = Organisation.objects.get_or_create(
            slug="neulamaen-asukasyhdistys", defaults={"name": "Neulamäen asukasyhdistys"}
        )
        Membership.objects.create(organisation=organisation, user=user)
    elif role in Role.STAFF:
        service_area = service_areas_ensure()[0] if role == Role.EVALUATOR else None
        RoleAssignment.objects.create(
            user=user, role=role, service_area=service_area, **assignment_scope
        )
    return _fresh(user)


@pytest.fixture
def suburbs(db):
    return (
        Suburb.objects.create(name="Neulamäki", slug="neulamaki"),
        Suburb.objects.create(name="Jynkkä", slug="jynkka"),
    )


# --- The document and the code agree ----------------------------------------------------------


def test_document_has_every_phase_kind():
    assert set(PHASE_TABLES) == set(rules.PHASE_KINDS)
    assert set(Phase.Kind.values) <= set(PHASE_TABLES)


def test_document_tables_are_complete():
    for key, table in PHASE_TABLES.items():
        assert list(table) == list(Role.ALL), key
        for role, row in table.items():
            assert list(row) == list(Action.PHASED), f"{key} {role}"
    assert list(TABLES[STAFF_TABLE]) == list(Role.ALL)
    for role, row in TABLES[STAFF_TABLE].items():
        assert list(row) == list(Action.STAFF), role


def test_document_matches_default_permissions():
    from_code = {
        kind: {
            role: {action: role in actions.get(action, frozenset()) for action in Action.PHASED}
            for role in Role.ALL
        }
        for kind, actions in rules.DEFAULT_PERMISSIONS.items()
    }
    assert from_code == PHASE_TABLES


def test_default_permissions_name_known_values():
    assert set(rules.DEFAULT_PERMISSIONS) == set(rules.PHASE_KINDS)
    for kind, actions in rules.DEFAULT_PERMISSIONS.items():
        assert set(actions) <= set(Action.PHASED), kind
        for action, roles in actions.items():
            assert roles <= set(Role.ALL), f"{kind} {action}"


def test_document_matches_staff_permissions():
    from_code = {
        role: {action: role in rules.STAFF_PERMISSIONS[action] for action in Action.STAFF}
        for role in Role.ALL
    }
    assert set(rules.STAFF_PERMISSIONS) == set(Action.STAFF)
    assert from_code == TABLES[STAFF_TABLE]


def test_signed_in_roles_include_registered():
    # Every signed-in user is also registered, so no signed-in row may allow less.
    for key, table in TABLES.items():
        registered = table[Role.REGISTERED]
        for role in set(Role.ALL) - {Role.ANONYMOUS, Role.REGISTERED}:
            for action, allowed in registered.items():
                assert table[role][action] or not allowed, f"{key} {role} {action}"


def test_parser_rejects_bad_cell():
    text = "### Ideation (`ideation`)\n\n| role | propose |\n| --- | --- |\n| `x` | maybe |\n"
    with pytest.raises(ValueError, match="line 5"):
        parse_permission_tables(text)


def test_parser_rejects_short_row():
    text = "### Ideation (`ideation`)\n\n| role | a | b |\n| --- | --- | --- |\n| `x` | no |"
    with pytest.raises(ValueError, match="expected 3 cells"):
        parse_permission_tables(text)


# --- Generated cases --------------------------------------------------------------------------


@pytest.mark.django_db
@pytest.mark.parametrize(("phase", "role", "action", "allowed"), PHASED_CASES)
def test_phased_permission(phase, role, action, allowed, django_user_model, today):
    process = _process_in(phase, today)
    user = _user_with_role(django_user_model, role)

    assert rules.can(user, action, process) is allowed


@pytest.mark.django_db
@pytest.mark.parametrize(("role", "action", "allowed"), STAFF_CASES)
def test_staff_permission(role, action, allowed, django_user_model, today):
    # The only phase has ended, so the process is between phases: staff actions still apply.
    process = _process("paattynyt", (Phase.Kind.IDEATION, today - 10 * DAY, today - 5 * DAY))
    user = _user_with_role(django_user_model, role)

    assert rules.can(user, action, process) is allowed
    assert rules.can(user, action) is allowed


@pytest.mark.django_db
@pytest.mark.parametrize("role", Role.ALL)
def test_roles_of_each_role(role, django_user_model, today):
    process = _process_in(Phase.Kind.IDEATION, today)
    user = _user_with_role(django_user_model, role)
    expected = {role} if role == Role.ANONYMOUS else {Role.REGISTERED, role}

    assert rules.roles_of(user, process) == expected


# --- Scoped roles -----------------------------------------------------------------------------


@pytest.mark.django_db
def test_suburb_scoped_role(django_user_model, suburbs, today):
    neulamaki, jynkka = suburbs
    own = _process("oma", suburbs=[neulamaki, jynkka])
    other = _process("muu", suburbs=[jynkka])
    coordinator = _user_with_role(django_user_model, Role.COORDINATOR, suburb=neulamaki)

    assert rules.can(coordinator, Action.MANAGE_THEMES, own)
    assert not rules.can(coordinator, Action.MANAGE_THEMES, other)
    assert not rules.can(coordinator, Action.MANAGE_THEMES)
    assert Role.COORDINATOR not in rules.roles_of(coordinator, other)


@pytest.mark.django_db
def test_process_scoped_role(django_user_model, suburbs, today):
    own = _process("oma", suburbs=suburbs)
    other = _process("muu", suburbs=suburbs)
    moderator = _user_with_role(django_user_model, Role.MODERATOR, process=own)

    assert rules.can(moderator, Action.MODERATE, own)
    assert not rules.can(moderator, Action.MODERATE, other)
    assert not rules.can(moderator, Action.MODERATE)


@pytest.mark.django_db
def test_unscoped_role_is_city_wide(django_user_model, suburbs):
    process = _process("jokin", suburbs=[suburbs[1]])
    coordinator = _user_with_role(django_user_model, Role.COORDINATOR)

    assert rules.can(coordinator, Action.MANAGE_THEMES, process)
    assert rules.can(coordinator, Action.MANAGE_THEMES)


@pytest.mark.django_db
def test_roles_add_up_across_scopes(django_user_model, suburbs):
    own = _process("oma", suburbs=[suburbs[0]])
    other = _process("muu", suburbs=[suburbs[1]])
    user = _user_with_role(django_user_model, Role.MODERATOR)
    RoleAssignment.objects.create(user=user, role=Role.COORDINATOR, suburb=suburbs[0])
    user = _fresh(user)

    assert rules.roles_of(user, own) == {Role.REGISTERED, Role.MODERATOR, Role.COORDINATOR}
    assert rules.roles_of(user, other) == {Role.REGISTERED, Role.MODERATOR}


@pytest.mark.django_db
def test_evaluator_service_areas(django_user_model, suburbs):
    own = _process("oma", suburbs=[suburbs[0]])
    other = _process("muu", suburbs=[suburbs[1]])
    urban, welfare, _learning = service_areas_ensure()
    user = django_user_model.objects.create_user(email="arvioija@example.fi")
    RoleAssignment.objects.create(user=user, role=Role.EVALUATOR, service_area=urban)
    RoleAssignment.objects.create(
        user=user, role=Role.EVALUATOR, service_area=welfare, suburb=suburbs[0]
    )
    user = _fresh(user)

    assert rules.service_areas_of(user, own) == {urban.pk, welfare.pk}
    assert rules.service_areas_of(user, other) == {urban.pk}
    assert rules.service_areas_of(AnonymousUser(), own) == frozenset()


@pytest.mark.django_db
def test_superuser_is_administrator(django_user_model, suburbs):
    process = _process("jokin", suburbs=suburbs)
    superuser = _fresh(django_user_model.objects.create_superuser(email="paakayttaja@example.fi"))

    assert Role.ADMINISTRATOR in rules.roles_of(superuser, process)
    assert rules.can(superuser, Action.MANAGE_THEMES, process)


@pytest.mark.django_db
def test_staff_flag_alone_is_no_role(django_user_model):
    user = django_user_model.objects.create_user(email="henkilokunta@example.fi", is_staff=True)

    assert rules.roles_of(_fresh(user)) == {Role.REGISTERED}


@pytest.mark.django_db
def test_inactive_user_is_anonymous(django_user_model, today):
    process = _process_in(Phase.Kind.IDEATION, today)
    user = _user_with_role(django_user_model, Role.COORDINATOR)
    user.is_active = False
    user.save()

    assert rules.roles_of(_fresh(user), process) == {Role.ANONYMOUS}
    assert not rules.can(_fresh(user), Action.PROPOSE, process)


# --- Phase overrides --------------------------------------------------------------------------


@pytest.mark.django_db
def test_override_limits_vote_to_verified(django_user_model, today):
    process = _process_in(
        Phase.Kind.VOTING, today, permissions={Action.VOTE: [Role.VERIFIED_RESIDENT]}
    )
    registered = _user_with_role(django_user_model, Role.REGISTERED)
    verified = _user_with_role(django_user_model, Role.VERIFIED_RESIDENT)
    administrator = _user_with_role(django_user_model, Role.ADMINISTRATOR)

    assert not rules.can(registered, Action.VOTE, process)
    assert not rules.can(administrator, Action.VOTE, process)
    assert rules.can(verified, Action.VOTE, process)
    # Actions without an override keep the defaults of the phase kind.
    assert rules.can(registered, Action.COMMENT, process)


@pytest.mark.django_db
def test_override_can_allow(django_user_model, today):
    process = _process_in(Phase.Kind.VOTING, today, permissions={Action.PROPOSE: [Role.REGISTERED]})
    registered = _user_with_role(django_user_model, Role.REGISTERED)

    assert rules.can(registered, Action.PROPOSE, process)
    assert not rules.can(AnonymousUser(), Action.PROPOSE, process)


@pytest.mark.django_db
def test_empty_override_allows_nobody(django_user_model, today):
    process = _process_in(Phase.Kind.IDEATION, today, permissions={Action.COMMENT: []})
    administrator = _user_with_role(django_user_model, Role.ADMINISTRATOR)

    assert not rules.can(administrator, Action.COMMENT, process)
    assert rules.can(administrator, Action.PROPOSE, process)


@pytest.mark.django_db
def test_malformed_override_allows_nobody(django_user_model, today):
    process = _process_in(Phase.Kind.VOTING, today, permissions={Action.VOTE: "registered"})
    registered = _user_with_role(django_user_model, Role.REGISTERED)

    assert not rules.can(registered, Action.VOTE, process)


@pytest.mark.django_db
def test_override_leaves_staff_actions(django_user_model, today):
    process = _process_in(
        Phase.Kind.IDEATION, today, permissions={Action.MANAGE_THEMES: [Role.REGISTERED]}
    )
    registered = _user_with_role(django_user_model, Role.REGISTERED)

    assert not rules.can(registered, Action.MANAGE_THEMES, process)


@pytest.mark.parametrize(
    ("value", "code"),
    [
        ([], "invalid"),
        ({"fly": ["registered"]}, "unknown_action"),
        ({"vote": "registered"}, "invalid"),
        ({"vote": ["mayor"]}, "unknown_role"),
    ],
)
def test_validate_phase_permissions_rejects(value, code):
    with pytest.raises(ValidationError) as raised:
        rules.validate_phase_permissions(value)
    assert raised.value.code == code


def test_validate_phase_permissions_accepts():
    rules.validate_phase_permissions({"vote": ["verified_resident"], "comment": []})


# --- Blocked accounts -------------------------------------------------------------------------


@pytest.mark.django_db
@pytest.mark.parametrize(
    ("kind", "action", "allowed"),
    [
        (Phase.Kind.IDEATION, Action.PROPOSE, False),
        (Phase.Kind.IDEATION, Action.COMMENT, False),
        (Phase.Kind.IDEATION, Action.SUGGEST_THEME, False),
        (Phase.Kind.IDEATION, Action.SUPPORT, True),
        (Phase.Kind.VOTING, Action.VOTE, True),
    ],
)
def test_blocked_account(kind, action, allowed, django_user_model, today):
    process = _process_in(kind, today)
    user = _user_with_role(django_user_model, Role.VERIFIED_RESIDENT)
    moderator = _user_with_role(django_user_model, Role.MODERATOR)
    AccountBlock.objects.create(user=user, reason="Häiriköinti", blocked_by=moderator)
    user = _fresh(user)

    assert rules.is_blocked(user)
    assert rules.can(user, action, process) is allowed


@pytest.mark.django_db
def test_unblocked_account_posts(django_user_model, today):
    process = _process_in(Phase.Kind.IDEATION, today)
    user = _user_with_role(django_user_model, Role.REGISTERED)

    assert not rules.is_blocked(user)
    assert not rules.is_blocked(AnonymousUser())
    assert rules.can(user, Action.PROPOSE, process)


# --- Phases and days --------------------------------------------------------------------------


@pytest.mark.django_db
@pytest.mark.parametrize("offset", [-20, -1, 1, 20], ids=["before", "gap", "gap-end", "after"])
def test_no_action_between_phases(offset, django_user_model, today):
    # Ideation ends 2 days before today and voting starts 2 days after it, so the days from
    # yesterday to tomorrow fall between phases; 20 days before or after fall outside all.
    process = _process(
        "tauko",
        (Phase.Kind.IDEATION, today - 10 * DAY, today - 2 * DAY),
        (Phase.Kind.VOTING, today + 2 * DAY, today + 10 * DAY),
    )
    day = today + offset * DAY
    superuser = _fresh(django_user_model.objects.create_superuser(email="paakayttaja@example.fi"))

    assert rules.current_phase(process, day) is None
    for action in Action.PHASED:
        assert not rules.can(superuser, action, process, day), action
        assert not rules.can(AnonymousUser(), action, process, day), action


@pytest.mark.django_db
def test_phase_days_are_inclusive(django_user_model, today):
    process = _process("paivat", (Phase.Kind.IDEATION, today, today + 3 * DAY))
    user = _user_with_role(django_user_model, Role.REGISTERED)

    assert not rules.can(user, Action.PROPOSE, process, today - DAY)
    assert rules.can(user, Action.PROPOSE, process, today)
    assert rules.can(user, Action.PROPOSE, process, today + 3 * DAY)
    assert not rules.can(user, Action.PROPOSE, process, today + 4 * DAY)


@pytest.mark.django_db
def test_next_phase(today):
    process = _process(
        "seuraava",
        (Phase.Kind.IDEATION, today - 10 * DAY, today - 2 * DAY),
        (Phase.Kind.IMPLEMENTATION, today + 20 * DAY, today + 30 * DAY),
        (Phase.Kind.VOTING, today + 2 * DAY, today + 10 * DAY),
    )

    assert rules.next_phase(process, today).kind == Phase.Kind.VOTING
    assert rules.next_phase(process, today + 15 * DAY).kind == Phase.Kind.IMPLEMENTATION
    assert rules.next_phase(process, today + 25 * DAY) is None


@pytest.mark.django_db
def test_actions_in_phase(django_user_model, today):
    process = _process(
        "vaiheet",
        (Phase.Kind.IDEATION, today - DAY, today + DAY),
        (Phase.Kind.VOTING, today + 2 * DAY, today + 10 * DAY),
    )
    ideation, voting = process.phases.order_by("starts_on")
    user = _user_with_role(django_user_model, Role.REGISTERED)

    assert rules.actions_in_phase(user, process, voting) == [Action.COMMENT, Action.VOTE]
    assert rules.actions_in_phase(AnonymousUser(), process, ideation) == [Action.SUPPORT]
    assert rules.actions_for_role(Role.REGISTERED, ideation) == [
        Action.PROPOSE,
        Action.COMMENT,
        Action.SUPPORT,
        Action.SUGGEST_THEME,
    ]


@pytest.mark.django_db
def test_unknown_action_raises(today):
    process = _process_in(Phase.Kind.IDEATION, today)

    with pytest.raises(ValueError, match="unknown action"):
        rules.can(AnonymousUser(), "fly", process)
    with pytest.raises(ValueError, match="needs a process"):
        rules.can(AnonymousUser(), Action.PROPOSE)


# --- Memoised roles ---------------------------------------------------------------------------


@pytest.mark.django_db
def test_roles_loaded_once_per_user(django_user_model, suburbs, today, django_assert_num_queries):
    processes = [
        _process_in(Phase.Kind.IDEATION, today, slug=f"prosessi-{number}") for number in range(5)
    ]
    for process in processes:
        process.suburbs.set(suburbs)
    processes = list(Process.objects.prefetch_related("phases", "suburbs"))
    user = _user_with_role(django_user_model, Role.COORDINATOR, suburb=suburbs[0])
    RoleAssignment.objects.create(user=user, role=Role.MODERATOR, process=processes[0])
    user = _fresh(user)

    # The user's flags and role assignments, once for all processes and actions.
    with django_assert_num_queries(2):
        for process in processes:
            for action in Action.ALL:
                rules.can(user, action, process)


@pytest.mark.django_db
def test_anonymous_roles_need_no_query(today, django_assert_num_queries):
    process = Process.objects.prefetch_related("phases", "suburbs").get(
        pk=_process_in(Phase.Kind.IDEATION, today).pk
    )

    with django_assert_num_queries(0):
        for action in Action.ALL:
            rules.can(AnonymousUser(), action, process)


@pytest.mark.django_db
def test_clear_cache_reloads_roles(django_user_model, today):
    process = _process_in(Phase.Kind.IDEATION, today)
    user = _user_with_role(django_user_model, Role.REGISTERED)
    assert not rules.can(user, Action.MANAGE_THEMES, process)

    RoleAssignment.objects.create(user=user, role=Role.COORDINATOR)
    rules.clear_cache(user)

    assert rules.can(user, Action.MANAGE_THEMES, process)
