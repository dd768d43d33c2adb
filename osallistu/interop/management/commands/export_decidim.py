from pathlib import Path

from django.core.management.base import BaseCommand, CommandError
from django.utils.translation import gettext as _

from osallistu.interop import exports
from osallistu.participation.models import Process


class Command(BaseCommand):
    help = "Write a process's proposals or published results as a Decidim open data CSV file."

    def add_arguments(self, parser):
        parser.add_argument("process", help="slug of the process")
        parser.add_argument("--kind", choices=["proposals", "results"], required=True)
        parser.add_argument("--output", help="file to write; standard output if left out")
        parser.add_argument("--base-url", default="", help="prefix for the url column")

    def handle(self, *args, **options):
        process = Process.objects.filter(slug=options["process"]).first()
        if process is None:
            raise CommandError(_("No process %(slug)s.") % {"slug": options["process"]})
        if options["kind"] == "proposals":
            content = exports.proposals_csv(process, options["base_url"])
        else:
            if not process.results_published:
                raise CommandError(_("The results have not been published."))
            content = exports.results_csv(process, options["base_url"])
        if options["output"]:
            Path(options["output"]).write_text(content, encoding="utf-8")
        else:
            self.stdout.write(content, ending="")
