"""A copy of the database does not open anyone's calendar.

Finding "Trust II" 9: the secret in each member's private calendar address was stored as
it is, so whoever read the table could read every member's meetings. Now only its hash
is kept; addresses handed out before keep working (migration 0003 hashed them).
"""

import pytest
from django.urls import reverse

from commonweal.news import services
from commonweal.news.models import CalendarFeed

pytestmark = pytest.mark.django_db


def test_the_stored_row_does_not_hold_the_secret_and_cannot_open_the_feed(org, make_member, client):
    member = make_member(unit=org.leeds)
    feed, secret = services.calendar_feed_renew(member=member)

    row = CalendarFeed.objects.filter(pk=feed.pk).values().get()
    assert secret not in " ".join(str(value) for value in row.values())
    for value in row.values():
        response = client.get(reverse("news:calendar_ics", args=[str(value)]))
        assert response.status_code == 404
    assert client.get(reverse("news:calendar_ics", args=[secret])).status_code == 200
