import csv
import json

from django.conf import settings
from django.core.management.base import BaseCommand, CommandError
from django.utils import translation
from django.utils.translation import gettext as _

from osallistu.selection import inputs, need_index, sensitivity
from osallistu.selection.models import NeedIndexConfiguration
from osallistu.selection.selection_rule import SelectionRule

CSV_COLUMNS = (
    "kind",
    "identifier",
    "name",
    "population",
    "index",
    "rank",
    "rank_low",
    "rank_high",
    "selected",
    "selection_frequency",
    "flags",
)


class Command(BaseCommand):
    help = (
        "Print the need index ranking of every suburb and every postal area, with each area's "
        "rank interval from the sensitivity analysis and its flags. Suburbs come first; only "
        "suburbs are candidates for selection. Uses the default configuration with equal "
        "weights unless --configuration names one saved by staff."
    )

    def add_arguments(self, parser):
        parser.add_argument(
            "--format", choices=("json", "csv"), default="json", help="Output format."
        )
        parser.add_argument(
            "--year", type=int, help="Statistics year. Default: the newest year with data."
        )
        parser.add_argument(
            "--configuration",
            help="Id or name of a need index configuration saved by staff.",
        )
        parser.add_argument(
            "--seed",
            type=int,
            default=sensitivity.DEFAULT_SEED,
            help="Seed of the random weights. Default: %(default)s.",
        )
        parser.add_argument(
            "--draws",
            type=int,
            default=sensitivity.DEFAULT_DRAWS,
            help="Number of random weightings. Default: %(default)s.",
        )
        parser.add_argument(
            "--top",
            type=int,
            default=SelectionRule().count,
            help="Number of suburbs the selection rule picks. Default: %(default)s.",
        )
        parser.add_argument(
            "--language",
            choices=[code for code, _name in settings.LANGUAGES],
            default=settings.LANGUAGE_CODE,
            help="Language of error messages. Default: %(default)s.",
        )

    def handle(self, *args, **options):
        with translation.override(options["language"]):
            if options["draws"] < 0:
                raise CommandError(_("The number of draws must be 0 or more."))
            name, configuration = _configuration(options["configuration"])
            year = options["year"] if options["year"] is not None else configuration.statistics_year
            try:
                index_input = inputs.index_input(year, configuration=configuration)
            except inputs.NoDataError:
                if year is None:
                    raise CommandError(_("There are no indicator values to rank.")) from None
                raise CommandError(
                    _("There are no indicator values for statistics year %(year)s.")
                    % {"year": year}
                ) from None
            except ValueError as error:
                raise CommandError(
                    _("The configuration uses indicators that are not in the catalogue: %(error)s")
                    % {"error": error}
                ) from None
            try:
                rule = SelectionRule(count=options["top"])
            except need_index.ConfigurationError as error:
                raise CommandError(_(error.message) % error.params) from None
            analysis = sensitivity.analyse(
                index_input,
                configuration,
                rule,
                seed=options["seed"],
                draws=options["draws"],
            )
        rows = [
            {"kind": kind, "identifier": row.pop("code"), **row}
            for kind in need_index.KINDS
            for row in analysis.rows(kind)
        ]
        if options["format"] == "csv":
            self._write_csv(rows)
        else:
            document = analysis.to_dict()
            del document["levels"]
            document["statistics_year"] = index_input.statistics_year
            document["configuration_name"] = name
            document["rows"] = rows
            self.stdout.write(json.dumps(document, ensure_ascii=False, indent=2))

    def _write_csv(self, rows):
        writer = csv.writer(self.stdout, lineterminator="\n")
        writer.writerow(CSV_COLUMNS)
        for row in rows:
            writer.writerow(
                [
                    _csv_value(";".join(row["flags"]) if column == "flags" else row[column])
                    for column in CSV_COLUMNS
                ]
            )


def _csv_value(value):
    if value is None:
        return ""
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, float):
        return repr(round(value, 6))
    return value


def _configuration(reference: str | None) -> tuple[str, need_index.IndexConfiguration]:
    """Return the name and configuration `reference` names, or the default configuration."""
    if reference is None:
        return "default", need_index.default_configuration()
    saved = None
    if reference.isdigit():
        saved = NeedIndexConfiguration.objects.filter(pk=int(reference)).first()
    if saved is None:
        saved = NeedIndexConfiguration.objects.filter(name=reference).first()
    if saved is None:
        raise CommandError(
            _("Need index configuration %(configuration)s was not found.")
            % {"configuration": reference}
        )
    try:
        return saved.name, saved.as_index_configuration()
    except need_index.ConfigurationError as error:
        raise CommandError(
            _("Need index configuration %(configuration)s is invalid: %(error)s")
            % {"configuration": saved.name, "error": _(error.message) % error.params}
        ) from None
