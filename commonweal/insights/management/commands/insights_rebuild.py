from django.core.management.base import BaseCommand

from commonweal.insights.aggregates import rebuild


class Command(BaseCommand):
    help = "Recount every month's participation figures from the raw data."

    def handle(self, *args, **options):
        months = rebuild()
        self.stdout.write(f"Recounted {months} months.")
