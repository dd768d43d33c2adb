"""Writes for participatory budgeting: casting ballots and importing elections."""

import logging
import uuid
from collections.abc import Iterable
from decimal import Decimal
from os import PathLike
from pathlib import Path
from typing import Protocol, TextIO

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.crypto import constant_time_compare
from django.utils.formats import number_format
from django.utils.text import slugify
from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from osallistu.core.money import format_money
from osallistu.identity.models import EligibilityRecord
from osallistu.participation import rules
from osallistu.participation.models import Channel, Process

from . import pabulib, receipts, selectors
from .models import (
    Ballot,
    BallotChoice,
    BudgetArea,
    BudgetingSettings,
    ParticipationRecord,
    Project,
    Receipt,
)

logger = logging.getLogger(__name__)


class Eligibility(Protocol):
    """The fields of an eligibility record that voting reads, as identity.EligibilityRecord."""

    process_id: int
    digest: str
    postal_code: str


def budgeting_settings_get(process: Process) -> BudgetingSettings:
    """Return the process's budgeting settings, or unsaved defaults where staff saved none."""
    try:
        return process.budgeting_settings
    except BudgetingSettings.DoesNotExist:
        return BudgetingSettings(process=process)


def _count_errors(count: int, area: BudgetArea, options: BudgetingSettings) -> list:
    errors = []
    # An empty ballot is never valid, so a minimum of 0 works as 1.
    minimum = max(options.min_projects, 1)
    maximum = options.max_projects
    if area.vote_type == BudgetArea.VoteType.CHOOSE_ONE:
        maximum = 1
    if count < minimum:
        code = "empty" if count == 0 else "too_few"
        errors.append(ValidationError(_too_few_message(count, minimum, maximum), code=code))
    if maximum is not None and count > maximum:
        errors.append(ValidationError(_too_many_message(count, minimum, maximum), code="too_many"))
    return errors


def _too_few_message(count: int, minimum: int, maximum: int | None) -> str:
    if minimum == maximum:
        return _exact_count_message(count, minimum)
    if count == 0 and minimum == 1:
        return _("Choose at least one proposal.")
    if count == 0:
        return ngettext(
            "Choose at least %(minimum)s proposal.",
            "Choose at least %(minimum)s proposals.",
            minimum,
        ) % {"minimum": minimum}
    return ngettext(
        "Choose at least %(minimum)d proposal. You chose %(count)d.",
        "Choose at least %(minimum)d proposals. You chose %(count)d.",
        minimum,
    ) % {"minimum": minimum, "count": count}


def _too_many_message(count: int, minimum: int, maximum: int) -> str:
    if minimum == maximum:
        return _exact_count_message(count, maximum)
    return ngettext(
        "Choose at most %(maximum)d proposal. You chose %(count)d.",
        "Choose at most %(maximum)d proposals. You chose %(count)d.",
        maximum,
    ) % {"maximum": maximum, "count": count}


def _exact_count_message(count: int, number: int) -> str:
    """Return the message for a ballot whose minimum and maximum are both `number`."""
    if count == 0 and number == 1:
        return _("Choose one proposal.")
    if count == 0:
        message = ngettext("Choose %(number)s proposal.", "Choose %(number)s proposals.", number)
        return message % {"number": number}
    return ngettext(
        "Choose %(number)d proposal. You chose %(count)d.",
        "Choose %(number)d proposals. You chose %(count)d.",
        number,
    ) % {"number": number, "count": count}


def _cost_errors(total: Decimal, area: BudgetArea, options: BudgetingSettings) -> list:
    errors = []
    currency = area.currency
    if total > area.budget:
        errors.append(
            ValidationError(
                _(
                    "The proposals you chose cost %(total)s, which is more than the area's "
                    "budget of %(budget)s. Remove proposals worth at least %(excess)s."
                ),
                params={
                    "total": format_money(total, currency),
                    "budget": format_money(area.budget, currency),
                    "excess": format_money(total - area.budget, currency),
                },
                code="over_budget",
            )
        )
    minimum = area.budget * options.min_budget_share
    if total and total < minimum:
        errors.append(
            ValidationError(
                _(
                    "The proposals you chose cost %(total)s. Choose proposals worth at least "
                    "%(minimum)s, which is %(percent)s%% of the budget."
                ),
                params={
                    "total": format_money(total, currency),
                    "minimum": format_money(minimum, currency),
                    "percent": number_format(options.min_budget_share * 100, decimal_pos=0),
                },
                code="below_min_share",
            )
        )
    return errors


def ballot_validate(
    *, area: BudgetArea, projects: list[Project], options: BudgetingSettings | None = None
) -> None:
    """Raise ValidationError, with one message per broken rule, if the choice is not a valid ballot.

    The rules, each with its own message code: at least one project (`empty`, whose message
    states the real minimum), at least the process's minimum number (`too_few`), at most its
    maximum or one on a choose-1 ballot (`too_many`), only the area's own projects (`area`), a
    total cost within the area's budget (`over_budget`) and at least the process's minimum share
    of it (`below_min_share`). When the minimum and maximum are equal, `too_few` and `too_many`
    both name that one number.
    """
    options = options or budgeting_settings_get(area.process)
    errors = _count_errors(len(projects), area, options)
    if any(project.area_id != area.pk for project in projects):
        errors.append(
            ValidationError(_("The ballot contains a proposal from another area."), code="area")
        )
    errors += _cost_errors(sum((p.cost for p in projects), Decimal(0)), area, options)
    if errors:
        raise ValidationError(errors)


def voter_area_validate(
    *, record: Eligibility, area: BudgetArea, options: BudgetingSettings | None = None
) -> None:
    """Raise ValidationError with code `wrong_area` if the voter may not vote in `area`.

    Where residents vote in their own area only, the home area is the one whose postal codes
    contain the voter's postal code. A process with one area needs no postal code.
    """
    if record.process_id != area.process_id:
        raise ValidationError(_("Your identification is for another vote."), code="wrong_process")
    options = options or budgeting_settings_get(area.process)
    if options.area_choice != BudgetingSettings.AreaChoice.OWN_AREA:
        return
    areas = list(BudgetArea.objects.filter(process_id=area.process_id))
    if len(areas) == 1:
        return
    home = [
        other for other in areas if record.postal_code and record.postal_code in other.postal_codes
    ]
    if area in home:
        return
    if home:
        message = _("You can vote only in your own area, %(area)s.") % {"area": home[0].name}
    else:
        message = _(
            "You can vote only in your own area, but your postal code is in no area of this "
            "vote. Ask the staff of the vote for help."
        )
    raise ValidationError(message, code="wrong_area")


def _projects_get(area: BudgetArea, project_ids: Iterable[int]) -> list[Project]:
    ids = sorted(set(project_ids))
    projects = list(Project.objects.filter(pk__in=ids))
    if len(projects) != len(ids):
        raise ValidationError(_("A chosen proposal does not exist."), code="unknown_project")
    return projects


def _check_open(process: Process) -> None:
    if not rules.voting_is_open(process):
        raise PermissionDenied(_("Voting is not open in this process."))


def _check_paper_accepted(process: Process) -> None:
    """Accept paper ballots while voting is open, and after it until the results are published.

    Paper ballots handed in on the last voting day are entered twice, and any mismatch resolved,
    in the days after; publishing the results closes that window.
    """
    if rules.voting_is_open(process):
        return
    if not selectors.voting_has_closed(process):
        raise PermissionDenied(_("Voting is not open in this process."))
    if process.results_published:
        raise PermissionDenied(
            _("Paper ballots can no longer be entered, because the results have been published.")
        )


def _store_ballot(area: BudgetArea, projects: list[Project], *, is_final: bool) -> Receipt:
    """Insert a ballot and its receipt under a new code, and return the receipt with `code`."""
    code = receipts.new_code()
    ballot = Ballot.objects.create(
        area=area, receipt_mac=receipts.keyed_hash(receipts.Purpose.BALLOT, code)
    )
    BallotChoice.objects.bulk_create(
        [BallotChoice(ballot=ballot, project=project) for project in projects]
    )
    receipt = Receipt.objects.create(
        process_id=area.process_id,
        code_hash=receipts.public_hash(code),
        received_on=timezone.localdate(),
        is_final=is_final,
    )
    receipt.code = code
    return receipt


def cast_ballot(
    eligibility_record: Eligibility,
    area: BudgetArea,
    project_ids: Iterable[int],
    channel: str = Channel.ONLINE,
    *,
    staff_user=None,
) -> Receipt:
    """Store one ballot in `area` for the identified person, and return its receipt.

    The returned receipt carries the plain receipt code in `receipt.code`, the only place it ever
    exists: the database keeps its SHA-256 hash and keyed hashes. The participation record (who),
    the ballot (what) and the receipt are written in one transaction. An online ballot may later be
    replaced where the process allows it. A ballot of any other channel is final and needs a
    `staff_user` allowed to assist voting. Paper ballots are also accepted after voting closes,
    until the results are published. Raise PermissionDenied outside those times or
    without that permission, and ValidationError for a broken ballot rule, a wrong area or a
    second ballot by the same identity (code `already_voted`) through any channel, a paper
    ballot registered at a desk and not yet entered included.
    """
    process = area.process
    if channel == Channel.PAPER:
        _check_paper_accepted(process)
    else:
        _check_open(process)
    if channel != Channel.ONLINE and not (
        staff_user is not None and rules.can(staff_user, rules.Action.ASSIST_VOTING, process)
    ):
        raise PermissionDenied(_("You do not have permission to enter ballots for voters."))
    options = budgeting_settings_get(process)
    voter_area_validate(record=eligibility_record, area=area, options=options)
    projects = _projects_get(area, project_ids)
    ballot_validate(area=area, projects=projects, options=options)
    with transaction.atomic():
        if channel != Channel.PAPER:
            _check_no_paper_ballot(process, eligibility_record.digest)
        try:
            # A savepoint, so that the loser of a race on the unique constraint sees a clean error.
            with transaction.atomic():
                record = ParticipationRecord.objects.create(
                    process=process,
                    area=area,
                    digest=eligibility_record.digest,
                    age_group=eligibility_record.age_group,
                    channel=channel,
                    day=timezone.localdate(),
                )
        except IntegrityError:
            raise ValidationError(
                _("You have already voted in this process. Each person can vote only once."),
                code="already_voted",
            ) from None
        receipt = _store_ballot(area, projects, is_final=channel != Channel.ONLINE)
        record.receipt_mac = receipts.keyed_hash(receipts.Purpose.PARTICIPATION, receipt.code)
        record.save(update_fields=["receipt_mac"])
    logger.info("ballot stored process=%s area=%s channel=%s", process.pk, area.pk, channel)
    return receipt


def _check_no_paper_ballot(process: Process, digest: str) -> None:
    """Raise ValidationError `already_voted` if the person has a paper ballot at a desk.

    Call inside a transaction. The person's eligibility record stays locked until it ends, and
    the desk locks the same row before it registers a paper ballot, so a ballot cast here and a
    paper ballot at a desk cannot both pass their checks.
    """
    list(EligibilityRecord.objects.select_for_update().filter(process=process, digest=digest))
    if selectors.paper_ballot_issued(process, digest):
        raise ValidationError(
            _(
                "A paper ballot of yours has already been registered in this process at a "
                "service desk. Each person can vote only once."
            ),
            code="already_voted",
        )


def replace_ballot(
    eligibility_record: Eligibility, code: str, area: BudgetArea, project_ids: Iterable[int]
) -> Receipt:
    """Replace the identified person's online ballot with a new one, and return the new receipt.

    The person proves the old ballot is theirs with its receipt code. In one transaction the old
    ballot is deleted, its receipt marked superseded, and the new ballot stored under a new code
    (in `receipt.code`). Raise PermissionDenied where the process does not allow replacement or
    voting is not open, and ValidationError for a broken rule or a code that is not this person's
    current one (`wrong_code`), or a final ballot (`final`).
    """
    process = area.process
    _check_open(process)
    options = budgeting_settings_get(process)
    if not options.allow_replacement:
        raise PermissionDenied(_("Ballots cannot be replaced in this vote."))
    normalised = receipts.normalise(code)
    if normalised is None:
        raise ValidationError(
            _("Check the receipt code. It has 16 letters and digits."), code="invalid_code"
        )
    voter_area_validate(record=eligibility_record, area=area, options=options)
    projects = _projects_get(area, project_ids)
    ballot_validate(area=area, projects=projects, options=options)
    wrong_code = ValidationError(
        _("This receipt code is not the code of your current ballot."), code="wrong_code"
    )
    with transaction.atomic():
        record = (
            ParticipationRecord.objects.select_for_update()
            .filter(process=process, digest=eligibility_record.digest)
            .first()
        )
        participation_mac = receipts.keyed_hash(receipts.Purpose.PARTICIPATION, normalised)
        if record is None or not constant_time_compare(record.receipt_mac, participation_mac):
            raise wrong_code
        old_receipt = Receipt.objects.select_for_update().get(
            process=process, code_hash=receipts.public_hash(normalised)
        )
        if old_receipt.is_final or record.channel != Channel.ONLINE:
            raise ValidationError(
                _(
                    "A ballot cast with staff assistance or on paper is final and cannot be "
                    "replaced."
                ),
                code="final",
            )
        Ballot.objects.filter(
            receipt_mac=receipts.keyed_hash(receipts.Purpose.BALLOT, normalised)
        ).delete()
        old_receipt.superseded = True
        old_receipt.save(update_fields=["superseded"])
        receipt = _store_ballot(area, projects, is_final=False)
        record.area = area
        record.receipt_mac = receipts.keyed_hash(receipts.Purpose.PARTICIPATION, receipt.code)
        record.save(update_fields=["area", "receipt_mac"])
    logger.info("ballot replaced process=%s area=%s", process.pk, area.pk)
    return receipt


# Ballots per bulk insert: large enough to keep the number of queries small, small enough to keep
# the batch's model instances and their choices in little memory.
PABULIB_BATCH_SIZE = 5000
# Letters that Unicode decomposition does not reduce to ASCII, for slugs of Polish and Nordic names.
_SLUG_LETTERS = str.maketrans(
    {"ł": "l", "Ł": "L", "ø": "o", "Ø": "O", "đ": "d", "Đ": "D", "æ": "ae", "Æ": "AE", "ß": "ss"}
)


def _slug_base(text: str, *, max_length: int, fallback: str) -> str:
    slug = slugify(text.translate(_SLUG_LETTERS).replace("_", " "))[:max_length].strip("-")
    return slug or fallback


def _truncate(text: str, max_length: int) -> str:
    return text if len(text) <= max_length else text[: max_length - 1] + "…"


def _unique_process_slug(file_name: str) -> str:
    """Derive a process slug from a file name, with a numeric suffix if the slug is taken."""
    max_length = Process._meta.get_field("slug").max_length
    # Room for a suffix such as "-12".
    base = _slug_base(Path(file_name).stem, max_length=max_length - 6, fallback="pabulib")
    used_slugs = set(Process.objects.filter(slug__startswith=base).values_list("slug", flat=True))
    slug, number = base, 1
    while slug in used_slugs:
        number += 1
        slug = f"{base}-{number}"
    return slug


def _pabulib_file_name(source: str | PathLike | TextIO, name: str | None) -> str:
    if name:
        return name
    if isinstance(source, str | PathLike):
        return Path(source).name
    stream_name = getattr(source, "name", None)
    if isinstance(stream_name, str):
        return Path(stream_name).name
    raise TypeError("Pass name= to import a stream that has no file name.")


def _pabulib_amount(value: Decimal, *, field: str, line: int) -> Decimal:
    """Return `value` if a DecimalField(max_digits=14, decimal_places=2) stores it exactly."""
    if value != value.quantize(Decimal("0.01")) or value >= Decimal(10) ** 12:
        raise ValidationError(
            _(
                "Line %(line)s: the %(field)s value %(value)s cannot be stored exactly. An amount "
                "may have at most two decimal places and must be less than %(limit)s."
            )
            % {
                "line": line,
                "field": field,
                "value": value,
                "limit": number_format(10**12, use_l10n=True, force_grouping=True),
            },
            code="amount",
        )
    return value


def _pabulib_currency(election: pabulib.PabulibFile) -> str:
    """Return the file's META currency as an ISO 4217 code, or EUR where it names none."""
    code = election.meta.get("currency", "").strip().upper()
    return code if len(code) == 3 and code.isalpha() else "EUR"


def _pabulib_titles(election: pabulib.PabulibFile, file_name: str) -> tuple[str, str]:
    """Return the process title and the area name, from META or else from the file name."""
    meta = election.meta
    stem = Path(file_name).stem
    title = " ".join(part for part in (meta.get("description"), meta.get("instance")) if part)
    places = [meta.get("unit"), meta.get("district") or meta.get("subunit")]
    area_name = ", ".join(dict.fromkeys(place for place in places if place))
    return _truncate(title or stem, 200), _truncate(area_name or stem, 200)


def _pabulib_create_projects(area: BudgetArea, election: pabulib.PabulibFile) -> dict[str, int]:
    """Insert the file's projects into `area`, and return {project id in the file: primary key}."""
    id_length = Project._meta.get_field("external_id").max_length
    title_length = Project._meta.get_field("title").max_length
    projects = []
    for project in election.projects.values():
        if len(project.id) > id_length:
            raise ValidationError(
                _("Line %(line)s: project id %(project)s is longer than %(limit)s characters.")
                % {"line": project.line, "project": project.id, "limit": id_length},
                code="project_id",
            )
        # A database constraint requires a positive cost, but pabutools 1.2.3 reads a cost of 0,
        # so such a file is rejected rather than imported with a changed cost.
        if project.cost <= 0:
            raise ValidationError(
                _(
                    "Line %(line)s: project %(project)s has cost 0, but every budget proposal "
                    "must cost more than zero."
                )
                % {"line": project.line, "project": project.id},
                code="cost_zero",
            )
        name = project.name or project.id
        projects.append(
            Project(
                area=area,
                external_id=project.id,
                title=_truncate(name, title_length),
                # A name too long for the title is kept whole in the description.
                description=name if len(name) > title_length else "",
                cost=_pabulib_amount(project.cost, field="cost", line=project.line),
            )
        )
    Project.objects.bulk_create(projects, batch_size=PABULIB_BATCH_SIZE)
    return dict(Project.objects.filter(area=area).values_list("external_id", "pk"))


def _pabulib_create_ballots(
    area: BudgetArea, election: pabulib.PabulibFile, project_pks: dict[str, int]
) -> tuple[int, int]:
    """Insert one ballot per vote in batches, and return (ballots, dropped repeated choices)."""
    ballot_count = dropped = 0
    ballots: list[Ballot] = []
    choices: list[BallotChoice] = []

    def flush() -> None:
        Ballot.objects.bulk_create(ballots)
        BallotChoice.objects.bulk_create(choices)
        ballots.clear()
        choices.clear()

    for vote in election.votes():
        # Only the chosen projects are stored, never the voter id, age or sex.
        ballot_id = uuid.uuid4()
        ballots.append(Ballot(id=ballot_id, area_id=area.pk))
        choices.extend(
            BallotChoice(ballot_id=ballot_id, project_id=project_pks[project_id])
            for project_id in vote.project_ids
        )
        ballot_count += 1
        dropped += vote.duplicates
        if len(ballots) >= PABULIB_BATCH_SIZE:
            flush()
    flush()
    return ballot_count, dropped


def process_import_pabulib(source: str | PathLike | TextIO, *, name: str | None = None) -> Process:
    """Create a participatory budgeting process from a Pabulib `.pb` file, and return it.

    `source` is a path or a text stream (see `pabulib.open_pabulib`). `name` is the file name that
    is stored as the process's source and from which its slug is derived. It defaults to the
    path's file name or the stream's `name` attribute. The process is a past election: it has no
    phases, so no one can vote in it, and its results are published. It gets one budget area with
    the file's budget and vote type, the projects (their `project_id` as `external_id`) and one
    ballot per vote. Ballots keep only the chosen projects, never the voter's id, age or sex.

    Everything is written in one transaction, so a file that fails writes nothing. Raise
    ValidationError, naming the line, for malformed input, an unsupported vote type or a value
    the platform cannot store, and OSError if the path cannot be read.
    """
    file_name = _pabulib_file_name(source, name)
    try:
        with transaction.atomic(), pabulib.open_pabulib(source) as election:
            title, area_name = _pabulib_titles(election, file_name)
            process = Process.objects.create(
                title=title,
                slug=_unique_process_slug(file_name),
                kind=Process.Kind.PARTICIPATORY_BUDGETING,
                results_published=True,
                source=_truncate(file_name, Process._meta.get_field("source").max_length),
            )
            budget_line = election.meta_lines["budget"]
            area = BudgetArea.objects.create(
                process=process,
                name=area_name,
                slug=_slug_base(area_name, max_length=100, fallback="area"),
                budget=_pabulib_amount(election.budget, field="budget", line=budget_line),
                vote_type=election.vote_type,
                currency=_pabulib_currency(election),
            )
            project_pks = _pabulib_create_projects(area, election)
            ballot_count, dropped = _pabulib_create_ballots(area, election, project_pks)
    except pabulib.PabulibError as error:
        raise ValidationError(_(error.template) % error.params, code=error.code) from error
    logger.info(
        "pabulib import done process=%s source=%s projects=%d ballots=%d "
        "repeated_choices_dropped=%d",
        process.pk,
        file_name,
        len(project_pks),
        ballot_count,
        dropped,
    )
    return process
