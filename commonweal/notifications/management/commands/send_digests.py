from django.core.management.base import BaseCommand

from commonweal.notifications.tasks import send_digests


class Command(BaseCommand):
    help = (
        "Queue the daily or weekly digest emails "
        "(from cron: daily every morning, weekly on Mondays)."
    )

    def add_arguments(self, parser):
        parser.add_argument("period", choices=["daily", "weekly"])

    def handle(self, *, period: str, **options):
        queued = send_digests.call(period)
        self.stdout.write(f"{queued} {period} digests queued; the email worker sends them.")
