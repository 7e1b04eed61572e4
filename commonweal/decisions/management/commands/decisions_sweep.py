from django.core.management.base import BaseCommand

from commonweal.decisions.services import actions_sweep


class Command(BaseCommand):
    help = "Flag overdue actions to their owners and the deciding bodies (once a day per action)."

    def handle(self, *args, **options):
        flagged = actions_sweep()
        self.stdout.write(f"{flagged} overdue action(s) flagged.")
