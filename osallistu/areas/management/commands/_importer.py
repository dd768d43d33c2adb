"""The shared shape of the area-data import commands: read a file, run, print the result."""

from pathlib import Path

from django.core.management.base import BaseCommand, CommandError
from django.utils.translation import gettext as _

from osallistu.areas.importers import ImportResult, run_import


class ImportCommand(BaseCommand):
    """Run the importer `kind` on the file argument; subclasses add their own options."""

    kind = ""

    def add_arguments(self, parser):
        parser.add_argument("file", type=Path)
        parser.add_argument(
            "--dry-run",
            action="store_true",
            help="Check the file and count what would change, without writing.",
        )

    def options_for(self, options) -> dict:
        return {}

    def handle(self, *args, file: Path, dry_run: bool, **options):
        try:
            data = file.read_bytes()
        except OSError as error:
            raise CommandError(
                _("Cannot read %(file)s: %(error)s") % {"file": file, "error": error.strerror}
            ) from None
        result = run_import(self.kind, data, dry_run=dry_run, options=self.options_for(options))
        self.write_result(result)

    def write_result(self, result: ImportResult) -> None:
        if not result.ok:
            for error in result.errors:
                self.stderr.write(str(error))
            raise CommandError(
                _("Errors in the file: %(count)d. Nothing was written.")
                % {"count": len(result.errors)}
            )
        params = {
            "rows": result.rows_read,
            "created": result.created,
            "updated": result.updated,
            "unchanged": result.unchanged,
        }
        if result.dry_run:
            message = _(
                "Dry run: %(rows)d rows read; %(created)d would be created, %(updated)d "
                "updated and %(unchanged)d unchanged. Nothing was written."
            )
        else:
            message = _(
                "%(rows)d rows read; %(created)d created, %(updated)d updated and "
                "%(unchanged)d unchanged."
            )
        self.stdout.write(self.style.SUCCESS(message % params))
        for note in result.notes:
            self.stdout.write(note)
