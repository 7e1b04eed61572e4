"""The structure pages: shown to those who may take the step, a 404 to others, refusals
beside their field, a ticked box before what cannot be undone."""

import pytest
from django.urls import reverse

from commonweal.members.models import Member
from commonweal.members.services import member_suspend
from commonweal.organisation import selectors, services
from commonweal.organisation.models import Body, Mandate, Referral, Unit

pytestmark = pytest.mark.django_db


@pytest.fixture
def national(org, make_officer):
    return make_officer(body=org.leadership, unit=org.leeds, full_name="Nia National")


def test_the_unit_page_offers_the_structure_steps_to_those_who_may_take_them(
    client, org, national, make_member
):
    url = reverse("organisation:unit", args=[org.north.slug])
    client.force_login(make_member(unit=org.york))
    assert "Change the structure" not in client.get(url).content.decode()
    assert client.get(reverse("organisation:unit_close", args=[org.york.slug])).status_code == 404
    client.force_login(national)
    page = client.get(url).content.decode()
    for step in ("unit_new", "body_new", "unit_rename", "unit_merge", "unit_close"):
        assert reverse(f"organisation:{step}", args=[org.north.slug]) in page


def test_a_national_officer_adds_a_branch_through_the_page(client, org, national):
    client.force_login(national)
    response = client.post(
        reverse("organisation:unit_new", args=[org.north.slug]),
        {"name": "Harrogate", "kind": "branch"},
    )
    harrogate = Unit.objects.get(name="Harrogate")
    assert response.url == reverse("organisation:unit", args=[harrogate.slug])
    assert Unit.objects.get_parent(harrogate) == org.north


def test_closing_a_unit_asks_for_a_ticked_box_and_a_unit_for_its_members(
    client, org, national, make_member
):
    make_member(unit=org.york)
    client.force_login(national)
    url = reverse("organisation:unit_close", args=[org.york.slug])
    response = client.post(url, {"members_to": org.leeds.pk})
    assert response.status_code == 200
    assert response.context["form"].errors["confirm"]
    response = client.post(url, {"confirm": "on"})
    assert response.context["form"].errors["members_to"] == ["Choose the unit its members move to."]
    org.york.refresh_from_db()
    assert org.york.closed_on is None
    client.post(url, {"members_to": org.leeds.pk, "confirm": "on"})
    org.york.refresh_from_db()
    assert org.york.closed_on is not None
    page = client.get(reverse("organisation:unit", args=[org.york.slug])).content.decode()
    assert "This unit closed on" in page
    assert "Change the structure" not in page


def test_body_members_are_added_by_address_and_removed_after_confirming(
    client, org, national, make_member
):
    member = make_member(unit=org.york, email="yan@example.org")
    client.force_login(national)
    add = reverse("organisation:body_member_add", args=[org.transport.slug])
    response = client.post(add, {"member": "nobody@example.org"})
    assert "No member with this address within" in response.context["form"].errors["member"][0]
    client.post(add, {"member": "YAN@example.org"})
    assert org.transport.memberships.filter(member=member, until=None).exists()
    remove = reverse("organisation:body_member_remove", args=[org.transport.slug, member.pk])
    page = client.get(reverse("organisation:body", args=[org.transport.slug])).content.decode()
    assert remove in page
    client.post(remove, {})
    assert org.transport.memberships.filter(member=member, until=None).exists()
    client.post(remove, {"confirm": "on"})
    assert not org.transport.memberships.filter(member=member, until=None).exists()


def test_an_office_is_filled_and_ended_through_the_body_page(client, org, national, make_member):
    holder = make_member(unit=org.york, email="co@example.org")
    client.force_login(national)
    client.post(
        reverse("organisation:mandate_appoint", args=[org.transport.slug]),
        {
            "member": "co@example.org",
            "office": "Treasurer",
            "granted_as": "co_option",
            "reason": "Nobody stood at the election.",
        },
    )
    mandate = Mandate.objects.get(holder=holder)
    page = client.get(reverse("organisation:body", args=[org.transport.slug])).content.decode()
    assert "co-opted" in page
    end = reverse("organisation:mandate_end", args=[mandate.pk])
    assert end in page
    client.post(end, {"reason": "Moved away.", "confirm": "on"})
    mandate.refresh_from_db()
    assert mandate.ended_reason == "Moved away."


def test_closing_a_body_asks_for_a_ticked_box(client, org, national):
    dept = services.body_create(
        name="Youth", kind=Body.Kind.DEPARTMENT, unit=org.nation, created_by=national
    )
    client.force_login(national)
    url = reverse("organisation:body_close", args=[dept.slug])
    client.post(url, {})
    dept.refresh_from_db()
    assert dept.closed_on is None
    client.post(url, {"confirm": "on"})
    dept.refresh_from_db()
    assert dept.closed_on is not None


def test_a_referral_is_answered_from_the_receiving_body_page(client, org, make_officer):
    leeds_chair = make_officer(org.leeds)
    section_chair = make_officer(body=org.transport)
    referral = services.referral_create(
        from_body=org.transport,
        to_body=selectors.assembly_of(org.leeds),
        title="Bus fares",
        text="What do you pay?",
        referred_by=section_chair,
    )
    answer = reverse("organisation:referral_answer", args=[referral.pk])
    client.force_login(section_chair)
    assert client.get(answer).status_code == 404
    client.force_login(leeds_chair)
    page = client.get(reverse("organisation:body", args=[referral.to_body.slug])).content.decode()
    assert answer in page
    client.post(answer, {"response": "Two pounds a ride."})
    referral.refresh_from_db()
    assert (referral.status, referral.response) == (Referral.Status.ANSWERED, "Two pounds a ride.")


def test_officers_find_suspend_and_reinstate_on_the_members_page(
    client, org, make_officer, make_member
):
    officer = make_officer(org.leeds)
    member = make_member(unit=org.leeds)
    client.force_login(officer)
    detail = reverse("members:detail", args=[member.pk])
    assert reverse("members:suspend", args=[member.pk]) in client.get(detail).content.decode()
    member_suspend(member=member, officer=officer, reason="Abusive messages.")
    page = client.get(detail).content.decode()
    reinstate = reverse("members:reinstate", args=[member.pk])
    assert reinstate in page
    client.post(reinstate, {})
    member.refresh_from_db()
    assert member.status == Member.Status.SUSPENDED
    client.post(reinstate, {"confirm": "on"})
    member.refresh_from_db()
    assert member.status == Member.Status.MEMBER
