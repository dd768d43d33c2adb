"""Import feedback requests from a CSV file into a CSV feedback source."""

from pathlib import Path

from django.core.management.base import BaseCommand, CommandError

from osallistu.feedback.models import FeedbackSourceConfig
from osallistu.feedback.services import feedback_csv_import
from osallistu.feedback.sources.csv_import import CsvImportError


class Command(BaseCommand):
    help = "Import feedback requests from a CSV file; any row error writes nothing."

    def add_arguments(self, parser):
        parser.add_argument("file", type=Path)
        parser.add_argument(
            "--source", required=True, help="Identifier (slug) of a CSV feedback source."
        )
        parser.add_argument(
            "--dry-run", action="store_true", help="Check the file without writing."
        )

    def handle(self, *args, file: Path, source: str, dry_run: bool, **options):
        try:
            config = FeedbackSourceConfig.objects.get(slug=source)
        except FeedbackSourceConfig.DoesNotExist:
            raise CommandError(f"No feedback source {source!r}.") from None
        if config.is_open311:
            raise CommandError(f"{source!r} is an Open311 source; use fetch_feedback.")
        try:
            content = file.read_bytes()
        except OSError as error:
            raise CommandError(f"Cannot read {file}: {error.strerror}") from None
        try:
            result = feedback_csv_import(user=None, source=config, content=content, dry_run=dry_run)
        except CsvImportError as error:
            for message in error.errors:
                self.stderr.write(message)
            raise CommandError(
                f"Errors in the file: {len(error.errors)}. Nothing was written."
            ) from None
        if result.stored is None:
            self.stdout.write(f"The file is valid: {result.row_count} requests. Nothing written.")
            return
        self.stdout.write(
            f"Imported {result.row_count} requests: {result.stored.created} new, "
            f"{result.stored.updated} updated, {result.stored.swapped} with swapped coordinates, "
            f"{result.stored.outside} outside the city, {result.stored.unplaced} not placed."
        )
