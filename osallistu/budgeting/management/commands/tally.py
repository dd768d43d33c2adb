"""Count the votes of a participatory budgeting process and print the winners."""

import json
from decimal import Decimal

from django.core.management.base import BaseCommand, CommandError
from django.utils.formats import number_format
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy, ngettext

from osallistu.budgeting import selectors
from osallistu.budgeting.counting import greedy


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


# People read the rule's name in their own language; JSON output keeps the code name.
RULE_LABELS = {greedy.RULE_NAME: gettext_lazy("greedy (most votes first)")}


class Command(BaseCommand):
    help = (
        "Count the votes of a participatory budgeting process by the greedy rule and print the "
        "winners of each budget area."
    )

    def add_arguments(self, parser):
        parser.add_argument("process", help=("The process's identifier (slug) or numeric id."))
        parser.add_argument(
            "--format",
            choices=["text", "json"],
            default="text",
            help=(
                "Output format: text for people (the default), or json for one JSON object with "
                "the winners' project ids in the order the rule selected them."
            ),
        )

    def handle(self, *args, process: str, format: str, **options) -> None:
        found = selectors.budgeting_process_get(process)
        if found is None:
            raise CommandError(
                _(
                    "No participatory budgeting process has the identifier %(process)s. Give "
                    "the identifier that import_pabulib printed, or the process's numeric id."
                )
                % {"process": process}
            )
        results = [selectors.area_result(area) for area in selectors.budget_areas(found)]
        if format == "json":
            self._write_json(found, results)
        else:
            self._write_text(found, results)

    def _write_json(self, process, results) -> None:
        document = {
            "process": process.slug,
            "rule": results[0].rule if results else greedy.RULE_NAME,
            "areas": [
                {
                    "area": result.area.slug,
                    "budget": _json_amount(result.area.budget),
                    "winners": [project.external_id for project in result.winners],
                }
                for result in results
            ],
        }
        self.stdout.write(json.dumps(document, ensure_ascii=False))

    def _write_text(self, process, results) -> None:
        self.stdout.write(
            _("%(title)s (%(process)s), counting rule: %(rule)s.")
            % {
                "title": process.title,
                "process": process.slug,
                "rule": RULE_LABELS.get(greedy.RULE_NAME, greedy.RULE_NAME),
            }
        )
        if not results:
            self.stdout.write(_("The process has no budget areas."))
        for result in results:
            self.stdout.write("")
            self.stdout.write(
                ngettext(
                    "%(area)s: budget %(budget)s, %(count)s ballot.",
                    "%(area)s: budget %(budget)s, %(count)s ballots.",
                    result.ballot_count,
                )
                % {
                    "area": result.area.name,
                    "budget": _format_amount(result.area.budget),
                    "count": number_format(result.ballot_count, force_grouping=True),
                }
            )
            votes = {row.project.pk: row.votes for row in result.rows}
            for position, project in enumerate(result.winners, start=1):
                self.stdout.write(
                    ngettext(
                        "%(position)s. %(title)s (%(project)s): %(votes)s vote, cost %(cost)s",
                        "%(position)s. %(title)s (%(project)s): %(votes)s votes, cost %(cost)s",
                        votes[project.pk],
                    )
                    % {
                        "position": position,
                        "title": project.title,
                        "project": project.external_id,
                        "votes": number_format(votes[project.pk], force_grouping=True),
                        "cost": _format_amount(project.cost),
                    }
                )
            if not result.winners:
                self.stdout.write(_("No proposal won."))
            self.stdout.write(
                _("Spent %(spent)s of %(budget)s.")
                % {
                    "spent": _format_amount(result.spent),
                    "budget": _format_amount(result.area.budget),
                }
            )
