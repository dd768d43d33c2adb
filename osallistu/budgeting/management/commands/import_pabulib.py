"""Import a real participatory-budgeting election from a Pabulib `.pb` file."""

from django.core.exceptions import ValidationError
from django.core.management.base import BaseCommand, CommandError
from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from osallistu.budgeting.models import Ballot, Project
from osallistu.budgeting.services import process_import_pabulib


class Command(BaseCommand):
    help = (
        "Import a Pabulib .pb file (approval or choose-1 votes) as a past participatory "
        "budgeting process with published results, and print the new process's identifier on "
        "the last line."
    )

    def add_arguments(self, parser):
        parser.add_argument("file", help=("Path of the .pb file."))

    def handle(self, *args, file: str, **options) -> None:
        try:
            process = process_import_pabulib(file)
        except OSError as error:
            raise CommandError(
                _("Cannot read %(path)s: %(error)s.")
                % {"path": file, "error": error.strerror or error}
            ) from error
        except ValidationError as error:
            raise CommandError(" ".join(error.messages)) from error

        project_count = Project.objects.filter(area__process=process).count()
        ballot_count = Ballot.objects.filter(area__process=process).count()
        self.stdout.write(
            _("Imported %(file)s as the process %(title)s, with its results published.")
            % {"file": process.source, "title": process.title}
        )
        self.stdout.write(
            ngettext("%(count)s budget proposal.", "%(count)s budget proposals.", project_count)
            % {"count": project_count}
        )
        self.stdout.write(
            ngettext("%(count)s ballot.", "%(count)s ballots.", ballot_count)
            % {"count": ballot_count}
        )
        # Scripts read the identifier from the last line.
        self.stdout.write(process.slug)
