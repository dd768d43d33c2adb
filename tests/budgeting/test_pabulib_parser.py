"""The Pabulib parser: exact amounts, CSV quoting, line numbers and rejected input."""

import dataclasses
import io
from decimal import Decimal

import pytest

from osallistu.budgeting import pabulib

from .pabulib_samples import line_of, pb_text


def _read(text: str) -> tuple[pabulib.PabulibFile, list[pabulib.Vote]]:
    with pabulib.open_pabulib(io.StringIO(text, newline="")) as election:
        return election, list(election.votes())


def _error(text: str) -> pabulib.PabulibError:
    with pytest.raises(pabulib.PabulibError) as raised:
        _read(text)
    return raised.value


def test_parser_reads_sections():
    election, votes = _read(pb_text())

    assert election.vote_type == "approval"
    assert election.budget == Decimal(100000)
    assert election.meta["description"] == "Testivaalit"
    assert list(election.projects) == ["1", "2", "3"]
    assert election.projects["2"].cost == Decimal(30000)
    assert election.projects["2"].name == "Leikkipaikka"
    assert [vote.project_ids for vote in votes] == [("1", "2"), ("1",)]
    assert [vote.voter_id for vote in votes] == ["v1", "v2"]


def test_parser_returns_no_voter_data():
    fields = {field.name for field in dataclasses.fields(pabulib.Vote)}
    assert fields == {"voter_id", "project_ids", "line", "duplicates"}


def test_parser_reads_path_with_bom_and_crlf(tmp_path):
    path = tmp_path / "bom.pb"
    path.write_bytes(b"\xef\xbb\xbf" + pb_text().replace("\n", "\r\n").encode())

    with pabulib.open_pabulib(path) as election:
        votes = list(election.votes())

    assert election.budget == Decimal(100000)
    assert len(votes) == 2


def test_parser_strips_bom_from_stream():
    election, _votes = _read("\ufeff" + pb_text())
    assert election.vote_type == "approval"


@pytest.mark.parametrize(
    ("written", "expected"),
    [
        ("1000000", Decimal("1000000")),
        ("1000000.0", Decimal("1000000")),
        ("1000000.50", Decimal("1000000.5")),
        ("1000,25", Decimal("1000.25")),
        ("0.1", Decimal("0.1")),
    ],
)
def test_budget_parsed_exactly(written, expected):
    election, _votes = _read(pb_text(budget=written))
    assert election.budget == expected
    assert isinstance(election.budget, Decimal)


def test_cost_parsed_exactly():
    text = pb_text(projects=["1;200000.0;1;A", "2;0.1;1;B"], votes=["v1;1,2;1;F"])
    election, _votes = _read(text)
    assert election.projects["1"].cost == Decimal(200000)
    assert election.projects["2"].cost * 3 == Decimal("0.3")


@pytest.mark.parametrize("written", ["1e6", "-5", "1 000", "abc", "", "1.000.000", "+5", "nan"])
def test_invalid_budget_rejected(written):
    text = pb_text(budget=written)
    error = _error(text)
    assert error.code == "amount"
    assert error.line == line_of(text, f"budget;{written}")
    assert written in str(error)


def test_zero_budget_rejected():
    text = pb_text(budget="0.0")
    error = _error(text)
    assert error.code == "budget_zero"
    assert error.line == line_of(text, "budget;0.0")


def test_invalid_cost_rejected():
    text = pb_text(projects=["1;40000;2;A", "2;30 000;1;B"])
    error = _error(text)
    assert error.code == "amount"
    assert error.line == line_of(text, "2;30 000;1;B")
    assert str(error).startswith(f"Line {error.line}: the cost value 30 000 ")


def test_quoted_fields_kept_whole():
    projects = [
        '1;40000;2;"Puisto; penkit ja ""valot"""',
        '2;30000;1;"Leikki-',
        'paikka"',
        "3;50000;0;Kirjasto",
    ]
    text = pb_text(projects=projects, votes=["v1;1,2;34;F", "v2;9;71;M"])

    error = _error(text)

    # The quoted line break makes the project rows span one line more than their count.
    assert error.code == "unknown_project"
    assert error.line == line_of(text, "v2;9;71;M")
    election, _votes = _read(pb_text(projects=projects))
    assert election.projects["1"].name == 'Puisto; penkit ja "valot"'
    assert election.projects["2"].name == "Leikki-\npaikka"
    assert election.projects["3"].line == line_of(text, "3;50000;0;Kirjasto")


def test_quoted_vote_list():
    _election, votes = _read(pb_text(votes=['v1;"1,2";34;F']))
    assert votes[0].project_ids == ("1", "2")


def test_unclosed_quote_rejected():
    text = pb_text(projects=['1;40000;2;"Puisto', "2;30000;1;B"])
    error = _error(text)
    assert error.code == "csv"
    assert error.line == line_of(text, '1;40000;2;"Puisto')


def test_text_after_closing_quote_rejected():
    text = pb_text(projects=['1;40000;2;"Puisto"x', "2;30000;1;B"])
    error = _error(text)
    assert error.code == "csv"
    assert error.line == line_of(text, '1;40000;2;"Puisto"x')


@pytest.mark.parametrize("vote_type", ["ordinal", "cumulative", "scoring", "borda"])
def test_unsupported_vote_type_rejected(vote_type):
    text = pb_text(vote_type=vote_type)
    error = _error(text)
    assert error.code == "vote_type"
    assert error.line == line_of(text, f"vote_type;{vote_type}")
    assert f"the vote type {vote_type} cannot be imported" in str(error)
    assert "approval and choose-1" in str(error)


def test_repeated_project_on_vote_counts_once():
    _election, votes = _read(pb_text(votes=["v1;1,2,1;34;F", "v2;2,,;71;M"]))
    assert votes[0].project_ids == ("1", "2")
    assert votes[0].duplicates == 1
    assert votes[1].project_ids == ("2",)
    assert votes[1].duplicates == 0


def test_empty_approval_vote_allowed():
    _election, votes = _read(pb_text(votes=["v1;;34;F"]))
    assert votes[0].project_ids == ()


@pytest.mark.parametrize(("vote", "count"), [("1,2", 2), ("", 0)])
def test_choose_one_count_rejected(vote, count):
    row = f"v2;{vote};71;M"
    text = pb_text(vote_type="choose-1", votes=["v1;1;34;F", row])
    error = _error(text)
    assert error.code == "choose_one"
    assert error.line == line_of(text, row)
    assert str(error).endswith(f"names {count}.")


def test_choose_one_vote_accepted():
    election, votes = _read(pb_text(vote_type="choose-1", votes=["v1;1;34;F", "v2;3;71;M"]))
    assert election.vote_type == "choose-1"
    assert [vote.project_ids for vote in votes] == [("1",), ("3",)]


@pytest.mark.parametrize(
    ("change", "code", "bad_row"),
    [
        ({"projects": ["1;40000;2;A", "1;30000;1;B"]}, "duplicate_project", "1;30000;1;B"),
        ({"projects": ["1;40000;2;A", ";30000;1;B"]}, "empty_field", ";30000;1;B"),
        ({"projects": ["1;40000;2;A", "2;30000;1"]}, "field_count", "2;30000;1"),
        ({"votes": ["v1;1;34;F", "v1;2;71;M"]}, "duplicate_voter", "v1;2;71;M"),
        ({"votes": ["v1;1;34;F", ";2;71;M"]}, "empty_field", ";2;71;M"),
        ({"votes": ["v1;1;34;F", "v2;2;71"]}, "field_count", "v2;2;71"),
        ({"votes": ["v1;1;34;F", "v2;2;71;M;x"]}, "field_count", "v2;2;71;M;x"),
        ({"votes": ["v1;1;34;F", "v2;2,77;71;M"]}, "unknown_project", "v2;2,77;71;M"),
        ({"projects_header": "id;cost;votes;name"}, "missing_column", "id;cost;votes;name"),
        ({"projects_header": "project_id;price;x;y"}, "missing_column", "project_id;price;x;y"),
        ({"votes_header": "voter_id;ballot;age;sex"}, "missing_column", "voter_id;ballot;age;sex"),
        ({"votes_header": "voter_id;vote;age;age"}, "duplicate_column", "voter_id;vote;age;age"),
        ({"extra_meta": ["budget;5"]}, "duplicate_meta", "budget;100000"),
        ({"extra_meta": ["num_votes;3"]}, "count_mismatch", "num_votes;3"),
        ({"extra_meta": ["num_projects;2"]}, "count_mismatch", "num_projects;2"),
        ({"extra_meta": ["num_votes;two"]}, "whole_number", "num_votes;two"),
        ({"extra_meta": ["unit;Kuopio;extra"]}, "field_count", "unit;Kuopio;extra"),
    ],
)
def test_malformed_row_rejected_with_line(change, code, bad_row):
    text = pb_text(**change)
    error = _error(text)
    assert error.code == code
    assert error.line == line_of(text, bad_row)
    assert str(error).startswith(f"Line {error.line}: ")


def test_counts_matching_meta_accepted():
    text = pb_text(extra_meta=["num_projects;3", "num_votes;2"])
    election, votes = _read(text)
    assert len(election.projects) == 3
    assert len(votes) == 2


def test_file_must_start_with_meta():
    error = _error("\n\nPROJECTS\nproject_id;cost\n")
    assert error.code == "no_meta"
    assert error.line == 3


def test_empty_file_rejected():
    error = _error("")
    assert error.code == "no_meta"
    assert error.line == 1


def test_missing_meta_entry_rejected():
    text = "META\nkey;value\nbudget;100\nPROJECTS\nproject_id;cost\n1;5\nVOTES\nvoter_id;vote\n"
    error = _error(text)
    assert error.code == "missing_meta"
    assert error.params["key"] == "vote_type"
    assert error.line == 1


def test_votes_before_projects_rejected():
    text = "META\nkey;value\nvote_type;approval\nbudget;100\nVOTES\nvoter_id;vote\n"
    error = _error(text)
    assert error.code == "section_order"
    assert error.line == 5


def test_section_repeated_in_votes_rejected():
    text = pb_text(votes=["v1;1;34;F", "META", "key;value"])
    error = _error(text)
    assert error.code == "section_order"
    assert error.params["section"] == "META"
    assert error.line == len(text.splitlines()) - 1


def test_file_ending_before_votes_rejected():
    text = "META\nkey;value\nvote_type;approval\nbudget;100\nPROJECTS\nproject_id;cost\n1;5\n"
    error = _error(text)
    assert error.code == "missing_section"
    assert error.params["section"] == "VOTES"
    assert error.line == 8


def test_invalid_utf8_rejected_with_line(tmp_path):
    text = pb_text(projects=["1;40000;2;Puisto", "2;30000;1;Järvi"])
    path = tmp_path / "latin1.pb"
    path.write_bytes(text.encode("latin-1"))
    with pytest.raises(pabulib.PabulibError) as raised, pabulib.open_pabulib(path):
        pass
    assert raised.value.code == "encoding"
    assert raised.value.line == line_of(text, "2;30000;1;Järvi")


def test_votes_read_only_once():
    with pabulib.open_pabulib(io.StringIO(pb_text())) as election:
        list(election.votes())
        with pytest.raises(RuntimeError):
            list(election.votes())


def test_error_template_has_placeholders():
    error = _error(pb_text(vote_type="ordinal"))
    assert "%(vote_type)s" in error.template
    assert error.template % error.params == str(error)
