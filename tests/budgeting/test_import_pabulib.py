"""import_pabulib: the process it creates, what it stores, and the input it rejects whole."""

import io
from decimal import Decimal

import pytest
from django.core import serializers
from django.core.exceptions import ValidationError
from django.core.management import CommandError, call_command
from django.utils import translation

from osallistu.budgeting import services
from osallistu.budgeting.models import (
    Ballot,
    BallotChoice,
    BudgetArea,
    ParticipationRecord,
    Project,
)
from osallistu.participation.models import Process

from .pabulib_samples import line_of, pb_text, write_pb

pytestmark = pytest.mark.django_db


def _import(path) -> list[str]:
    out = io.StringIO()
    with translation.override("en"):
        call_command("import_pabulib", str(path), stdout=out)
    return out.getvalue().splitlines()


def _import_error(path) -> str:
    with translation.override("en"), pytest.raises(CommandError) as raised:
        call_command("import_pabulib", str(path), stdout=io.StringIO())
    return str(raised.value)


def _assert_nothing_written():
    assert Process.objects.count() == 0
    assert BudgetArea.objects.count() == 0
    assert Project.objects.count() == 0
    assert Ballot.objects.count() == 0
    assert BallotChoice.objects.count() == 0


def test_import_prints_identifier_last(tmp_path):
    path = write_pb(tmp_path, "Finland_Kuopio_2024.pb")

    lines = _import(path)

    process = Process.objects.get()
    assert lines[-1] == process.slug
    assert process.slug == "finland-kuopio-2024"
    assert "2 ballots." in lines
    assert "3 budget proposals." in lines


def test_import_creates_closed_published_process(tmp_path):
    path = write_pb(
        tmp_path,
        "Finland_Kuopio_2024.pb",
        extra_meta=["unit;Kuopio", "district;Neulamäki", "instance;2024"],
        budget="100000.0",
    )

    _import(path)

    process = Process.objects.get()
    assert process.kind == Process.Kind.PARTICIPATORY_BUDGETING
    assert process.results_published is True
    assert process.source == "Finland_Kuopio_2024.pb"
    assert process.title == "Testivaalit 2024"
    assert process.phases.count() == 0
    area = process.budget_areas.get()
    assert area.name == "Kuopio, Neulamäki"
    assert area.slug == "kuopio-neulamaki"
    assert area.budget == Decimal(100000)
    assert area.vote_type == BudgetArea.VoteType.APPROVAL


def test_import_stores_projects_and_choices(tmp_path):
    path = write_pb(tmp_path, votes=["v1;1,2;34;F", "v2;1;71;M", "v3;;50;F"])

    _import(path)

    projects = {project.external_id: project for project in Project.objects.all()}
    assert set(projects) == {"1", "2", "3"}
    assert projects["2"].cost == Decimal(30000)
    assert projects["2"].title == "Leikkipaikka"
    assert Ballot.objects.count() == 3
    chosen = sorted(BallotChoice.objects.values_list("project__external_id", flat=True))
    assert chosen == ["1", "1", "2"]


def test_import_counts_repeated_project_once(tmp_path):
    path = write_pb(tmp_path, votes=["v1;1,2,1;34;F"])
    _import(path)
    assert BallotChoice.objects.filter(project__external_id="1").count() == 1


def test_import_stores_no_voter_data(tmp_path):
    path = write_pb(
        tmp_path,
        votes=["voter-secret-17;1,2;age-secret;sex-secret", "voter-secret-18;1;age-secret;F"],
        votes_header="voter_id;vote;age;sex",
    )

    _import(path)

    stored = serializers.serialize(
        "json",
        [
            *Process.objects.all(),
            *BudgetArea.objects.all(),
            *Project.objects.all(),
            *Ballot.objects.all(),
            *BallotChoice.objects.all(),
        ],
    )
    assert "voter-secret" not in stored
    assert "age-secret" not in stored
    assert "sex-secret" not in stored
    assert ParticipationRecord.objects.count() == 0


def test_reimport_gets_numbered_slug(tmp_path):
    path = write_pb(tmp_path, "Finland_Kuopio_2024.pb")

    first = _import(path)[-1]
    second = _import(path)[-1]

    assert first == "finland-kuopio-2024"
    assert second == "finland-kuopio-2024-2"
    assert Process.objects.count() == 2


def test_import_choose_one(tmp_path):
    path = write_pb(tmp_path, vote_type="choose-1", votes=["v1;2;34;F", "v2;2;71;M"])
    _import(path)
    assert BudgetArea.objects.get().vote_type == BudgetArea.VoteType.CHOOSE_ONE
    assert BallotChoice.objects.count() == 2


@pytest.mark.parametrize("vote_type", ["ordinal", "cumulative"])
def test_unsupported_vote_type_writes_nothing(tmp_path, vote_type):
    text = pb_text(vote_type=vote_type)
    path = write_pb(tmp_path, vote_type=vote_type)

    message = _import_error(path)

    line = line_of(text, f"vote_type;{vote_type}")
    assert message == (
        f"Line {line}: the vote type {vote_type} cannot be imported. Only approval and choose-1 "
        "elections can be imported."
    )
    _assert_nothing_written()


def test_malformed_vote_after_batches_writes_nothing(tmp_path, monkeypatch):
    # Small batches, so that several are inserted before the bad line aborts the import.
    monkeypatch.setattr(services, "PABULIB_BATCH_SIZE", 2)
    votes = [f"v{number};1,2;30;F" for number in range(7)] + ["bad;1,99;30;F"]
    text = pb_text(votes=votes)
    path = write_pb(tmp_path, votes=votes)

    message = _import_error(path)

    line = line_of(text, "bad;1,99;30;F")
    assert message.startswith(f"Line {line}: ")
    assert "project 99" in message
    _assert_nothing_written()


def test_zero_cost_project_writes_nothing(tmp_path):
    projects = ["1;40000;2;Puisto", "2;0.0;1;Ilmainen"]
    text = pb_text(projects=projects)
    path = write_pb(tmp_path, projects=projects)

    message = _import_error(path)

    assert message.startswith(f"Line {line_of(text, '2;0.0;1;Ilmainen')}: project 2 has cost 0")
    _assert_nothing_written()


@pytest.mark.parametrize(
    ("budget", "projects", "bad_row"),
    [
        ("100000", ["1;40000.125;2;A", "2;30000;1;B"], "1;40000.125;2;A"),
        ("1000000000000", ["1;40000;2;A", "2;30000;1;B"], "budget;1000000000000"),
    ],
)
def test_amount_not_stored_exactly_writes_nothing(tmp_path, budget, projects, bad_row):
    text = pb_text(budget=budget, projects=projects)
    path = write_pb(tmp_path, budget=budget, projects=projects)

    message = _import_error(path)

    assert message.startswith(f"Line {line_of(text, bad_row)}: ")
    assert "cannot be stored exactly" in message
    _assert_nothing_written()


def test_long_project_id_writes_nothing(tmp_path):
    row = f"{'x' * 101};40000;2;A"
    path = write_pb(tmp_path, projects=[row], votes=[])
    message = _import_error(path)
    assert "longer than 100 characters" in message
    _assert_nothing_written()


def test_long_project_name_kept_in_description(tmp_path):
    name = "Puisto " * 60
    path = write_pb(tmp_path, projects=[f"1;40000;2;{name}"], votes=["v1;1;30;F"])
    _import(path)
    project = Project.objects.get()
    assert len(project.title) == 300
    assert project.title.endswith("…")
    assert project.description == name.strip()


def test_missing_file_rejected(tmp_path):
    message = _import_error(tmp_path / "missing.pb")
    assert message.startswith("Cannot read ")
    assert "missing.pb" in message
    _assert_nothing_written()


def test_import_uses_bulk_inserts(tmp_path, django_assert_max_num_queries):
    votes = [f"v{number};1,2,3;30;F" for number in range(1200)]
    path = write_pb(tmp_path, votes=votes)

    # One INSERT per row would need more than 4800 queries.
    with django_assert_max_num_queries(40):
        services.process_import_pabulib(path)

    assert Ballot.objects.count() == 1200
    assert BallotChoice.objects.count() == 3600


def test_service_imports_stream_with_name():
    stream = io.StringIO(pb_text(), newline="")
    process = services.process_import_pabulib(stream, name="Finland_Kuopio_2025.pb")
    assert process.slug == "finland-kuopio-2025"
    assert process.source == "Finland_Kuopio_2025.pb"


def test_service_needs_name_for_unnamed_stream():
    with pytest.raises(TypeError):
        services.process_import_pabulib(io.StringIO(pb_text()))
    _assert_nothing_written()


def test_service_error_has_code(tmp_path):
    path = write_pb(tmp_path, vote_type="ordinal")
    with translation.override("en"), pytest.raises(ValidationError) as raised:
        services.process_import_pabulib(path)
    assert raised.value.code == "vote_type"


def test_import_keeps_currency():
    from tests.conftest import DATA_DIR

    _import(DATA_DIR / "pabulib" / "Poland_Swiecie_2023.pb")
    assert BudgetArea.objects.get().currency == "PLN"
