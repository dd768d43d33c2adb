"""Fetch feedback requests from an Open311 source for a date window."""

import datetime

from django.core.management.base import BaseCommand, CommandError
from django.utils import timezone

from osallistu.feedback.models import FeedbackFetch, FeedbackSourceConfig
from osallistu.feedback.services import feedback_fetch

# Days fetched when --since is not given, ending today.
DEFAULT_DAYS = 90


class Command(BaseCommand):
    help = "Fetch the requests of an Open311 feedback source from --since to --until."

    def add_arguments(self, parser):
        parser.add_argument("source", help="Identifier (slug) of the feedback source.")
        parser.add_argument(
            "--since",
            type=datetime.date.fromisoformat,
            help=f"First day, YYYY-MM-DD. Default: {DEFAULT_DAYS} days ago.",
        )
        parser.add_argument(
            "--until",
            type=datetime.date.fromisoformat,
            help="Last day, YYYY-MM-DD. Default: today.",
        )

    def handle(self, *args, source: str, since, until, **options):
        try:
            config = FeedbackSourceConfig.objects.get(slug=source)
        except FeedbackSourceConfig.DoesNotExist:
            raise CommandError(f"No feedback source {source!r}.") from None
        if not config.is_open311:
            raise CommandError(f"{source!r} is a CSV source; use import_feedback_csv.")
        until = until or timezone.localdate()
        since = since or until - datetime.timedelta(days=DEFAULT_DAYS)
        if since > until:
            raise CommandError("--since is after --until.")
        fetch = feedback_fetch(user=None, source=config, since=since, until=until)
        if fetch.status == FeedbackFetch.Status.FAILED:
            raise CommandError(fetch.error)
        self.stdout.write(
            f"Fetched {since}..{until}: {fetch.created_count} new, {fetch.updated_count} updated, "
            f"{fetch.skipped_count} skipped, {fetch.call_count} calls."
        )
        for start, end in fetch.truncated_windows:
            self.stderr.write(
                f"Window {start}..{end} returned the maximum count; requests may be missing."
            )
