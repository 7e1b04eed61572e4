"""Replying to a debate's notification email, end to end: the real discussion handler,
through the stdin command and the HTTP endpoint; forged addresses and strangers refused."""

import io
import re
import sys
from email.message import EmailMessage

import pytest
from django.core.management import CommandError, call_command
from django.urls import reverse

from commonweal.discussion.models import Contribution
from commonweal.discussion.services import debate_open
from commonweal.notifications.services import preferences_set
from commonweal.organisation.services import body_membership_add

pytestmark = pytest.mark.django_db
SECRET = "mail-server-secret-for-tests"


@pytest.fixture
def emailed(org, make_member, run_worker, outbox):
    """A transport section member who asked for discussion email straight away, emailed
    about a new debate: (member, debate, the email's reply address)."""
    opener, member = make_member(unit=org.york), make_member(unit=org.leeds)
    for person in (opener, member):
        body_membership_add(body=org.transport, member=person)
    preferences_set(member=member, choices={"discussion": "immediate"})
    debate = debate_open(
        space_body=org.transport, question="Should buses be free?", opened_by=opener
    )
    run_worker()
    [message] = [m for m in outbox if m.to == [member.email]]
    return member, debate, message.reply_to[0]


def reply(*, sender: str, to: str, text: str = "Free buses pay for themselves.") -> bytes:
    message = EmailMessage()
    message["From"] = sender
    message["To"] = to
    message["Subject"] = "Re: New debate: Should buses be free?"
    message.set_content(f"{text}\n\nOn Tuesday, Commonweal wrote:\n> New debate\n")
    return message.as_bytes()


def pipe(monkeypatch, raw: bytes) -> str:
    """`manage.py receive_email` with the message on its standard input."""
    monkeypatch.setattr(sys, "stdin", type("Stdin", (), {"buffer": io.BytesIO(raw)}))
    out = io.StringIO()
    call_command("receive_email", stdout=out)
    return out.getvalue()


def test_a_reply_piped_to_the_command_becomes_a_contribution(emailed, monkeypatch):
    member, debate, address = emailed
    assert "posted" in pipe(monkeypatch, reply(sender=member.email, to=address))
    [contribution] = Contribution.objects.filter(debate=debate)
    assert contribution.author == member
    assert contribution.text == "Free buses pay for themselves."


def test_a_forged_address_piped_to_the_command_posts_nothing(emailed, monkeypatch, org):
    member, debate, address = emailed
    other_debate = debate_open(
        space_body=org.transport, question="Trams too?", opened_by=debate.opened_by
    )
    forged = re.sub(r"-(\d+)-", f"-{other_debate.pk + 10_000}-", address)
    with pytest.raises(CommandError, match="not valid"):
        pipe(monkeypatch, reply(sender=member.email, to=forged))
    assert not Contribution.objects.exists()


def test_the_http_endpoint_posts_a_reply_with_the_shared_secret(emailed, client, settings):
    settings.NOTIFICATIONS_INBOUND_SECRET = SECRET
    member, debate, address = emailed
    response = client.post(
        reverse("notifications:inbound"),
        reply(sender=member.email, to=address),
        content_type="message/rfc822",
        HTTP_AUTHORIZATION=f"Bearer {SECRET}",
    )
    assert response.status_code == 200
    assert Contribution.objects.get(debate=debate).author == member


@pytest.mark.parametrize("header", [None, "Bearer wrong", f"Basic {SECRET}x"])
def test_the_http_endpoint_refuses_a_caller_without_the_secret(emailed, client, settings, header):
    settings.NOTIFICATIONS_INBOUND_SECRET = SECRET
    member, _debate, address = emailed
    extra = {"HTTP_AUTHORIZATION": header} if header else {}
    response = client.post(
        reverse("notifications:inbound"),
        reply(sender=member.email, to=address),
        content_type="message/rfc822",
        **extra,
    )
    assert response.status_code == 401
    assert not Contribution.objects.exists()


def test_the_http_endpoint_refuses_a_forged_address(emailed, client, settings):
    settings.NOTIFICATIONS_INBOUND_SECRET = SECRET
    member, _debate, address = emailed
    forged = re.sub(r"[0-9a-f]{24}@", "0" * 24 + "@", address)
    response = client.post(
        reverse("notifications:inbound"),
        reply(sender=member.email, to=forged),
        content_type="message/rfc822",
        HTTP_AUTHORIZATION=f"Bearer {SECRET}",
    )
    assert response.status_code == 400
    assert b"not valid" in response.content
    assert not Contribution.objects.exists()


def test_the_http_endpoint_does_not_exist_without_a_secret(emailed, client, settings):
    settings.NOTIFICATIONS_INBOUND_SECRET = ""
    member, _debate, address = emailed
    response = client.post(
        reverse("notifications:inbound"),
        reply(sender=member.email, to=address),
        content_type="message/rfc822",
        HTTP_AUTHORIZATION="Bearer ",
    )
    assert response.status_code == 404
    assert not Contribution.objects.exists()


def test_a_member_who_left_the_section_cannot_reply_into_its_debate(emailed, monkeypatch):
    member, debate, address = emailed
    member.body_memberships.update(until="2026-01-01")
    with pytest.raises(CommandError, match="Refused"):
        pipe(monkeypatch, reply(sender=member.email, to=address))
    assert not Contribution.objects.filter(debate=debate).exists()
