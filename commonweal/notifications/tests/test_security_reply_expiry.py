"""A reply-by-email address stops working a fixed time after the message it answers."""

from datetime import timedelta

import pytest
from django.core.management import CommandError

from commonweal.core import clock
from commonweal.notifications.models import Event

from .test_replies import emailed, raw_reply, run, stdin_as_bytes  # noqa: F401 - fixtures

pytestmark = pytest.mark.django_db


def test_a_late_reply_is_refused_with_a_clear_answer_and_posts_nothing(
    emailed,  # noqa: F811
    reply_handler,
    stdin_as_bytes,  # noqa: F811
    settings,
):
    settings.NOTIFICATIONS_REPLY_DAYS = 14
    member, address = emailed
    sent = Event.objects.get().created_at
    late = sent + timedelta(days=14, minutes=1)
    with clock.frozen(late), pytest.raises(CommandError, match=r"expired.*14 days"):
        run(stdin_as_bytes, raw_reply(sender=member.email, to=address))
    assert reply_handler == []
    with clock.frozen(sent + timedelta(days=13, hours=23)):
        assert "posted" in run(stdin_as_bytes, raw_reply(sender=member.email, to=address))
    assert len(reply_handler) == 1


def test_the_inbound_endpoint_answers_a_late_reply_with_the_reason(
    emailed,  # noqa: F811
    reply_handler,
    client,
    settings,
):
    settings.NOTIFICATIONS_INBOUND_SECRET = "s3cret-for-the-mail-server"
    member, address = emailed
    sent = Event.objects.get().created_at
    with clock.frozen(sent + timedelta(days=400)):
        response = client.post(
            "/notifications/inbound/",
            raw_reply(sender=member.email, to=address),
            content_type="message/rfc822",
            headers={"Authorization": "Bearer s3cret-for-the-mail-server"},
        )
    assert response.status_code == 400
    assert "expired" in response.content.decode()
    assert reply_handler == []
