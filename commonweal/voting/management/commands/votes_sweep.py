from django.core.management.base import BaseCommand

from commonweal.voting.services import votes_sweep


class Command(BaseCommand):
    help = "Open votes whose opening time has come and close (and count) those whose time is up."

    def handle(self, *args, **options):
        done = votes_sweep()
        self.stdout.write(f"{done['opened']} vote(s) opened, {done['closed']} closed.")
