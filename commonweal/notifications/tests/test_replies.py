"""Replying to a notification email posts into its thread; anything forged is refused."""

import io
import re
from email.message import EmailMessage

import pytest
from django.core.management import CommandError, call_command

from commonweal.members.models import Member
from commonweal.notifications.services import notify

pytestmark = pytest.mark.django_db


@pytest.fixture
def emailed(org, make_member, run_worker, outbox, reply_handler):
    """A member emailed about a thread that takes replies: (member, reply address)."""
    member = make_member(unit=org.leeds)
    notify(kind="vote.opened", title="Talk", units=[org.leeds], thread="testing:42")
    run_worker()
    [message] = outbox
    return member, message.reply_to[0]


def raw_reply(*, sender: str, to: str, text: str = "I agree with the proposal.") -> bytes:
    message = EmailMessage()
    message["From"] = sender
    message["To"] = to
    message["Subject"] = "Re: Talk"
    message.set_content(f"{text}\n\nOn Monday, Commonweal wrote:\n> Talk\n")
    return message.as_bytes()


@pytest.fixture(autouse=True)
def stdin_as_bytes(monkeypatch):
    """`receive_email` reads sys.stdin.buffer; hand it the test's bytes."""
    import sys

    class Stdin:
        buffer = io.BytesIO()

    def feed(raw: bytes):
        Stdin.buffer = io.BytesIO(raw)

    monkeypatch.setattr(sys, "stdin", Stdin)
    return feed


def run(feed, raw: bytes) -> str:
    feed(raw)
    out = io.StringIO()
    call_command("receive_email", stdout=out)
    return out.getvalue()


def test_a_reply_is_posted_to_the_thread_without_the_quoted_text(
    emailed, reply_handler, stdin_as_bytes
):
    member, address = emailed
    assert re.fullmatch(r"reply\+\d+-\d+-[0-9a-f]{24}@commonweal\.local", address)
    out = run(stdin_as_bytes, raw_reply(sender=f"Someone <{member.email}>", to=address))
    assert "posted" in out
    assert reply_handler == [
        {"member": member, "thread": "testing:42", "text": "I agree with the proposal."}
    ]


def test_an_address_case_folded_by_a_mail_server_still_works(
    emailed, reply_handler, stdin_as_bytes
):
    member, address = emailed
    run(stdin_as_bytes, raw_reply(sender=member.email.upper(), to=address.upper()))
    assert len(reply_handler) == 1


@pytest.mark.parametrize(
    "forge",
    [
        lambda a: re.sub(r"([0-9a-f])@", lambda m: ("0" if m[1] != "0" else "1") + "@", a),
        lambda a: re.sub(r"reply\+(\d+)-", lambda m: f"reply+{int(m[1]) + 1}-", a),
        lambda a: re.sub(r"-(\d+)-", lambda m: f"-{int(m[1]) + 1}-", a),
        lambda a: a.split("@")[0] + "@elsewhere.example",
        lambda a: "reply+1-1-" + "a" * 24 + "@commonweal.local",
        lambda a: "secretary@commonweal.local",
    ],
    ids=["signature", "member", "event", "domain", "made-up", "not-a-reply-address"],
)
def test_a_forged_or_altered_reply_address_is_refused(
    emailed, reply_handler, stdin_as_bytes, forge
):
    member, address = emailed
    with pytest.raises(CommandError, match="Refused"):
        run(stdin_as_bytes, raw_reply(sender=member.email, to=forge(address)))
    assert reply_handler == []


def test_a_reply_from_another_sender_is_refused(
    emailed, reply_handler, stdin_as_bytes, org, make_member
):
    _member, address = emailed
    other = make_member(unit=org.leeds)
    with pytest.raises(CommandError, match="did not come from"):
        run(stdin_as_bytes, raw_reply(sender=other.email, to=address))
    assert reply_handler == []


def test_a_member_no_longer_in_good_standing_cannot_reply(emailed, reply_handler, stdin_as_bytes):
    member, address = emailed
    Member.objects.filter(pk=member.pk).update(status=Member.Status.SUSPENDED)
    with pytest.raises(CommandError, match="good standing"):
        run(stdin_as_bytes, raw_reply(sender=member.email, to=address))
    assert reply_handler == []


def test_an_empty_reply_is_refused(emailed, reply_handler, stdin_as_bytes):
    member, address = emailed
    with pytest.raises(CommandError, match="empty"):
        run(stdin_as_bytes, raw_reply(sender=member.email, to=address, text=""))
    assert reply_handler == []


def test_threads_without_a_handler_get_no_reply_address(org, make_member, run_worker, outbox):
    make_member(unit=org.leeds)
    notify(kind="vote.opened", title="Talk", units=[org.leeds], thread="nobody:1")
    run_worker()
    assert outbox[0].reply_to == []


def test_a_handler_unregistered_since_the_email_refuses_the_reply(
    emailed, reply_handler, stdin_as_bytes
):
    from commonweal.notifications import replies

    member, address = emailed
    replies.unregister("testing")
    with pytest.raises(CommandError, match="cannot be posted"):
        run(stdin_as_bytes, raw_reply(sender=member.email, to=address))
