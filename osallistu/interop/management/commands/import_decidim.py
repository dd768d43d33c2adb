from pathlib import Path

from django.core.exceptions import ValidationError
from django.core.management.base import BaseCommand, CommandError
from django.utils.translation import gettext as _

from osallistu.interop.services import import_decidim
from osallistu.participation.models import Process


class Command(BaseCommand):
    help = "Import proposals or results from a Decidim open data CSV file into a process."

    def add_arguments(self, parser):
        parser.add_argument("process", help="slug of the process")
        parser.add_argument("file", help="semicolon-separated UTF-8 CSV file")
        parser.add_argument("--kind", choices=["proposals", "results"], required=True)
        parser.add_argument("--dry-run", action="store_true", help="check only, save nothing")

    def handle(self, *args, **options):
        process = Process.objects.filter(slug=options["process"]).first()
        if process is None:
            raise CommandError(_("No process %(slug)s.") % {"slug": options["process"]})
        try:
            text = Path(options["file"]).read_text(encoding="utf-8-sig")
        except (OSError, UnicodeDecodeError) as error:
            raise CommandError(
                _("The file could not be read: %(error)s") % {"error": error}
            ) from error
        try:
            report = import_decidim(process, text, options["kind"], dry_run=options["dry_run"])
        except ValidationError as error:
            raise CommandError("\n".join(error.messages)) from error
        self.stdout.write(report.summary())
