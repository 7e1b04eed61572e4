from django.core.management.base import BaseCommand

from commonweal.core.schedule import PERIODIC, periodic_enqueue_due, schedule_start


class Command(BaseCommand):
    help = (
        "Start the platform's clock: enqueue the periodic jobs that are due and book the "
        "next tick on the task worker. Safe to run any number of times (run it on deploy)."
    )

    def handle(self, *args, **options):
        enqueued = periodic_enqueue_due()
        booked = schedule_start()
        self.stdout.write(
            f"{len(PERIODIC)} periodic jobs; {len(enqueued)} enqueued now; "
            + ("the next tick is booked." if booked else "a tick was already waiting.")
        )
