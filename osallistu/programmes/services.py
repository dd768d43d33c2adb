"""Writes of suburb programmes: programmes, goals, readings, key actions and project packages.

Every function checks `rules.can(user, Action.MANAGE_PROGRAMME)` city-wide, validates with the
models' `full_clean()` and records an audit event in the same transaction. Invalid input raises
ValidationError with messages per field, which the staff forms show beside their fields.
"""

import datetime
import logging
from collections.abc import Iterable
from typing import Any

from django.conf import settings
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import models, transaction
from django.utils.text import Truncator, slugify
from django.utils.translation import gettext as _
from django.utils.translation import ngettext, override

from osallistu.accounts.models import ServiceArea
from osallistu.areas.models import DevelopmentTheme, InvestmentProject, Suburb
from osallistu.audit.services import record
from osallistu.participation import rules
from osallistu.participation.models import Debate, Phase, Process
from osallistu.participation.rules import Action
from osallistu.participation.services import debate_create
from osallistu.selection.models import SelectionRound

from .models import Goal, GoalMeasurement, KeyAction, Programme, ProjectPackage

logger = logging.getLogger(__name__)

PROGRAMME_FIELDS = ("title", "slug", "description", "starts_year", "ends_year", "selection_round")
GOAL_FIELDS = (
    "theme",
    "title",
    "description",
    "origin",
    "measure_kind",
    "indicator",
    "measure_label",
    "baseline",
    "baseline_year",
    "target",
    "target_year",
)
KEY_ACTION_FIELDS = ("title", "description", "starts_year", "investment_project")
PACKAGE_FIELDS = ("title", "slug", "description", "service_area")
# Length of the co-design phase that `package_open_co_design` proposes when no end is given.
DEFAULT_CO_DESIGN_DAYS = 60


def _check_permission(user) -> None:
    if not rules.can(user, Action.MANAGE_PROGRAMME):
        raise PermissionDenied(_("Only coordinators and administrators may manage programmes."))


def _assign(instance: models.Model, fields: dict[str, Any], allowed: Iterable[str]) -> list[str]:
    """Set the `allowed` fields given in `fields` on `instance`; return the names that changed."""
    unknown = set(fields) - set(allowed)
    if unknown:
        raise TypeError(f"unknown fields: {sorted(unknown)}")
    changed = []
    for name, value in fields.items():
        if getattr(instance, name) != value:
            setattr(instance, name, value)
            changed.append(name)
    return changed


def _audit(user, action: str, target, programme: Programme, summary: str, **details) -> None:
    record(
        user,
        f"programmes.{action}",
        target,
        summary=summary,
        suburb=programme.suburb,
        process=details.pop("process", None),
        details={"programme": programme.pk, **details},
    )


def _locked_programme(programme: Programme) -> Programme:
    """Lock the programme's row, so that reordering and slug checks do not race."""
    return Programme.objects.select_for_update().get(pk=programme.pk)


# --- Programmes -------------------------------------------------------------------------------


def _check_selection_round(selection_round: SelectionRound | None, suburb: Suburb) -> None:
    if selection_round is None:
        return
    if selection_round.status != SelectionRound.Status.DECIDED:
        raise ValidationError(
            {"selection_round": _("Choose a selection round that the board has decided.")}
        )
    if not selection_round.chosen.filter(suburb=suburb).exists():
        raise ValidationError(
            {
                "selection_round": _("The board did not choose %(suburb)s in this round.")
                % {"suburb": suburb.name}
            }
        )


@transaction.atomic
def programme_create(
    *,
    user,
    suburb: Suburb,
    title: str,
    starts_year: int,
    slug: str = "",
    description: str = "",
    ends_year: int | None = None,
    selection_round: SelectionRound | None = None,
) -> Programme:
    """Create the programme of `suburb`; raise ValidationError if it has one or input is bad.

    Without `slug` the suburb's slug is used. A `selection_round` must be decided and must have
    chosen the suburb.
    """
    _check_permission(user)
    if Programme.objects.filter(suburb=suburb).exists():
        raise ValidationError(
            {"suburb": _("%(suburb)s already has a programme.") % {"suburb": suburb.name}}
        )
    _check_selection_round(selection_round, suburb)
    programme = Programme(
        suburb=suburb,
        title=title,
        slug=slug or suburb.slug,
        description=description,
        starts_year=starts_year,
        ends_year=ends_year,
        selection_round=selection_round,
    )
    programme.full_clean()
    programme.save()
    _audit(
        user,
        "create_programme",
        programme,
        programme,
        _("Created the programme of %(suburb)s.") % {"suburb": suburb.name},
        selection_round=selection_round.pk if selection_round else None,
    )
    logger.info("programme created programme=%s suburb=%s", programme.pk, suburb.pk)
    return programme


def programme_create_for_chosen(*, user, selection_round: SelectionRound, suburb: Suburb):
    """Create the programme of a suburb that the decided `selection_round` chose.

    The programme starts in the round's year and is titled after the suburb in the active
    language; staff may edit both afterwards.
    """
    return programme_create(
        user=user,
        suburb=suburb,
        title=_("Suburb programme of %(suburb)s") % {"suburb": suburb.name},
        starts_year=selection_round.year,
        selection_round=selection_round,
    )


@transaction.atomic
def programme_update(*, user, programme: Programme, **fields) -> Programme:
    """Change the fields of PROGRAMME_FIELDS given as keywords; the suburb never changes."""
    _check_permission(user)
    programme = _locked_programme(programme)
    changed = _assign(programme, fields, PROGRAMME_FIELDS)
    if "selection_round" in changed:
        _check_selection_round(programme.selection_round, programme.suburb)
    programme.full_clean()
    programme.save()
    _audit(
        user,
        "update_programme",
        programme,
        programme,
        _("Edited the programme."),
        fields=sorted(changed),
    )
    return programme


# --- Goals ------------------------------------------------------------------------------------


@transaction.atomic
def goal_create(*, user, programme: Programme, **fields) -> Goal:
    """Add a goal with the GOAL_FIELDS given as keywords, as the programme's last goal."""
    _check_permission(user)
    programme = _locked_programme(programme)
    last = programme.goals.aggregate(last=models.Max("position"))["last"]
    goal = Goal(programme=programme, position=0 if last is None else last + 1)
    _assign(goal, fields, GOAL_FIELDS)
    goal.full_clean()
    goal.save()
    _audit(
        user,
        "create_goal",
        goal,
        programme,
        _("Added a goal."),
        measure_kind=goal.measure_kind,
    )
    return goal


@transaction.atomic
def goal_update(*, user, goal: Goal, **fields) -> Goal:
    """Change the GOAL_FIELDS given as keywords; readings of a count stay when the kind changes."""
    _check_permission(user)
    # A fresh copy, because a model form has already set the new values on the caller's.
    goal = Goal.objects.select_for_update().select_related("programme__suburb").get(pk=goal.pk)
    changed = _assign(goal, fields, GOAL_FIELDS)
    goal.full_clean()
    goal.save()
    _audit(
        user,
        "update_goal",
        goal,
        goal.programme,
        _("Edited a goal."),
        fields=sorted(changed),
    )
    return goal


def _move(item, siblings: models.QuerySet, offset: int) -> None:
    """Move `item` by `offset` places among `siblings` and number them 0, 1, 2, ... again."""
    ordered = list(siblings.order_by("position", "pk"))
    index = next(i for i, sibling in enumerate(ordered) if sibling.pk == item.pk)
    new_index = max(0, min(len(ordered) - 1, index + offset))
    ordered.insert(new_index, ordered.pop(index))
    for position, sibling in enumerate(ordered):
        if sibling.position != position:
            sibling.position = position
            sibling.save(update_fields=["position"])
    item.position = new_index


@transaction.atomic
def goal_move(*, user, goal: Goal, offset: int) -> Goal:
    """Move a goal up (negative `offset`) or down among its programme's goals."""
    _check_permission(user)
    programme = _locked_programme(goal.programme)
    _move(goal, programme.goals.all(), offset)
    _audit(user, "move_goal", goal, programme, _("Reordered the goals."), offset=offset)
    return goal


@transaction.atomic
def measurement_save(*, user, goal: Goal, year: int, value, note: str = "") -> GoalMeasurement:
    """Store the reading of a count goal for `year`, replacing that year's earlier reading."""
    _check_permission(user)
    if goal.measure_kind != Goal.MeasureKind.COUNT:
        raise ValidationError(
            _(
                "Only a goal measured by a count takes readings. Indicator and survey "
                "measures are read from their own data."
            )
        )
    measurement = GoalMeasurement.objects.select_for_update().filter(
        goal=goal, year=year
    ).first() or GoalMeasurement(goal=goal, year=year)
    measurement.value = value
    measurement.note = note
    measurement.full_clean()
    measurement.save()
    _audit(
        user,
        "save_goal_measurement",
        goal,
        goal.programme,
        _("Entered the reading of year %(year)s.") % {"year": year},
        year=year,
    )
    return measurement


@transaction.atomic
def measurement_delete(*, user, measurement: GoalMeasurement) -> None:
    """Delete one reading of a count goal."""
    _check_permission(user)
    goal = measurement.goal
    year = measurement.year
    measurement.delete()
    _audit(
        user,
        "delete_goal_measurement",
        goal,
        goal.programme,
        _("Deleted the reading of year %(year)s.") % {"year": year},
        year=year,
    )


# --- Key actions ------------------------------------------------------------------------------


def _check_goals(programme: Programme, goals: Iterable[Goal]) -> list[Goal]:
    goals = list(goals)
    if any(goal.programme_id != programme.pk for goal in goals):
        raise ValidationError({"goals": _("Choose goals of this programme.")})
    return goals


def _next_key_action_position(programme: Programme) -> int:
    last = programme.key_actions.aggregate(last=models.Max("position"))["last"]
    return 0 if last is None else last + 1


@transaction.atomic
def key_action_create(*, user, programme: Programme, goals: Iterable[Goal] = (), **fields):
    """Add a key action by hand with the KEY_ACTION_FIELDS given as keywords."""
    _check_permission(user)
    programme = _locked_programme(programme)
    goals = _check_goals(programme, goals)
    key_action = KeyAction(programme=programme, position=_next_key_action_position(programme))
    _assign(key_action, fields, KEY_ACTION_FIELDS)
    key_action.full_clean()
    key_action.save()
    key_action.goals.set(goals)
    _audit(user, "create_key_action", key_action, programme, _("Added a key action."))
    return key_action


@transaction.atomic
def key_actions_from_investments(
    *, user, programme: Programme, investments: Iterable[InvestmentProject]
) -> list[KeyAction]:
    """Add a key action per investment project of the programme's suburb, in the given order.

    Each key action takes the project's name and starts in the project's year, the year the
    investment programme schedules it. A project that is already a key action of the programme
    raises ValidationError, as does one of another suburb; then nothing is added.
    """
    _check_permission(user)
    programme = _locked_programme(programme)
    investments = list(investments)
    if not investments:
        raise ValidationError({"investments": _("Choose at least one investment project.")})
    foreign = [item.name for item in investments if item.suburb_id != programme.suburb_id]
    if foreign:
        raise ValidationError(
            {
                "investments": _("These projects are not in %(suburb)s: %(names)s.")
                % {"suburb": programme.suburb.name, "names": ", ".join(foreign)}
            }
        )
    taken = set(
        programme.key_actions.filter(investment_project__in=investments).values_list(
            "investment_project__name", flat=True
        )
    )
    if taken:
        raise ValidationError(
            {
                "investments": _("These projects are already key actions: %(names)s.")
                % {"names": ", ".join(sorted(taken))}
            }
        )
    position = _next_key_action_position(programme)
    created = []
    for offset, investment in enumerate(investments):
        key_action = KeyAction(
            programme=programme,
            investment_project=investment,
            title=investment.name,
            starts_year=investment.year,
            position=position + offset,
        )
        key_action.full_clean()
        key_action.save()
        created.append(key_action)
    _audit(
        user,
        "create_key_actions_from_investments",
        programme,
        programme,
        ngettext(
            "Added %(count)s key action from the investment programme.",
            "Added %(count)s key actions from the investment programme.",
            len(created),
        )
        % {"count": len(created)},
        investments=[item.external_id for item in investments],
    )
    return created


@transaction.atomic
def key_action_update(
    *, user, key_action: KeyAction, goals: Iterable[Goal] | None = None, **fields
) -> KeyAction:
    """Change the KEY_ACTION_FIELDS given as keywords, and the goals where `goals` is given."""
    _check_permission(user)
    key_action = (
        KeyAction.objects.select_for_update()
        .select_related("programme__suburb")
        .get(pk=key_action.pk)
    )
    changed = _assign(key_action, fields, KEY_ACTION_FIELDS)
    key_action.full_clean()
    key_action.save()
    if goals is not None:
        key_action.goals.set(_check_goals(key_action.programme, goals))
        changed.append("goals")
    _audit(
        user,
        "update_key_action",
        key_action,
        key_action.programme,
        _("Edited a key action."),
        fields=sorted(changed),
    )
    return key_action


@transaction.atomic
def key_action_move(*, user, key_action: KeyAction, offset: int) -> KeyAction:
    """Move a key action up (negative `offset`) or down among its programme's key actions."""
    _check_permission(user)
    programme = _locked_programme(key_action.programme)
    _move(key_action, programme.key_actions.all(), offset)
    _audit(
        user,
        "move_key_action",
        key_action,
        programme,
        _("Reordered the key actions."),
        offset=offset,
    )
    return key_action


# --- Project packages -------------------------------------------------------------------------


def _check_package_links(
    programme: Programme, key_actions: list[KeyAction], themes: list[DevelopmentTheme]
) -> None:
    errors = {}
    if any(item.programme_id != programme.pk for item in key_actions):
        errors["key_actions"] = _("Choose key actions of this programme.")
    if any(theme.suburb_id != programme.suburb_id for theme in themes):
        errors["themes"] = _("Choose development themes of this programme's suburb.")
    if errors:
        raise ValidationError(errors)


def _check_package_slug(package: ProjectPackage) -> None:
    taken = ProjectPackage.objects.filter(programme=package.programme, slug=package.slug)
    if package.pk:
        taken = taken.exclude(pk=package.pk)
    if taken.exists():
        raise ValidationError(
            {"slug": _("Another project package of this programme has this identifier.")}
        )


@transaction.atomic
def package_create(
    *,
    user,
    programme: Programme,
    title: str,
    service_area: ServiceArea,
    slug: str = "",
    description: str = "",
    key_actions: Iterable[KeyAction] = (),
    themes: Iterable[DevelopmentTheme] = (),
) -> ProjectPackage:
    """Create a project package (hankekokonaisuus) from key actions and themes.

    Without `slug` one is made from the title. Key actions must be the programme's and themes
    its suburb's.
    """
    _check_permission(user)
    programme = _locked_programme(programme)
    key_actions, themes = list(key_actions), list(themes)
    _check_package_links(programme, key_actions, themes)
    package = ProjectPackage(
        programme=programme,
        title=title,
        slug=slug or slugify(title)[:100],
        description=description,
        service_area=service_area,
        # A package that staff create is real even inside an example programme; the demo marks
        # its own example packages.
        is_example=False,
    )
    package.full_clean(validate_constraints=False)
    _check_package_slug(package)
    package.save()
    package.key_actions.set(key_actions)
    package.themes.set(themes)
    _audit(
        user,
        "create_project_package",
        package,
        programme,
        _("Created a project package."),
        service_area=service_area.pk,
    )
    return package


@transaction.atomic
def package_update(
    *,
    user,
    package: ProjectPackage,
    key_actions: Iterable[KeyAction] | None = None,
    themes: Iterable[DevelopmentTheme] | None = None,
    **fields,
) -> ProjectPackage:
    """Change the PACKAGE_FIELDS given as keywords, and the key actions or themes where given."""
    _check_permission(user)
    programme = _locked_programme(package.programme)
    package = ProjectPackage.objects.select_for_update().get(pk=package.pk)
    changed = _assign(package, fields, PACKAGE_FIELDS)
    key_actions = None if key_actions is None else list(key_actions)
    themes = None if themes is None else list(themes)
    _check_package_links(programme, key_actions or [], themes or [])
    package.full_clean(validate_constraints=False)
    _check_package_slug(package)
    package.save()
    if key_actions is not None:
        package.key_actions.set(key_actions)
        changed.append("key_actions")
    if themes is not None:
        package.themes.set(themes)
        changed.append("themes")
    _audit(
        user,
        "update_project_package",
        package,
        programme,
        _("Edited a project package."),
        fields=sorted(changed),
        process=package.process,
    )
    return package


def _free_process_slug(base: str) -> str:
    base = base[:90].strip("-")
    slug, number = base, 2
    while Process.objects.filter(slug=slug).exists():
        slug = f"{base}-{number}"
        number += 1
    return slug


@transaction.atomic
def package_open_co_design(
    *,
    user,
    package: ProjectPackage,
    starts_on: datetime.date,
    ends_on: datetime.date | None = None,
) -> Process:
    """Create the package's area-development process, where residents discuss its plans.

    The process covers the programme's suburb and has one discussion phase from `starts_on` to
    `ends_on`, or DEFAULT_CO_DESIGN_DAYS later where not given. It opens with a debate on the
    package's plans (see `co_design_debate_create`), on which signed-in residents comment in
    that phase; workshops and outreach events attach to the process. Raise ValidationError if
    the package already has one or the dates are reversed.
    """
    _check_permission(user)
    package = ProjectPackage.objects.select_for_update().get(pk=package.pk)
    if package.process_id is not None:
        raise ValidationError(_("The co-design of this project package is already open."))
    ends_on = ends_on or starts_on + datetime.timedelta(days=DEFAULT_CO_DESIGN_DAYS)
    if ends_on < starts_on:
        raise ValidationError({"ends_on": _("The end date cannot be before the start date.")})
    programme = package.programme
    process = Process.objects.create(
        # A package title may be longer than a process title.
        title=Truncator(package.title).chars(Process._meta.get_field("title").max_length),
        slug=_free_process_slug(f"{programme.slug}-{package.slug}"),
        kind=Process.Kind.AREA_DEVELOPMENT,
        description=package.description,
        is_example=package.is_example,
    )
    process.suburbs.set([programme.suburb])
    Phase.objects.create(
        process=process, kind=Phase.Kind.DISCUSSION, starts_on=starts_on, ends_on=ends_on
    )
    package.process = process
    package.save(update_fields=["process"])
    debate = co_design_debate_create(user=user, package=package)
    _audit(
        user,
        "open_co_design",
        package,
        programme,
        _("Opened the co-design of a project package."),
        process=process,
        starts_on=starts_on.isoformat(),
        ends_on=ends_on.isoformat(),
        debate=debate.pk,
    )
    logger.info("co-design opened package=%s process=%s", package.pk, process.pk)
    return process


def co_design_debate_create(*, user, package: ProjectPackage) -> Debate:
    """Open the debate in which residents comment on the plans of `package` in its process.

    The title and the fallback description are in the site's default language, like the
    package itself. Raise PermissionDenied unless `user` may manage the process's debates.
    """
    with override(settings.LANGUAGE_CODE):
        title = _("Comment on the plans: %(package)s") % {"package": package.title}
        description = package.description or _(
            "Tell what you think of the plans of this project package."
        )
    max_length = Debate._meta.get_field("title").max_length
    return debate_create(
        user,
        process=package.process,
        title=Truncator(title).chars(max_length),
        description=description,
    )
