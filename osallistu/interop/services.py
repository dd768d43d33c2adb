"""Import proposals and results from Decidim's open data CSV files.

An import is all or nothing: every row is checked first, and any error stops it with
row-numbered messages in the active language. Rows are keyed by their Decidim id through
DecidimRecord, so importing the same file again updates what the first import created.
"""

import csv
import html
import io
import logging
import re
from dataclasses import dataclass, field
from decimal import Decimal, InvalidOperation

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils.html import strip_tags
from django.utils.translation import gettext as _

from osallistu.budgeting.models import BudgetArea, Project
from osallistu.participation import rules
from osallistu.participation.models import Idea, Process
from osallistu.participation.rules import Action

from .exports import PROPOSAL_STATES
from .models import DecidimRecord

logger = logging.getLogger(__name__)

IDEA_STATUSES = {state: status for status, state in PROPOSAL_STATES.items() if state}
# Decidim's "evaluating" and other states have no match here, so those ideas stay published.
IDEA_STATUSES["not_answered"] = Idea.Status.PUBLISHED

MAX_TITLE = {DecidimRecord.Kind.PROPOSAL: 150, DecidimRecord.Kind.RESULT: 300}
MAX_DESCRIPTION = 5000


@dataclass
class ImportReport:
    """Counts of the rows an import created and updated; nothing was saved if `dry_run` is set."""

    created: int = 0
    updated: int = 0
    dry_run: bool = False
    ids: list[str] = field(default_factory=list)

    def summary(self) -> str:
        """Return the counts as a sentence in the active language."""
        message = _("%(created)s created, %(updated)s updated.") % {
            "created": self.created,
            "updated": self.updated,
        }
        if self.dry_run:
            return _("Dry run, nothing saved: %(summary)s") % {"summary": message}
        return message


class _DryRun(Exception):
    pass


def plain_text(value: str) -> str:
    """Return `value` without HTML tags or entities, with whitespace collapsed.

    Tags are stripped again after unescaping, so "&lt;script&gt;" cannot become markup.
    """
    text = strip_tags(html.unescape(strip_tags(value or "")))
    return re.sub(r"\s+", " ", text.replace("\xa0", " ")).strip()


def localised(row: dict, key: str, columns: list[str]) -> str:
    """Return the row's text for `key` in Finnish, else English, else the first language given."""
    prefix = f"{key}/"
    candidates = [f"{key}/fi", f"{key}/en"] + [
        column
        for column in columns
        if column.startswith(prefix) and "/" not in column[len(prefix) :]
    ]
    for column in candidates:
        text = plain_text(row.get(column) or "")
        if text:
            return text
    return ""


def _read(text: str) -> tuple[list[str], list[dict]]:
    text = text.lstrip("\ufeff")
    first_line = text.split("\n", 1)[0]
    if ";" not in first_line:
        raise ValidationError(
            _("The file is not a Decidim CSV file: its fields must be separated by semicolons."),
            code="delimiter",
        )
    reader = csv.DictReader(io.StringIO(text), delimiter=";")
    columns = [column.strip() for column in reader.fieldnames or []]
    reader.fieldnames = columns
    missing = [
        name
        for name, present in (
            ("id", "id" in columns),
            ("title", any(column.startswith("title/") for column in columns)),
        )
        if not present
    ]
    if missing:
        raise ValidationError(
            _("The file lacks the columns %(columns)s.") % {"columns": ", ".join(missing)},
            code="columns",
        )
    return columns, list(reader)


def _decimal(value: str) -> Decimal | None:
    value = (value or "").strip().replace(" ", "").replace(",", ".")
    if not value:
        return None
    number = Decimal(value)
    if not number.is_finite():
        raise InvalidOperation
    return number


def _parse(kind: str, columns: list[str], rows: list[dict]) -> list[dict]:
    """Check every row and return the values to save, or raise one ValidationError for all."""
    errors = []
    parsed = []
    seen = set()

    def error(number: int, message: str) -> None:
        errors.append(
            ValidationError(
                _("Row %(row)s: %(error)s") % {"row": number, "error": message}, code="rows"
            )
        )

    # Row 1 is the header, so the first data row is row 2.
    for number, row in enumerate(rows, start=2):
        if None in row:
            error(number, _("the row has more fields than the header."))
            continue
        decidim_id = (row.get("id") or "").strip()
        title = localised(row, "title", columns)
        body_key = "body" if kind == DecidimRecord.Kind.PROPOSAL else "description"
        values = {
            "decidim_id": decidim_id,
            "title": title,
            "description": localised(row, body_key, columns)[:MAX_DESCRIPTION],
        }
        if not decidim_id:
            error(number, _("the id is missing."))
        elif decidim_id in seen:
            error(number, _("the id %(id)s appears twice.") % {"id": decidim_id})
        seen.add(decidim_id)
        if not title:
            error(number, _("the title is missing."))
        elif len(title) > MAX_TITLE[kind]:
            error(
                number,
                _("the title is longer than %(limit)s characters.") % {"limit": MAX_TITLE[kind]},
            )
        if kind == DecidimRecord.Kind.PROPOSAL:
            values["status_key"] = (row.get("state") or "").strip()
            if not values["description"]:
                values["description"] = title
        else:
            values["status_key"] = (row.get("status/key") or "").strip()
            values["scope"] = localised(row, "scope/name", columns)
            for column in ("budget", "progress"):
                try:
                    values[column] = _decimal(row.get(column) or "")
                except InvalidOperation:
                    error(
                        number,
                        _("the value “%(value)s” in the column %(column)s is not a number.")
                        % {"column": column, "value": row.get(column)},
                    )
            if values.get("budget") is not None and values["budget"] <= 0:
                error(number, _("the budget must be more than zero."))
        parsed.append(values)
    if errors:
        raise ValidationError(errors)
    return parsed


def _area_for(process: Process, scope: str) -> BudgetArea | None:
    areas = list(BudgetArea.objects.filter(process=process))
    for area in areas:
        if scope and scope.casefold() in (area.name.casefold(), area.slug.casefold()):
            return area
    return areas[0] if len(areas) == 1 else None


def _save_proposal(process: Process, record: DecidimRecord, values: dict) -> None:
    status = IDEA_STATUSES.get(values["status_key"], Idea.Status.PUBLISHED)
    idea = record.idea
    if idea is None:
        idea = Idea(process=process)
    idea.title = values["title"]
    idea.description = values["description"]
    idea.status = status
    idea.full_clean(exclude=["image"])
    idea.save()
    record.idea = idea


def _save_result(process: Process, record: DecidimRecord, values: dict) -> None:
    record.cost = values["budget"]
    if values["budget"] is None:
        # TODO: results without a budget are kept only as DecidimRecord rows, not as projects.
        return
    area = _area_for(process, values["scope"])
    if area is None:
        return
    record.project, _created = Project.objects.update_or_create(
        area=area,
        external_id=values["decidim_id"],
        defaults={
            "title": values["title"],
            "description": values["description"],
            "cost": values["budget"],
        },
    )


def import_decidim(
    process: Process, text: str, kind: str, *, dry_run: bool = False
) -> ImportReport:
    """Import the Decidim CSV `text` of `kind` ("proposals" or "results") into `process`.

    Raise ValidationError with every problem (row-numbered) and save nothing if any row is
    bad. With `dry_run` check and count everything, then roll back.
    """
    if kind not in DecidimRecord.Kind.values:
        raise ValidationError(
            _("Invalid kind %(kind)s: use proposals or results.") % {"kind": kind}, code="kind"
        )
    columns, rows = _read(text)
    parsed = _parse(kind, columns, rows)
    report = ImportReport(dry_run=dry_run)
    save = _save_proposal if kind == DecidimRecord.Kind.PROPOSAL else _save_result
    try:
        with transaction.atomic():
            # Locking the process serializes imports into it, so two first imports of the same
            # file cannot both create a row for one Decidim id.
            Process.objects.select_for_update().filter(pk=process.pk).first()
            records = {
                record.decidim_id: record
                for record in DecidimRecord.objects.select_for_update(of=("self",))
                .filter(process=process, kind=kind)
                .select_related("idea")
            }
            for values in parsed:
                record = records.get(values["decidim_id"])
                if record is None:
                    record = DecidimRecord(
                        process=process, kind=kind, decidim_id=values["decidim_id"]
                    )
                    report.created += 1
                else:
                    report.updated += 1
                record.title = values["title"]
                record.status_key = values["status_key"]
                save(process, record, values)
                record.save()
                report.ids.append(values["decidim_id"])
            if dry_run:
                raise _DryRun
    except _DryRun:
        pass
    logger.info(
        "Decidim %s import into process %s: %s created, %s updated, dry run %s",
        kind,
        process.pk,
        report.created,
        report.updated,
        dry_run,
    )
    return report


def import_decidim_by_staff(
    user, process: Process, text: str, kind: str, *, dry_run: bool = False
) -> ImportReport:
    """Run `import_decidim` for a staff member who may import data into `process`.

    Raise PermissionDenied unless `user` may manage data imports in the process.
    """
    if not rules.can(user, Action.MANAGE_AREA_DATA, process):
        raise PermissionDenied(_("You may not import data into this process."))
    return import_decidim(process, text, kind, dry_run=dry_run)
