"""Officers search the capacities register by unit subtree and tags; members offer help."""

import pytest
from django.urls import reverse

from commonweal.core.errors import Conflict, Refused
from commonweal.members import selectors, services
from commonweal.members.models import Member, Offer
from commonweal.notifications.models import Notification

pytestmark = pytest.mark.django_db


def names(page) -> set[str]:
    return {m.full_name for m in page.members}


def test_the_search_keeps_to_the_subtree_and_needs_every_word(org, make_member, make_officer):
    officer = make_officer(org.north)
    make_member(unit=org.leeds, full_name="Leeds Spanish", skills=["Translation (Spanish)"])
    make_member(unit=org.york, full_name="York Spanish", capacities=["spanish translator"])
    make_member(unit=org.york, full_name="York French", skills=["French translation"])
    make_member(unit=org.brighton, full_name="Brighton Spanish", skills=["Spanish translation"])
    make_member(
        unit=org.leeds,
        full_name="Suspended Spanish",
        skills=["Spanish translation"],
        status=Member.Status.SUSPENDED,
    )

    found = selectors.register_search(officer, unit=org.north, words="translat spanish")
    assert names(found) == {"Leeds Spanish", "York Spanish"}
    only_skills = selectors.register_search(
        officer, unit=org.north, words="spanish", kinds=["skills"]
    )
    assert names(only_skills) == {"Leeds Spanish"}
    assert names(selectors.register_search(officer, unit=org.york, words="translat")) == {
        "York Spanish",
        "York French",
    }


def test_a_word_with_an_accent_is_found_on_both_databases(org, make_member, make_officer):
    make_member(unit=org.leeds, full_name="Ana", interests=["Español para todos"])
    found = selectors.register_search(make_officer(org.leeds), unit=org.leeds, words="Español")
    assert names(found) == {"Ana"}


def test_the_search_pages_through_the_members(org, make_member, make_officer):
    officer = make_officer(org.leeds)
    for n in range(selectors.REGISTER_PAGE + 3):
        make_member(unit=org.leeds, full_name=f"Driver {n:02}", skills=["driving"])
    first = selectors.register_search(officer, unit=org.leeds, words="driving")
    assert len(first.members) == selectors.REGISTER_PAGE
    rest = selectors.register_search(
        officer, unit=org.leeds, words="driving", after=first.next_after
    )
    assert len(rest.members) == 3
    assert rest.next_after is None
    assert names(first).isdisjoint(names(rest))


def test_the_register_page_costs_the_same_queries_for_few_and_many_members(
    org, make_member, make_officer, client, django_assert_max_num_queries
):
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    officer = make_officer(org.north)
    client.force_login(officer)
    url = reverse("members:register")
    query = {"unit": org.north.pk, "words": "organising"}
    make_member(unit=org.leeds, skills=["organising"])
    client.get(url, query)
    with CaptureQueriesContext(connection) as few:
        assert client.get(url, query).status_code == 200
    for n in range(60):
        make_member(unit=org.york if n % 2 else org.leeds, skills=["organising", f"s{n}"])
    with django_assert_max_num_queries(len(few.captured_queries)):
        page = client.get(url, query)
    assert page.content.decode().count('class="card"') == selectors.REGISTER_PAGE


def test_a_member_offers_help_and_the_officer_accepts_and_she_is_told(
    org, make_member, make_officer, client, run_worker
):
    officer = make_officer(org.leeds)
    member = make_member(unit=org.leeds)
    client.force_login(member)
    response = client.post(
        reverse("members:my_offers"), {"title": "Translate the leaflet", "text": "Spanish"}
    )
    assert response.status_code == 302
    offer = Offer.objects.get(member=member)
    run_worker()
    assert Notification.objects.filter(recipient=officer, event__kind="member.offer").exists()

    client.force_login(officer)
    assert "Translate the leaflet" in client.get(reverse("members:offers")).content.decode()
    assert "offer to help" in client.get(reverse("members:home")).content.decode()
    client.post(reverse("members:offer_answer", args=[offer.pk]), {"decision": "accept"})
    offer.refresh_from_db()
    assert offer.status == Offer.Status.ACCEPTED
    assert offer.decided_by == officer
    run_worker()
    told = Notification.objects.get(recipient=member, event__kind="member.offer_answered")
    assert "accepted" in told.event.title


def test_declining_needs_a_reason_and_an_answered_offer_is_not_answered_again(
    org, make_member, make_officer
):
    officer = make_officer(org.north)
    offer = services.offer_make(member=make_member(unit=org.york), title="Drive on Saturday")
    with pytest.raises(Refused):
        services.offer_answer(offer=offer, officer=officer, accept=False)
    offer.refresh_from_db()
    assert offer.status == Offer.Status.OPEN
    services.offer_answer(offer=offer, officer=officer, accept=False, reason="Covered, thanks")
    with pytest.raises(Conflict):
        services.offer_answer(offer=offer, officer=officer, accept=True)
    offer.refresh_from_db()
    assert offer.status == Offer.Status.DECLINED
    assert offer.reason == "Covered, thanks"


def test_another_branchs_officer_neither_sees_nor_answers_an_offer(
    org, make_member, make_officer, client
):
    offer = services.offer_make(member=make_member(unit=org.leeds), title="Drive on Saturday")
    client.force_login(make_officer(org.brighton))
    assert "Drive on Saturday" not in client.get(reverse("members:offers")).content.decode()
    response = client.post(reverse("members:offer_answer", args=[offer.pk]), {"decision": "accept"})
    assert response.status_code == 404
    offer.refresh_from_db()
    assert offer.status == Offer.Status.OPEN


def test_an_empty_offer_is_refused_beside_its_field_and_nothing_is_made(org, make_member, client):
    member = make_member(unit=org.leeds)
    client.force_login(member)
    page = client.post(reverse("members:my_offers"), {"title": "  "})
    assert page.status_code == 200
    assert not Offer.objects.exists()


def test_tags_for_officers_must_name_a_kind_of_tag(org, make_member):
    member = make_member(unit=org.leeds)
    with pytest.raises(Refused):
        services.profile_update(member=member, tags_for_officers=["email"])
    member.refresh_from_db()
    assert member.tags_for_officers == []
