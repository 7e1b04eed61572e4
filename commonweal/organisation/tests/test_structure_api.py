"""The structure's steps over the API: the same services and permissions as the pages.

Each operation is a 404 to whoever may not take its step (as its page is), a read token is
refused any write, and whatever is refused writes nothing.
"""

from datetime import date, datetime, time, timedelta

import pytest
from allauth.mfa.totp.internal.auth import TOTP
from django.test import Client
from django.utils import timezone

from commonweal.core import clock
from commonweal.members import services as members
from commonweal.members.models import Member
from commonweal.organisation import services
from commonweal.organisation.models import Body, BodyMembership, Mandate, Unit
from commonweal.organisation.selectors import assembly_of
from commonweal.record.models import Entry
from conftest import TOTP_SECRET

pytestmark = pytest.mark.django_db


def api(member, scope="write") -> Client:
    key = members.api_token_create(member=member, name="test", scope=scope)[1]
    return Client(headers={"Authorization": f"Token {key}"}, REMOTE_ADDR="192.0.2.1")


def post(client, url, body=None):
    return client.post(f"/api/organisation{url}", body or {}, content_type="application/json")


@pytest.fixture
def national(org, make_officer):
    return make_officer(body=org.leadership, unit=org.leeds, full_name="Nia National")


@pytest.fixture
def regional(org, make_officer):
    return make_officer(org.north, unit=org.york, full_name="Rhys Regional")


def test_a_national_officer_creates_a_region_and_a_body_in_it(org, national):
    client = api(national)
    answer = post(client, f"/units/{org.nation.slug}/units", {"name": "Wales", "kind": "region"})
    assert answer.status_code == 201
    wales = Unit.objects.get(name="Wales")
    assert answer.json()["slug"] == wales.slug
    assert Entry.objects.filter(kind="unit.created", actor_id=national.pk).exists()
    body = post(
        client, f"/units/{wales.slug}/bodies", {"name": "Wales Council", "kind": "leadership"}
    )
    assert body.status_code == 201
    assert Body.objects.get(name="Wales Council").unit == wales


def test_a_branch_officer_cannot_create_a_region_nor_see_the_step(org, make_officer):
    client = api(make_officer(org.leeds))
    answer = post(client, f"/units/{org.nation.slug}/units", {"name": "Wales", "kind": "region"})
    assert answer.status_code == 404
    assert (
        post(client, f"/units/{org.leeds.slug}/units", {"name": "X", "kind": "branch"}).status_code
        == 404
    )
    assert not Unit.objects.filter(name="Wales").exists()


def test_a_read_token_may_not_change_the_structure(org, national):
    answer = post(api(national, scope="read"), f"/units/{org.york.slug}/rename", {"name": "Ebor"})
    assert answer.status_code == 403
    org.york.refresh_from_db()
    assert org.york.name == "York"


def test_a_regional_officer_renames_in_their_region_but_not_in_another(org, regional):
    client = api(regional)
    assert post(client, f"/units/{org.york.slug}/rename", {"name": "Ebor"}).json()["name"] == "Ebor"
    assert post(client, f"/units/{org.brighton.slug}/rename", {"name": "Hove"}).status_code == 404
    org.brighton.refresh_from_db()
    assert org.brighton.name == "Brighton"


def test_a_suspended_officer_is_refused(org, regional):
    client = api(regional)
    Member.objects.filter(pk=regional.pk).update(status=Member.Status.SUSPENDED)
    # Their token no longer answers, and their session finds no such step.
    assert post(client, f"/units/{org.york.slug}/rename", {"name": "Ebor"}).status_code == 401
    session = Client()
    session.force_login(Member.objects.get(pk=regional.pk))
    assert post(session, f"/units/{org.york.slug}/rename", {"name": "Ebor"}).status_code == 404
    org.york.refresh_from_db()
    assert org.york.name == "York"


def test_an_officer_whose_term_ended_is_refused(org, make_member):
    holder = make_member(unit=org.york)
    TOTP.activate(holder, TOTP_SECRET)  # office-holders' tokens need two factors
    start = date(2024, 1, 10)
    with clock.frozen(timezone.make_aware(datetime.combine(start, time(12)))):
        mandate = services.mandate_grant(body=assembly_of(org.north), holder=holder, office="Chair")
    last_day = timezone.make_aware(datetime.combine(mandate.ends_on, time(9)))
    with clock.frozen(last_day):
        client = api(holder)
        assert post(client, f"/units/{org.york.slug}/rename", {"name": "Ebor"}).status_code == 200
    with clock.frozen(last_day + timedelta(days=1)):
        assert post(client, f"/units/{org.york.slug}/rename", {"name": "York"}).status_code == 404
    assert Unit.objects.get(pk=org.york.pk).name == "Ebor"


def test_closing_a_unit_moves_its_members_and_names_a_bad_target(org, national, make_member):
    client = api(national)
    resident = make_member(unit=org.york)
    refused = post(client, f"/units/{org.york.slug}/close", {"members_to": org.north.slug})
    assert refused.status_code == 400
    assert refused.json()["field"] == "members_to"
    assert Member.objects.get(pk=resident.pk).unit == org.york
    answer = post(client, f"/units/{org.york.slug}/close", {"members_to": org.leeds.slug})
    assert answer.status_code == 200
    assert Member.objects.get(pk=resident.pk).unit == org.leeds
    assert Unit.objects.get(pk=org.york.pk).closed_on is not None


def test_body_members_and_offices_through_the_api(org, national, make_officer, make_member):
    leeds = assembly_of(org.leeds)
    chair = make_officer(org.leeds)
    joiner = make_member(unit=org.leeds)
    outsider = make_member(unit=org.brighton)
    client = api(chair)
    section = org.transport.slug
    # The branch chair runs the Leeds assembly, not the national section.
    assert post(client, f"/bodies/{section}/members", {"member_id": joiner.pk}).status_code == 404
    outside = post(client, f"/bodies/{leeds.slug}/members", {"member_id": outsider.pk})
    assert outside.status_code == 400
    assert outside.json()["field"] == "member_id"
    added = post(client, f"/bodies/{leeds.slug}/members", {"member_id": joiner.pk})
    assert added.status_code == 201
    assert added.json()["role"] == "member"
    removed = client.delete(f"/api/organisation/bodies/{leeds.slug}/members/{joiner.pk}")
    assert removed.status_code == 204
    assert not BodyMembership.objects.filter(body=leeds, member=joiner, until=None).exists()

    national_client = api(national)
    appointed = post(
        national_client,
        f"/bodies/{section}/mandates",
        {
            "member_id": joiner.pk,
            "office": "Secretary",
            "granted_as": "interim",
            "reason": "Vacant",
        },
    )
    assert appointed.status_code == 201
    mandate = Mandate.objects.get(pk=appointed.json()["id"])
    assert mandate.granted_as == "interim"
    # The branch chair may not end it; the national officer may, with a reason.
    assert post(client, f"/mandates/{mandate.pk}/end", {"reason": "x"}).status_code == 404
    no_reason = post(national_client, f"/mandates/{mandate.pk}/end", {"reason": " "})
    assert no_reason.status_code == 400
    ended = post(national_client, f"/mandates/{mandate.pk}/end", {"reason": "Resigned"})
    assert ended.status_code == 200
    assert ended.json()["ended_early_on"] == clock.now().date().isoformat()


def test_a_referral_is_answered_by_the_body_it_was_sent_to(org, make_officer):
    leeds = assembly_of(org.leeds)
    section_chair = make_officer(body=org.transport)
    referral = services.referral_create(
        from_body=org.transport, to_body=leeds, title="Fares", text="?", referred_by=section_chair
    )
    assert (
        post(
            api(make_officer(org.brighton)), f"/referrals/{referral.pk}/answer", {"response": "No"}
        ).status_code
        == 404
    )
    answer = post(
        api(make_officer(org.leeds)), f"/referrals/{referral.pk}/answer", {"response": "£2"}
    )
    assert answer.status_code == 200
    assert answer.json()["status"] == "answered"


def test_a_suspended_member_is_reinstated_by_an_officer_of_their_unit(
    org, make_officer, make_member
):
    member = make_member(unit=org.leeds)
    leeds_chair = make_officer(org.leeds)
    members.member_suspend(member=member, officer=leeds_chair, reason="Abuse")
    elsewhere = api(make_officer(org.brighton)).post(f"/api/members/{member.pk}/reinstate")
    assert elsewhere.status_code == 404
    assert Member.objects.get(pk=member.pk).status == Member.Status.SUSPENDED
    answer = api(leeds_chair).post(f"/api/members/{member.pk}/reinstate")
    assert answer.status_code == 200
    assert answer.json()["status"] == "member"
