from django.core.management.base import BaseCommand

from commonweal.policy.services import proposals_sweep
from commonweal.policy.tasks import schedule_next_sweep


class Command(BaseCommand):
    help = (
        "Expire unsupported proposals, flag stalled steps and remind chairs; book the next sweep."
    )

    def handle(self, *args, **options):
        done = proposals_sweep()
        schedule_next_sweep()
        self.stdout.write(
            f"expired {done['expired']}, newly stalled {done['stalled']}, "
            f"chairs reminded {done['reminded']}"
        )
