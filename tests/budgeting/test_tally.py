"""tally: winners by the greedy rule, for people and as JSON."""

import io
import json

import pytest
from django.core.management import CommandError, call_command
from django.utils import translation

from osallistu.participation.models import Process

from .pabulib_samples import write_pb

pytestmark = pytest.mark.django_db

# Project 4 has no votes but would fit in what is left. Project 2 does not fit after project 1.
PROJECTS = ["1;60000;0;Puisto", "2;50000;0;Kenttä", "3;30000;0;Kirjasto", "4;5000;0;Penkki"]
VOTES = ["v1;1,2;30;F", "v2;1,2,3;40;M", "v3;1,3;50;F", "v4;2;60;F"]


def _tally(*args: str) -> str:
    out = io.StringIO()
    with translation.override("en"):
        call_command("tally", *args, stdout=out)
    return out.getvalue()


def _import(tmp_path, **kwargs) -> str:
    out = io.StringIO()
    path = write_pb(tmp_path, "Finland_Kuopio_2024.pb", **kwargs)
    call_command("import_pabulib", str(path), stdout=out)
    return out.getvalue().splitlines()[-1]


def test_tally_json(tmp_path):
    slug = _import(tmp_path, projects=PROJECTS, votes=VOTES, extra_meta=["unit;Kuopio"])

    document = json.loads(_tally(slug, "--format", "json"))

    assert document == {
        "process": slug,
        "rule": "greedy",
        "areas": [{"area": "kuopio", "budget": 100000, "winners": ["1", "3"]}],
    }


def test_tally_json_is_one_object(tmp_path):
    slug = _import(tmp_path, projects=PROJECTS, votes=VOTES)
    output = _tally(slug, "--format", "json")
    assert output.count("\n") == 1
    assert isinstance(json.loads(output), dict)


def test_tally_json_decimal_budget(tmp_path):
    slug = _import(tmp_path, projects=PROJECTS, votes=VOTES, budget="100000.50")
    document = json.loads(_tally(slug, "--format", "json"))
    budget = document["areas"][0]["budget"]
    assert budget == 100000.5
    assert isinstance(budget, float)


def test_tally_never_funds_project_without_votes(tmp_path):
    # 10 000 is left after 1 and 3, enough for project 4, which no ballot chose.
    slug = _import(tmp_path, projects=PROJECTS, votes=VOTES)
    document = json.loads(_tally(slug, "--format", "json"))
    assert "4" not in document["areas"][0]["winners"]


def test_tally_text(tmp_path):
    slug = _import(tmp_path, projects=PROJECTS, votes=VOTES, extra_meta=["unit;Kuopio"])

    lines = _tally(slug).splitlines()

    assert lines[0] == f"Testivaalit ({slug}), counting rule: greedy (most votes first)."
    assert "Kuopio: budget 100,000, 4 ballots." in lines
    assert "1. Puisto (1): 3 votes, cost 60,000" in lines
    assert "2. Kirjasto (3): 2 votes, cost 30,000" in lines
    assert lines[-1] == "Spent 90,000 of 100,000."
    assert not any("Kenttä" in line for line in lines)


def test_tally_text_single_vote(tmp_path):
    slug = _import(tmp_path, projects=PROJECTS, votes=["v1;4;30;F"])
    assert "1. Penkki (4): 1 vote, cost 5,000" in _tally(slug).splitlines()


def test_tally_text_without_winners(tmp_path):
    slug = _import(tmp_path, projects=PROJECTS, votes=[])
    lines = _tally(slug).splitlines()
    assert "No proposal won." in lines
    assert lines[-1] == "Spent 0 of 100,000."


def test_tally_accepts_numeric_id(tmp_path):
    slug = _import(tmp_path, projects=PROJECTS, votes=VOTES)
    process = Process.objects.get(slug=slug)
    document = json.loads(_tally(str(process.pk), "--format", "json"))
    assert document["process"] == slug


def test_tally_unknown_process_rejected():
    with translation.override("en"), pytest.raises(CommandError) as raised:
        call_command("tally", "no-such-process", stdout=io.StringIO())
    assert str(raised.value).startswith(
        "No participatory budgeting process has the identifier no-such-process."
    )


def test_tally_rejects_area_development_process():
    process = Process.objects.create(
        title="Lähiökehitys", slug="kehitys", kind=Process.Kind.AREA_DEVELOPMENT
    )
    for identifier in (process.slug, str(process.pk)):
        with pytest.raises(CommandError):
            call_command("tally", identifier, stdout=io.StringIO())


def test_tally_invalid_format_rejected(tmp_path):
    slug = _import(tmp_path, projects=PROJECTS, votes=VOTES)
    with pytest.raises(CommandError):
        call_command("tally", slug, "--format", "xml", stdout=io.StringIO())


@pytest.mark.parametrize("command", ["tally", "import_pabulib"])
def test_command_help_renders(command):
    from django.core.management import load_command_class

    parser = load_command_class("osallistu.budgeting", command).create_parser("manage.py", command)
    assert "usage: manage.py" in parser.format_help()
