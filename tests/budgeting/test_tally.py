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

    assert lines[0] == f"Testivaalit ({slug})"
    assert lines[1] == "Counting rule: Most votes first (greedy)."
    assert not any(line.startswith(("Completion", "Comparison")) for line in lines)
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


# Under MES (25 000 per voter) project 3 is cheapest per supporter, then project 2 is paid by
# its three supporters; project 1's supporters hold only 45 000 by then.
MES_WINNERS = ["3", "2"]


def test_tally_rule_option_counts_by_mes(tmp_path):
    slug = _import(tmp_path, projects=PROJECTS, votes=VOTES)
    document = json.loads(_tally(slug, "--rule", "mes-approval", "--format", "json"))
    assert document["rule"] == "mes-approval"
    assert (document["completion"], document["comparison"]) == ("none", False)
    assert document["areas"][0]["winners"] == MES_WINNERS


def test_tally_uses_process_settings_without_options(tmp_path):
    from osallistu.budgeting.models import BudgetingSettings

    slug = _import(tmp_path, projects=PROJECTS, votes=VOTES)
    BudgetingSettings.objects.create(
        process=Process.objects.get(slug=slug), rule="mes-approval", completion="add1-greedy"
    )
    document = json.loads(_tally(slug, "--format", "json"))
    assert (document["rule"], document["completion"]) == ("mes-approval", "add1-greedy")
    assert document["areas"][0]["winners"][:2] == MES_WINNERS
    # An option overrides the setting.
    document = json.loads(_tally(slug, "--rule", "greedy", "--format", "json"))
    assert document["areas"][0]["winners"] == ["1", "3"]


def test_tally_settings_min_votes_and_stop(tmp_path):
    from osallistu.budgeting.models import BudgetingSettings

    slug = _import(tmp_path, projects=PROJECTS, votes=VOTES)
    BudgetingSettings.objects.create(
        process=Process.objects.get(slug=slug), min_votes=1, stop_at_first_misfit=True
    )
    # Project 2 does not fit after project 1, so counting stops before project 3.
    document = json.loads(_tally(slug, "--format", "json", "--explain"))
    assert document["areas"][0]["winners"] == ["1"]
    reasons = {row["id"]: row["reason"] for row in document["areas"][0]["projects"]}
    assert reasons == {
        "1": "won",
        "2": "did_not_fit",
        "3": "stopped_at_misfit",
        "4": "no_votes",
    }
    document = json.loads(
        _tally(
            slug, "--format", "json", "--explain", "--min-votes", "3", "--no-stop-at-first-misfit"
        )
    )
    reasons = {row["id"]: row["reason"] for row in document["areas"][0]["projects"]}
    assert reasons["3"] == "below_min_votes"


def test_tally_comparison_and_explanations(tmp_path):
    slug = _import(tmp_path, projects=PROJECTS, votes=VOTES)
    document = json.loads(
        _tally(
            slug,
            "--rule",
            "mes-approval",
            "--completion",
            "add1",
            "--comparison",
            "--format",
            "json",
            "--explain",
        )
    )
    assert document["comparison"] is True
    area = document["areas"][0]
    assert area["compared"]["kept"] in {"mes", "greedy"}
    rows = {row["id"]: row for row in area["projects"]}
    assert set(rows) == {"1", "2", "3", "4"}
    for row in rows.values():
        assert row["status"] in {"won", "not_funded"}
        assert row["reason"]


def test_tally_explains_mes_shortfall(tmp_path):
    slug = _import(tmp_path, projects=PROJECTS, votes=VOTES)
    document = json.loads(_tally(slug, "--rule", "mes-approval", "--format", "json", "--explain"))
    area = document["areas"][0]
    assert area["voter_budget"] == "25000"
    rows = {row["id"]: row for row in area["projects"]}
    assert rows["1"]["reason"] == "mes_shares_insufficient"
    # After paying for 3 and 2, its supporters hold 5 000, 0 and 10 000.
    assert rows["1"]["supporters_remaining"] == "15000"
    assert rows["1"]["cost"] == "60000"


def test_tally_text_names_mes_rule(tmp_path):
    slug = _import(tmp_path, projects=PROJECTS, votes=VOTES)

    lines = _tally(slug, "--rule", "mes-cost").splitlines()

    assert lines[1] == "Counting rule: Method of Equal Shares, cost utility."
    assert lines[2] == "Completion: No completion."
    assert lines[3] == "Comparison with greedy: not used."


def test_tally_text_states_completion_and_comparison(tmp_path):
    slug = _import(tmp_path, projects=PROJECTS, votes=VOTES)

    lines = _tally(slug, "--rule", "mes-approval", "--completion", "add1", "--comparison")

    assert lines.splitlines()[1:4] == [
        "Counting rule: Method of Equal Shares, approval utility.",
        "Completion: Raise voters' budgets one unit at a time (add1).",
        "Comparison with greedy: used. Each area keeps the outcome that more voters prefer.",
    ]


@pytest.mark.parametrize(
    ("options", "option_name"),
    [
        (["--comparison"], "--comparison"),
        (["--rule", "greedy", "--comparison"], "--comparison"),
        (["--completion", "add1"], "--completion"),
    ],
)
def test_tally_rejects_mes_options_under_greedy(tmp_path, options, option_name):
    slug = _import(tmp_path, projects=PROJECTS, votes=VOTES)

    with translation.override("en"), pytest.raises(CommandError) as raised:
        call_command("tally", slug, *options, stdout=io.StringIO())

    assert str(raised.value).startswith(
        f"{option_name} applies to the Method of Equal Shares only, but the counting rule is "
        "greedy."
    )


def test_tally_comparison_with_mes_setting(tmp_path):
    from osallistu.budgeting.models import BudgetingSettings

    slug = _import(tmp_path, projects=PROJECTS, votes=VOTES)
    BudgetingSettings.objects.create(process=Process.objects.get(slug=slug), rule="mes-cost")

    document = json.loads(_tally(slug, "--comparison", "--format", "json"))

    assert document["comparison"] is True
    # Turning a comparison off is harmless under any rule.
    assert _tally(slug, "--rule", "greedy", "--no-comparison")


@pytest.mark.parametrize(
    "option", [["--rule", "random"], ["--completion", "add2"], ["--min-votes", "-1"]]
)
def test_tally_rejects_bad_options(tmp_path, option):
    slug = _import(tmp_path, projects=PROJECTS, votes=VOTES)
    with pytest.raises(CommandError):
        call_command("tally", slug, *option, stdout=io.StringIO())
