"""Update implementation items from a CSV file, as the staff import page does."""

from pathlib import Path

from django.contrib.auth import get_user_model
from django.core.management.base import BaseCommand, CommandError

from osallistu.implementation import csv_import


class Command(BaseCommand):
    help = (
        "Check every row of a CSV of implementation changes and save them all, or none if any "
        "row has an error. The changes are made and audited in the name of --user."
    )

    def add_arguments(self, parser):
        parser.add_argument("path", type=Path)
        parser.add_argument(
            "--user", required=True, help="Email of the staff member making the changes."
        )
        parser.add_argument("--dry-run", action="store_true", help="Check only; save nothing.")

    def handle(self, *args, path: Path, user: str, dry_run: bool = False, **options):
        account = get_user_model().objects.filter(email__iexact=user).first()
        if account is None:
            raise CommandError(f"No user with the email {user}.")
        try:
            text = path.read_text(encoding="utf-8-sig")
        except (OSError, UnicodeDecodeError) as error:
            raise CommandError(f"Cannot read {path}: {error}") from error
        report = csv_import.import_csv(account, text, dry_run=dry_run)
        for error in report.errors:
            self.stderr.write(error)
        if report.errors:
            raise CommandError(f"{len(report.errors)} errors; nothing was saved.")
        verb = "would update" if dry_run else "updated"
        self.stdout.write(f"{len(report.rows)} rows valid; {verb} {len(report.updated)} items.")
