from django.core.management.base import BaseCommand, CommandError

from commonweal.record.selectors import record_verify
from commonweal.record.services import record_seal


class Command(BaseCommand):
    help = "Seal pending entries, then check every link of the record's hash chain."

    def handle(self, *args, **options):
        record_seal()
        result = record_verify()
        if not result.ok:
            raise CommandError(f"Record broken at entry {result.broken_at}: {result.problem}")
        self.stdout.write(f"Record intact: {result.checked} entries verified.")
