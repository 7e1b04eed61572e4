"""A mail server stand-in for the send kill tests: files, and one hang to be killed in."""

import os
import time
from collections import Counter
from email import message_from_bytes
from pathlib import Path

from django.core.mail.backends.filebased import EmailBackend

SEPARATOR = b"\n" + b"-" * 79 + b"\n"


class StallingBackend(EmailBackend):
    """The file backend, which hangs once at one address until the test kills its worker.

    COMMONWEAL_TEST_STALL is `before:<address>` (hang before taking that message) or
    `after:<address>` (hang once it is taken, before the worker can mark it sent).
    """

    def send_messages(self, messages):
        when, _, address = os.environ["COMMONWEAL_TEST_STALL"].partition(":")
        for message in messages:
            if when == "before" and message.to == [address]:
                self._stall()
            super().send_messages([message])
            if when == "after" and message.to == [address]:
                self._stall()
        return len(messages)

    def _stall(self) -> None:
        marker = Path(self.file_path) / "stalled"
        if marker.exists():  # the worker started after the kill goes through
            return
        marker.touch()
        time.sleep(3600)


def delivered(folder: Path) -> Counter:
    """How many messages each address was sent, read from the backend's files."""
    counts: Counter = Counter()
    for path in folder.glob("*.log"):
        for raw in path.read_bytes().split(SEPARATOR):
            if raw.strip():
                counts[message_from_bytes(raw.lstrip())["To"]] += 1
    return counts
