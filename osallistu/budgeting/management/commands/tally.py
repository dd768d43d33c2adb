"""Count the votes of a participatory budgeting process and print the winners."""

import argparse
import json
from decimal import Decimal

from django.core.management.base import BaseCommand, CommandError
from django.db import models
from django.utils.formats import number_format
from django.utils.text import capfirst
from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from osallistu.budgeting import selectors
from osallistu.budgeting.counting import COMPLETIONS, RULES, TIE_BREAKS, money
from osallistu.budgeting.counting.areas import count_area, settings_for
from osallistu.budgeting.models import BudgetingSettings


def _format_amount(amount: Decimal) -> str:
    """Format an amount in the active language, without decimals when it is whole."""
    places = 0 if amount == amount.to_integral_value() else 2
    return number_format(amount, decimal_pos=places, use_l10n=True, force_grouping=True)


def _json_amount(amount: Decimal) -> int | float:
    """Return a whole amount as int, else as float.

    A float reproduces an amount of the model's at most 14 digits exactly when printed, because
    Python prints the shortest text that reads back as the same float.
    """
    if amount == amount.to_integral_value():
        return int(amount)
    return float(amount)


def _choice_label(choices: type[models.TextChoices], value: str) -> str:
    """Return the model's label of `value` in sentence case, or `value` itself if unknown.

    People read the names of rules and completions in their own language; JSON output keeps the
    code names.
    """
    if value in choices.values:
        return capfirst(str(choices(value).label))
    return value


class Command(BaseCommand):
    help = (
        "Count the votes of a participatory budgeting process and print the winners of each "
        "budget area. Without options the process's configured rule is used."
    )

    def add_arguments(self, parser):
        parser.add_argument("process", help=("The process's identifier (slug) or numeric id."))
        parser.add_argument(
            "--rule", choices=RULES, help="Counting rule instead of the process's own."
        )
        parser.add_argument(
            "--completion",
            choices=COMPLETIONS,
            help="Completion of the Method of Equal Shares instead of the process's own.",
        )
        parser.add_argument(
            "--comparison",
            action=argparse.BooleanOptionalAction,
            default=None,
            help=(
                "Compare the Method of Equal Shares outcome with the greedy one and keep the one "
                "more voters prefer (--no-comparison turns a configured comparison off)."
            ),
        )
        parser.add_argument(
            "--min-votes", type=int, help="Votes a project needs, instead of the process's own."
        )
        parser.add_argument(
            "--stop-at-first-misfit",
            action=argparse.BooleanOptionalAction,
            default=None,
            help="Stop greedy counting at the first project that does not fit.",
        )
        parser.add_argument(
            "--tie-break",
            choices=TIE_BREAKS,
            help="Order among projects the rule ranks equal (default: id, as a string).",
        )
        parser.add_argument(
            "--explain",
            action="store_true",
            help="In JSON, add every project's result with its reason code and amounts.",
        )
        parser.add_argument(
            "--format",
            choices=["text", "json"],
            default="text",
            help=(
                "Output format: text for people (the default), or json for one JSON object with "
                "the winners' project ids in the order the rule selected them."
            ),
        )

    def handle(self, *args, process: str, format: str, explain: bool, **options) -> None:
        found = selectors.budgeting_process_get(process)
        if found is None:
            raise CommandError(
                _(
                    "No participatory budgeting process has the identifier %(process)s. Give "
                    "the identifier that import_pabulib printed, or the process's numeric id."
                )
                % {"process": process}
            )
        if options["min_votes"] is not None and options["min_votes"] < 0:
            raise CommandError(_("The minimum number of votes cannot be negative."))
        self._check_mes_options(found, options)
        overrides = {
            "rule": options["rule"],
            "completion": options["completion"],
            "comparison": options["comparison"],
            "min_votes": options["min_votes"],
            "stop_at_first_misfit": options["stop_at_first_misfit"],
            "tie_break": options["tie_break"],
        }
        areas = list(selectors.budget_areas(found))
        results = [(area, count_area(area, **overrides)) for area in areas]
        rule = results[0][1].rule if results else (options["rule"] or "greedy")
        if format == "json":
            self._write_json(found, rule, results, explain)
        else:
            self._write_text(found, rule, results)

    def _check_mes_options(self, process, options) -> None:
        """Raise CommandError for --comparison or a --completion under the greedy rule."""
        rule = options["rule"] or settings_for(process)["rule"]
        if rule != BudgetingSettings.Rule.GREEDY:
            return
        if options["comparison"]:
            raise CommandError(
                _(
                    "--comparison applies to the Method of Equal Shares only, but the counting "
                    "rule is greedy. Add --rule mes-cost or --rule mes-approval, or leave out "
                    "--comparison."
                )
            )
        if options["completion"] not in (None, BudgetingSettings.Completion.NONE):
            raise CommandError(
                _(
                    "--completion applies to the Method of Equal Shares only, but the counting "
                    "rule is greedy. Add --rule mes-cost or --rule mes-approval, or leave out "
                    "--completion."
                )
            )

    def _write_json(self, process, rule, results, explain: bool) -> None:
        document = {"process": process.slug, "rule": rule}
        if results and rule != "greedy":
            # Completion and comparison apply to the Method of Equal Shares only.
            document["completion"] = results[0][1].completion
            document["comparison"] = results[0][1].comparison
        document["areas"] = []
        for area, outcome in results:
            entry = {
                "area": area.slug,
                "budget": _json_amount(area.budget),
                "winners": list(outcome.winners),
            }
            if explain:
                explained = outcome.as_dict()
                for key in ("spent", "voter_budget", "tie_break", "projects", "compared"):
                    if key in explained:
                        entry[key] = explained[key]
            document["areas"].append(entry)
        self.stdout.write(json.dumps(document, ensure_ascii=False))

    def _write_text(self, process, rule, results) -> None:
        self.stdout.write(
            _("%(title)s (%(process)s)") % {"title": process.title, "process": process.slug}
        )
        self.stdout.write(
            _("Counting rule: %(rule)s.") % {"rule": _choice_label(BudgetingSettings.Rule, rule)}
        )
        if results and rule != BudgetingSettings.Rule.GREEDY:
            # Completion and comparison apply to the Method of Equal Shares only.
            outcome = results[0][1]
            completion = _choice_label(BudgetingSettings.Completion, outcome.completion)
            self.stdout.write(_("Completion: %(completion)s.") % {"completion": completion})
            if outcome.comparison:
                self.stdout.write(
                    _(
                        "Comparison with greedy: used. Each area keeps the outcome that more "
                        "voters prefer."
                    )
                )
            else:
                self.stdout.write(_("Comparison with greedy: not used."))
        if not results:
            self.stdout.write(_("The process has no budget areas."))
        for area, outcome in results:
            self._write_area(area, outcome)

    def _write_area(self, area, outcome) -> None:
        projects = {project.external_id: project for project in area.projects.all()}
        ballot_count = area.ballots.count()
        self.stdout.write("")
        self.stdout.write(
            ngettext(
                "%(area)s: budget %(budget)s, %(count)s ballot.",
                "%(area)s: budget %(budget)s, %(count)s ballots.",
                ballot_count,
            )
            % {
                "area": area.name,
                "budget": _format_amount(area.budget),
                "count": number_format(ballot_count, force_grouping=True),
            }
        )
        for position, project_id in enumerate(outcome.winners, start=1):
            result = outcome.project(project_id)
            self.stdout.write(
                ngettext(
                    "%(position)s. %(title)s (%(project)s): %(votes)s vote, cost %(cost)s",
                    "%(position)s. %(title)s (%(project)s): %(votes)s votes, cost %(cost)s",
                    result.votes,
                )
                % {
                    "position": position,
                    "title": projects[project_id].title,
                    "project": project_id,
                    "votes": number_format(result.votes, force_grouping=True),
                    "cost": _format_amount(projects[project_id].cost),
                }
            )
        if not outcome.winners:
            self.stdout.write(_("No proposal won."))
        self.stdout.write(
            _("Spent %(spent)s of %(budget)s.")
            % {
                "spent": _format_amount(Decimal(money(outcome.spent))),
                "budget": _format_amount(area.budget),
            }
        )
