import pytest
from django.core import mail

from commonweal.notifications import replies


@pytest.fixture
def outbox():
    mail.outbox = []
    return mail.outbox


@pytest.fixture
def reply_handler():
    """A handler for threads `testing:<n>`, registered only for these tests."""
    received: list[dict] = []

    def handle(*, member, thread, text):
        received.append({"member": member, "thread": thread, "text": text})

    replies.register("testing", handle)
    yield received
    replies.unregister("testing")
