from django.core.management.base import BaseCommand

from osallistu.core.demo import demo_load


class Command(BaseCommand):
    help = (
        "Load the Kuopio demo: Paavo welfare data, suburbs and example participatory-budgeting "
        "processes. Running it again adds nothing."
    )

    def handle(self, *args, **options):
        process = demo_load()
        self.stdout.write(f"Demo ready: /processes/{process.slug}/")
