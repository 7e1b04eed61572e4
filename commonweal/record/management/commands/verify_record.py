from django.core.management.base import BaseCommand, CommandError

from commonweal.record.selectors import record_verify


class Command(BaseCommand):
    help = (
        "Check every link, hash and MAC of the record's chain against its checkpoints. "
        "Reads only: it seals nothing and stores nothing."
    )

    def handle(self, *args, **options):
        result = record_verify()
        if not result.ok:
            raise CommandError(f"Record broken at entry {result.broken_at}: {result.problem}")
        self.stdout.write(
            f"Record intact: {result.checked} entries verified"
            + (f", {result.pending} waiting to be sealed." if result.pending else ".")
        )
