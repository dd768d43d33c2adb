"""List the project packages and published winners that have no implementation item."""

from django.core.management.base import BaseCommand, CommandError

from osallistu.implementation import selectors, services


class Command(BaseCommand):
    help = (
        "List project packages and funded budgeting proposals without an implementation item. "
        "Exit with status 1 if there are any, so a scheduled check can alert; --create tracks "
        "them."
    )

    def add_arguments(self, parser):
        parser.add_argument(
            "--create", action="store_true", help="Create the missing items instead of failing."
        )

    def handle(self, *args, create: bool = False, **options):
        untracked = selectors.untracked()
        for package in untracked.packages:
            self.stdout.write(f"package {package.pk}: {package.title}")
        for project in untracked.projects:
            self.stdout.write(f"winner {project.pk}: {project.title}")
        if not untracked:
            self.stdout.write("Everything is tracked.")
            return
        if create:
            created = services.ensure_tracked(None)
            self.stdout.write(f"Created {len(created)} implementation items.")
            return
        raise CommandError(
            f"{len(untracked.packages)} packages and {len(untracked.projects)} winners untracked."
        )
