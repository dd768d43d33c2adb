from django.core.management.base import BaseCommand

from osallistu.privacy import retention


class Command(BaseCommand):
    help = (
        "Remove personal data whose retention period has passed (periods in "
        "OSALLISTU_RETENTION_DAYS). Run daily from a scheduler."
    )

    def add_arguments(self, parser):
        parser.add_argument(
            "--dry-run",
            action="store_true",
            help="Count what would be removed without removing it.",
        )

    def handle(self, *args, dry_run: bool, **options):
        counts = retention.purge_expired(dry_run=dry_run)
        verb = "would remove" if dry_run else "removed"
        for retention_kind in retention.KINDS:
            self.stdout.write(
                f"{retention_kind.code}: {verb} {counts[retention_kind.code]} "
                f"(kept {retention_kind.days} days)"
            )
