"""A body's page lists the elections planned and under way to fill its offices (meetings
contributes them through organisation.elections), and an e-conference's chair sets its
delegates."""

import pytest
from django.urls import reverse

from commonweal.meetings import services
from commonweal.meetings.models import Delegate

pytestmark = pytest.mark.django_db


def test_the_body_page_lists_an_election_planned_then_under_way(
    client, org, econference, chair, make_member, now
):
    # Planned on the agenda of the committee's e-conference, it shows on the committee's
    # page; once opened it shows on the page of the body whose offices it fills.
    url = reverse("organisation:body", args=[org.transport.slug])
    committee_url = reverse("organisation:body", args=[org.leadership.slug])
    client.force_login(make_member(unit=org.york))
    assert (
        "No vacant office, and no term ending soon." in client.get(committee_url).content.decode()
    )
    services.attendance_register(meeting=econference, member=chair)
    item = services.agenda_item_add(
        meeting=econference, kind="election", title="Section officers", added_by=chair
    )
    # On the agenda, not yet opened: planned, with its meeting, before any candidate.
    page = client.get(committee_url).content.decode()
    assert "<strong>Section officers</strong>: election planned, 0 candidates so far" in page
    assert reverse("meetings:detail", args=[econference.pk]) + f"#item-{item.pk}" in page
    for name in ("Ada", "Bea", "Cal"):
        candidate = make_member(unit=org.leeds, full_name=name)
        services.candidate_nominate(item=item, candidate=candidate, nominated_by=chair)
    page = client.get(committee_url).content.decode()
    assert "election planned, 3 candidates so far" in page
    assert "election for" not in page
    assert "Section officers" not in client.get(url).content.decode()
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
    assert "<strong>Committee member</strong>: election for 2 seats" in page
    assert "election planned" not in client.get(committee_url).content.decode()
    assert reverse("meetings:detail", args=[econference.pk]) in page


def test_an_election_on_a_closed_meeting_or_another_bodys_is_not_listed(
    client, org, econference, chair, make_member
):
    services.agenda_item_add(
        meeting=econference, kind="election", title="Section officers", added_by=chair
    )
    client.force_login(make_member(unit=org.york))
    other = client.get(reverse("organisation:body", args=[org.transport.slug])).content
    assert "Section officers" not in other.decode()
    committee_url = reverse("organisation:body", args=[org.leadership.slug])
    assert "Section officers" in client.get(committee_url).content.decode()
    econference.state = econference.State.CLOSED
    econference.save(update_fields=["state"])
    assert "Section officers" not in client.get(committee_url).content.decode()


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
