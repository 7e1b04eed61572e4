import sys

from django.core.management.base import BaseCommand, CommandError

from commonweal.core.errors import Refused
from commonweal.notifications.services import reply_receive

MAX_MESSAGE = 10 * 1024 * 1024


class Command(BaseCommand):
    help = (
        "Read one email (RFC 822) from stdin and post it as a reply where its signed reply "
        "address says; refuse anything else. For the mail server's pipe: "
        "`reply+*@domain | manage.py receive_email`."
    )

    def handle(self, **options):
        raw = sys.stdin.buffer.read(MAX_MESSAGE + 1)
        if len(raw) > MAX_MESSAGE:
            raise CommandError("Refused: the message is too large.")
        try:
            reply_receive(raw=raw)
        except Refused as exc:
            raise CommandError(f"Refused: {exc.message}") from exc
        self.stdout.write("Reply posted.")
