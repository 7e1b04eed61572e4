"""The dashboards show a unit's and a body's figures as charts, tables and CSV."""

import csv
import io
from datetime import datetime
from zoneinfo import ZoneInfo

import pytest
from django.urls import reverse

from commonweal.core import clock
from commonweal.insights.aggregates import rebuild
from commonweal.organisation.services import body_membership_add

pytestmark = pytest.mark.django_db
LONDON = ZoneInfo("Europe/London")


@pytest.fixture
def counted(org, make_member):
    with clock.frozen(datetime(2026, 3, 10, 12, tzinfo=LONDON)):
        members = [
            make_member(unit=org.leeds, joined_at=datetime(2026, 1, 5, tzinfo=LONDON))
            for _ in range(3)
        ]
        make_member(unit=org.york, joined_at=datetime(2026, 2, 5, tzinfo=LONDON))
        make_member(unit=org.brighton, joined_at=datetime(2026, 2, 5, tzinfo=LONDON))
        body_membership_add(body=org.transport, member=members[0])
        rebuild()
    return members


def test_a_unit_page_shows_its_subtree_month_by_month(org, counted, client):
    client.force_login(counted[0])
    with clock.frozen(datetime(2026, 3, 10, 12, tzinfo=LONDON)):
        page = client.get(reverse("insights:unit", args=[org.north.slug])).content.decode(
            "utf-8-sig"
        )
        assert 'role="img"' in page
        assert "In March 2026: 4 members in good standing; 0 joined and 0 left." in page
        assert "Beside the units next to it" in page
        rows = list(
            csv.reader(
                io.StringIO(
                    b"".join(
                        client.get(reverse("insights:unit_csv", args=[org.north.slug]))
                    ).decode("utf-8-sig")
                )
            )
        )
    assert rows[0][:4] == ["month", "members", "joined", "left"]
    assert [row[:3] for row in rows[1:]] == [
        ["2026-01-01", "3", "3"],
        ["2026-02-01", "4", "1"],
        ["2026-03-01", "4", "0"],
    ]


def test_a_body_page_shows_its_members(org, counted, client):
    client.force_login(counted[0])
    with clock.frozen(datetime(2026, 3, 10, 12, tzinfo=LONDON)):
        page = client.get(reverse("insights:body", args=[org.transport.pk])).content.decode(
            "utf-8-sig"
        )
    assert "1 members in good standing" in page
