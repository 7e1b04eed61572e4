"""A body's page lists the elections under way to fill its offices (meetings contributes
them through organisation.elections), and an e-conference's chair sets its delegates."""

import pytest
from django.urls import reverse

from commonweal.meetings import services
from commonweal.meetings.models import Delegate

pytestmark = pytest.mark.django_db


def test_the_body_page_lists_an_election_under_way(
    client, org, econference, chair, make_member, now
):
    services.attendance_register(meeting=econference, member=chair)
    item = services.agenda_item_add(
        meeting=econference, kind="election", title="Section officers", added_by=chair
    )
    for name in ("Ada", "Bea", "Cal"):
        candidate = make_member(unit=org.leeds, full_name=name)
        services.candidate_nominate(item=item, candidate=candidate, nominated_by=chair)
    url = reverse("organisation:body", args=[org.transport.slug])
    client.force_login(make_member(unit=org.york))
    assert "election for" not in client.get(url).content.decode()
    services.election_open(
        item=item,
        chair=chair,
        office="Committee member",
        seats=2,
        closes_at=econference.closes_at,
        secret=False,
        to_body=org.transport,
    )
    page = client.get(url).content.decode()
    assert "election for 2 seats" in page
    assert reverse("meetings:detail", args=[econference.pk]) in page


def test_the_chair_sets_the_delegates_by_address(client, org, econference, chair, make_member):
    delegate = make_member(unit=org.york, email="del@example.org")
    url = reverse("meetings:delegates", args=[econference.pk])
    client.force_login(make_member(unit=org.york))
    assert client.get(url).status_code == 404
    client.force_login(chair)
    response = client.post(url, {"emails": "del@example.org\nnobody@example.org"})
    assert "nobody@example.org" in response.context["form"].errors["emails"][0]
    client.post(url, {"emails": "DEL@example.org"})
    assert list(Delegate.objects.filter(meeting=econference).values_list("member", flat=True)) == [
        delegate.pk
    ]
