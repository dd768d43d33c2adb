"""Read participatory-budgeting elections from Pabulib `.pb` files, with no Django import.

A `.pb` file has three sections in this order, each opened by a row containing only its name and
followed by a header row:

- META: `key;value` rows, among them `budget` and `vote_type`;
- PROJECTS: one row per project, with at least the columns `project_id` and `cost`;
- VOTES: one row per voter, with at least `voter_id` and `vote`, the comma-separated project ids.

Rows are `;`-separated CSV in UTF-8 (a byte-order mark is allowed), with double quotes around
fields that contain `;`, quotes or line breaks. Blank rows are skipped. Amounts are exact decimal
numbers such as `1000000` or `1000000.0`, and a decimal comma is accepted as pabutools 1.2.3 does.

Only approval and choose-1 elections are read, and only what counting needs. Other columns, such
as a voter's age or sex, are read past and never returned. As in pabutools 1.2.3, a project listed
twice on one vote counts once, and empty entries in a vote list are ignored. Malformed input
raises PabulibError with the line number where the offending row starts.
"""

import csv
import re
from collections.abc import Iterable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from decimal import Decimal
from os import PathLike
from typing import BinaryIO, TextIO

SUPPORTED_VOTE_TYPES = ("approval", "choose-1")
SECTIONS = ("meta", "projects", "votes")
REQUIRED_COLUMNS = {
    "meta": ("key", "value"),
    "projects": ("project_id", "cost"),
    "votes": ("voter_id", "vote"),
}
AMOUNT = re.compile(r"\d+(?:[.,]\d+)?")
WHOLE_NUMBER = re.compile(r"\d+")


def gettext_noop(message: str) -> str:
    """Return `message` unchanged, marking it for `makemessages`.

    This module has no Django import, so the importing service translates the message.
    """
    return message


MESSAGES = {
    "encoding": gettext_noop("Line %(line)s: the file is not valid UTF-8 text."),
    "csv": gettext_noop(
        "Line %(line)s: the row is not valid CSV. Check the double quotes around its fields."
    ),
    "no_meta": gettext_noop("Line %(line)s: the file must start with the META section."),
    "section_order": gettext_noop(
        "Line %(line)s: the %(section)s section is out of place. A Pabulib file has the "
        "sections META, PROJECTS and VOTES, each once and in this order."
    ),
    "missing_section": gettext_noop("Line %(line)s: the file ends before the %(section)s section."),
    "missing_column": gettext_noop(
        "Line %(line)s: the header of the %(section)s section has no %(column)s column."
    ),
    "duplicate_column": gettext_noop(
        "Line %(line)s: the header of the %(section)s section has the column %(column)s twice."
    ),
    "field_count": gettext_noop(
        "Line %(line)s: the row has %(found)s fields, but the header of the %(section)s section "
        "has %(expected)s."
    ),
    "duplicate_meta": gettext_noop("Line %(line)s: the META key %(key)s appears twice."),
    "missing_meta": gettext_noop("Line %(line)s: the META section has no %(key)s entry."),
    "vote_type": gettext_noop(
        "Line %(line)s: the vote type %(vote_type)s cannot be imported. Only approval and "
        "choose-1 elections can be imported."
    ),
    "amount": gettext_noop(
        "Line %(line)s: the %(field)s value %(value)s is not a valid amount. Write a number "
        "without a sign or spaces, such as 1000000 or 1000000.50."
    ),
    "budget_zero": gettext_noop("Line %(line)s: the budget must be greater than zero."),
    "whole_number": gettext_noop(
        "Line %(line)s: the %(key)s value %(value)s is not a whole number."
    ),
    "empty_field": gettext_noop("Line %(line)s: the %(column)s field is empty."),
    "duplicate_project": gettext_noop(
        "Line %(line)s: project %(project)s is listed twice, first on line %(first_line)s."
    ),
    "duplicate_voter": gettext_noop("Line %(line)s: voter %(voter)s has a second vote."),
    "unknown_project": gettext_noop(
        "Line %(line)s: the vote names project %(project)s, which is not in the PROJECTS section."
    ),
    "choose_one": gettext_noop(
        "Line %(line)s: a choose-1 vote must name exactly one project, but this one names "
        "%(count)s."
    ),
    "count_mismatch": gettext_noop(
        "Line %(line)s: META %(key)s is %(expected)s, but the %(section)s section has "
        "%(found)s rows."
    ),
}


class PabulibError(ValueError):
    """Malformed or unsupported Pabulib input, with the line where the offending row starts.

    `template` is an English message with %-placeholders for `params` (which include `line`),
    marked for translation, so a caller can show it in the user's language.
    """

    def __init__(self, code: str, line: int, **params: object) -> None:
        self.code = code
        self.line = line
        self.params = {"line": line, **params}
        self.template = MESSAGES[code]
        super().__init__(self.template % self.params)


@dataclass(frozen=True)
class Project:
    """A row of the PROJECTS section: `id` as written in the file, and the exact `cost`."""

    id: str
    cost: Decimal
    name: str
    line: int


@dataclass(frozen=True)
class Vote:
    """A row of the VOTES section: the distinct project ids in file order.

    `duplicates` is the number of repeated project ids that were dropped from the list.
    """

    voter_id: str
    project_ids: tuple[str, ...]
    line: int
    duplicates: int = 0


class _Rows:
    """CSV rows of a stream, without blank rows, with the line where each row starts."""

    def __init__(self, stream: Iterable[str]) -> None:
        self._reader = csv.reader(stream, delimiter=";", strict=True)
        self.line = 0
        self._first = True

    def __iter__(self) -> "_Rows":
        return self

    def __next__(self) -> list[str]:
        while True:
            start = self._reader.line_num + 1
            try:
                row = next(self._reader)
            except csv.Error:
                raise PabulibError("csv", start) from None
            except UnicodeDecodeError:
                # The line being decoded, which differs from `start` inside a quoted field.
                raise PabulibError("encoding", self._reader.line_num + 1) from None
            self.line = start
            if self._first and row:
                row[0] = row[0].removeprefix("\ufeff")
                self._first = False
            if any(field.strip() for field in row):
                return row

    @property
    def end_line(self) -> int:
        """Return the line number just past the last line read."""
        return self._reader.line_num + 1


def _section_name(row: list[str]) -> str | None:
    """Return the section that `row` opens, or None for a data row."""
    name = row[0].strip().lower()
    if name in SECTIONS and not any(field.strip() for field in row[1:]):
        return name
    return None


def parse_amount(value: str, *, field: str, line: int) -> Decimal:
    """Return `value` as an exact Decimal, or raise PabulibError for anything but a plain number."""
    text = value.strip()
    if not AMOUNT.fullmatch(text):
        raise PabulibError("amount", line, field=field, value=value)
    return Decimal(text.replace(",", "."))


class PabulibFile:
    """An open `.pb` file, with META and PROJECTS read on opening and VOTES read by `votes()`.

    Reading the votes streams the file, so memory grows with the number of projects and voters,
    not with the size of the file. Voter ids are kept until the end to reject a second vote.
    """

    def __init__(self, stream: Iterable[str]) -> None:
        self._rows = _Rows(stream)
        self.meta: dict[str, str] = {}
        # The line of each META entry, for messages about its value.
        self.meta_lines: dict[str, int] = {}
        self.projects: dict[str, Project] = {}
        self._read_meta()
        self._read_projects()
        self._votes_header = self._read_header("votes")
        self._votes_read = False

    # Sections and headers

    def _next_row(self, expected_section: str) -> list[str]:
        try:
            return next(self._rows)
        except StopIteration:
            raise PabulibError(
                "missing_section", self._rows.end_line, section=expected_section.upper()
            ) from None

    def _read_header(self, section: str) -> dict[str, int]:
        """Read the header row of `section`, and return {column: index}."""
        row = self._next_row(section)
        line = self._rows.line
        columns: dict[str, int] = {}
        for index, field in enumerate(row):
            name = field.strip().lower()
            if name in columns:
                raise PabulibError("duplicate_column", line, section=section.upper(), column=name)
            columns[name] = index
        for column in REQUIRED_COLUMNS[section]:
            if column not in columns:
                raise PabulibError("missing_column", line, section=section.upper(), column=column)
        return columns

    def _check_width(self, row: list[str], section: str, header: dict[str, int]) -> None:
        if len(row) != len(header):
            raise PabulibError(
                "field_count",
                self._rows.line,
                found=len(row),
                expected=len(header),
                section=section.upper(),
            )

    def _rows_until(self, next_section: str, section: str, header: dict[str, int]):
        """Yield the data rows of `section` up to the row that opens `next_section`."""
        while True:
            row = self._next_row(next_section)
            opened = _section_name(row)
            if opened == next_section:
                return
            if opened is not None:
                raise PabulibError("section_order", self._rows.line, section=opened.upper())
            self._check_width(row, section, header)
            yield row

    # META

    def _read_meta(self) -> None:
        try:
            first = next(self._rows)
        except StopIteration:
            raise PabulibError("no_meta", self._rows.end_line) from None
        if _section_name(first) != "meta":
            raise PabulibError("no_meta", self._rows.line)
        meta_line = self._rows.line
        header = self._read_header("meta")
        key_index, value_index = header["key"], header["value"]
        for row in self._rows_until("projects", "meta", header):
            key = row[key_index].strip()
            if key in self.meta:
                raise PabulibError("duplicate_meta", self._rows.line, key=key)
            self.meta[key] = row[value_index].strip()
            self.meta_lines[key] = self._rows.line
        for key in ("vote_type", "budget"):
            if key not in self.meta:
                raise PabulibError("missing_meta", meta_line, key=key)

        if self.vote_type not in SUPPORTED_VOTE_TYPES:
            raise PabulibError("vote_type", self.meta_lines["vote_type"], vote_type=self.vote_type)
        budget_line = self.meta_lines["budget"]
        self.budget = parse_amount(self.meta["budget"], field="budget", line=budget_line)
        if self.budget <= 0:
            raise PabulibError("budget_zero", budget_line)

    @property
    def vote_type(self) -> str:
        return self.meta["vote_type"]

    def _declared_count(self, key: str) -> int | None:
        """Return META `key` (num_projects or num_votes) as an int, or None if it is absent."""
        if key not in self.meta:
            return None
        value = self.meta[key]
        if not WHOLE_NUMBER.fullmatch(value):
            raise PabulibError("whole_number", self.meta_lines[key], key=key, value=value)
        return int(value)

    def _check_count(self, key: str, section: str, found: int) -> None:
        expected = self._declared_count(key)
        if expected is not None and expected != found:
            raise PabulibError(
                "count_mismatch",
                self.meta_lines[key],
                key=key,
                expected=expected,
                section=section.upper(),
                found=found,
            )

    # PROJECTS

    def _read_projects(self) -> None:
        header = self._read_header("projects")
        id_index, cost_index = header["project_id"], header["cost"]
        name_index = header.get("name")
        for row in self._rows_until("votes", "projects", header):
            line = self._rows.line
            project_id = row[id_index].strip()
            if not project_id:
                raise PabulibError("empty_field", line, column="project_id")
            if project_id in self.projects:
                first_line = self.projects[project_id].line
                raise PabulibError(
                    "duplicate_project", line, project=project_id, first_line=first_line
                )
            cost = parse_amount(row[cost_index], field="cost", line=line)
            name = row[name_index].strip() if name_index is not None else ""
            self.projects[project_id] = Project(project_id, cost, name, line)
        self._check_count("num_projects", "projects", len(self.projects))

    # VOTES

    def votes(self) -> Iterator[Vote]:
        """Yield the votes in file order. They can be read only once."""
        if self._votes_read:
            raise RuntimeError("The votes of a PabulibFile can be read only once.")
        self._votes_read = True
        header = self._votes_header
        voter_index, vote_index = header["voter_id"], header["vote"]
        choose_one = self.vote_type == "choose-1"
        voters: set[str] = set()
        for row in self._rows:
            line = self._rows.line
            opened = _section_name(row)
            if opened is not None:
                raise PabulibError("section_order", line, section=opened.upper())
            self._check_width(row, "votes", header)

            voter_id = row[voter_index].strip()
            if not voter_id:
                raise PabulibError("empty_field", line, column="voter_id")
            if voter_id in voters:
                raise PabulibError("duplicate_voter", line, voter=voter_id)
            voters.add(voter_id)

            listed = [part.strip() for part in row[vote_index].split(",") if part.strip()]
            project_ids = tuple(dict.fromkeys(listed))
            for project_id in project_ids:
                if project_id not in self.projects:
                    raise PabulibError("unknown_project", line, project=project_id)
            if choose_one and len(project_ids) != 1:
                raise PabulibError("choose_one", line, count=len(project_ids))
            yield Vote(voter_id, project_ids, line, len(listed) - len(project_ids))
        self._check_count("num_votes", "votes", len(voters))


def _decoded_lines(stream: BinaryIO) -> Iterator[str]:
    # Decoding line by line lets an encoding error name its line.
    for line in stream:
        yield line.decode("utf-8")


@contextmanager
def open_pabulib(source: str | PathLike | TextIO) -> Iterator[PabulibFile]:
    """Open a `.pb` file from a path or a text stream and read its META and PROJECTS sections.

    A path is read as UTF-8 with an optional byte-order mark, and closed on exit. A stream is
    left open; open it with `newline=""` so that line breaks inside quoted fields are kept as
    written. Raise PabulibError for malformed input and OSError if the path cannot be read.
    """
    if isinstance(source, str | PathLike):
        with open(source, "rb") as stream:
            yield PabulibFile(_decoded_lines(stream))
    else:
        # NOTE: a text stream decodes in blocks, so its encoding errors name the line where
        # the failing block starts, which may come before the invalid bytes.
        yield PabulibFile(source)
