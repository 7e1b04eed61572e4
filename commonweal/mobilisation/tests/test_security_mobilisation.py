"""Who runs actions and reads who answered them, attacked from each side: another branch's
officer, a suspended member, an external participant, API tokens (read and write), a member
of an organising body outside its scope, and a forged or revoked signer's link."""

import pytest
from django.test import Client

from commonweal.core.errors import NotPermitted
from commonweal.members import services as members
from commonweal.members.models import Member
from commonweal.mobilisation import services
from commonweal.mobilisation.models import ActionPage, Consent, Signup, UnitPlace
from commonweal.organisation.models import Body
from commonweal.organisation.services import body_create, body_membership_add

pytestmark = pytest.mark.django_db

SIGNER_EMAIL = "quiet.signer@example.org"


def _fingerprint():
    return (
        list(ActionPage.objects.values_list("title", "status", "confirmed_count")),
        list(Signup.objects.values_list("name", "email", "confirmed_at", "invited_to_join_at")),
        list(Consent.objects.values_list("purpose", "withdrawn_at")),
        UnitPlace.objects.count(),
    )


def _token(member, scope="write"):
    key = members.api_token_create(member=member, name="t", scope=scope)[1]
    return Client(headers={"Authorization": f"Token {key}"})


def _session(member):
    client = Client()
    client.force_login(member)
    return client


@pytest.fixture(autouse=True)
def officers_without_second_factor(set_rule):
    set_rule("members.office_holders_need_two_factor", False)


@pytest.fixture
def signed(petition, started):
    services.signup_sign(
        action=petition,
        name="Quiet Signer",
        email=SIGNER_EMAIL,
        postcode="LS6 1AA",
        purposes=["branch"],
        started=started,
    )
    signup = Signup.objects.get()
    services.signup_confirm(token=services.signup_token(signup))
    signup.refresh_from_db()
    return signup


def _pages(action, signup):
    return {
        "detail": (f"/mobilisation/{action.pk}/", "get"),
        "edit": (f"/mobilisation/{action.pk}/edit/", "post"),
        "close": (f"/mobilisation/{action.pk}/close/", "post"),
        "shift": (f"/mobilisation/{action.pk}/shifts/", "post"),
        "invite": (f"/mobilisation/signups/{signup.pk}/invite/", "post"),
    }


def test_another_branchs_officer_sees_no_signer_and_changes_nothing(
    org, make_officer, petition, signed
):
    brighton = make_officer(of=org.brighton)
    before = _fingerprint()
    client = _session(brighton)
    for name, (url, method) in _pages(petition, signed).items():
        answer = getattr(client, method)(url, {"title": "Hijacked", "role": "x", "capacity": 1})
        assert answer.status_code == 404, name
        assert SIGNER_EMAIL not in answer.content.decode()
    listing = client.get("/mobilisation/").content.decode()
    assert petition.title not in listing
    api = _token(brighton)
    assert api.get(f"/api/mobilisation/actions/{petition.pk}").status_code == 404
    assert (
        api.patch(
            f"/api/mobilisation/actions/{petition.pk}", {"title": "Hijacked"}, "application/json"
        ).status_code
        == 404
    )
    assert api.post(f"/api/mobilisation/actions/{petition.pk}/close").status_code == 404
    assert api.post(f"/api/mobilisation/signups/{signed.pk}/invite").status_code == 404
    assert (
        api.post(
            "/api/mobilisation/places",
            {"unit_id": org.leeds.pk, "kind": "postcode", "value": "LS9"},
            "application/json",
        ).status_code
        == 404
    )
    assert api.get("/api/mobilisation/actions").json()["items"] == []
    assert _fingerprint() == before


def test_a_suspended_member_and_an_external_participant_organise_nothing(
    org, make_officer, make_member, petition, signed
):
    officer = make_officer(of=org.leeds, full_name="Was Officer")
    external = make_member(unit=None, status=Member.Status.EXTERNAL)
    suspended = members.member_suspend(member=officer, officer=petition.officer, reason="Abuse.")
    before = _fingerprint()
    for who in (suspended, external):
        client = _session(who)
        assert client.get("/mobilisation/").status_code == 404
        for name, (url, method) in _pages(petition, signed).items():
            assert getattr(client, method)(url).status_code == 404, name
    api = _token(external)
    assert api.get(f"/api/mobilisation/actions/{petition.pk}").status_code == 404
    assert api.post(f"/api/mobilisation/actions/{petition.pk}/close").status_code == 404
    assert (
        api.post(
            "/api/mobilisation/actions",
            {"kind": "petition", "unit_id": org.leeds.pk, "title": "Mine", "target": "Them"},
            "application/json",
        ).status_code
        == 404
    )
    assert _fingerprint() == before


def test_a_read_token_cannot_write_and_a_write_token_works_within_scope(org, petition, signed):
    read = _token(petition.officer, scope="read")
    before = _fingerprint()
    assert read.get(f"/api/mobilisation/actions/{petition.pk}").status_code == 200
    assert read.post(f"/api/mobilisation/actions/{petition.pk}/close").status_code == 403
    assert _fingerprint() == before
    write = _token(petition.officer)
    detail = write.get(f"/api/mobilisation/actions/{petition.pk}").json()
    assert detail["confirmed"] == 1
    assert detail["by_unit"] == [{"unit_id": None, "unit": None, "count": 1}]
    assert write.post(f"/api/mobilisation/actions/{petition.pk}/close").json()["status"] == (
        "closed"
    )


def test_an_organising_body_acts_only_within_its_scope(org, make_member, set_rule):
    set_rule("mobilisation.organised_by", ["north-campaigns"])
    body = body_create(name="North Campaigns", kind=Body.Kind.DEPARTMENT, unit=org.north)
    Body.objects.filter(pk=body.pk).update(slug="north-campaigns")
    body.refresh_from_db()
    campaigner = make_member(unit=org.york)
    body_membership_add(body=body, member=campaigner)
    action = services.action_create(
        actor=campaigner, unit=org.leeds, kind="pledge", title="Walk on strike days", body=body
    )
    assert action.body == body
    with pytest.raises(NotPermitted):
        services.action_create(actor=campaigner, unit=org.brighton, kind="pledge", title="No")
    # The body no longer named: its members organise nothing more.
    set_rule("mobilisation.organised_by", [])
    with pytest.raises(NotPermitted):
        services.action_update(actor=campaigner, action=action, title="Changed")


def test_a_draft_is_not_public_and_a_forged_or_spent_link_opens_nothing(org, petition, signed):
    draft = services.action_create(
        actor=petition.officer, unit=org.leeds, kind="pledge", title="Secret plan"
    )
    assert Client().get(f"/act/{draft.slug}/").status_code == 404
    token = services.signup_token(signed)
    forged = token.split(":")[0] + ":" + "A" * 43
    other_id = f"{signed.pk + 1}.{signed.token_key}"
    for bad in (forged, other_id, "nonsense"):
        answer = Client().get(f"/act/s/{bad}/")
        assert answer.status_code == 404
        assert SIGNER_EMAIL not in answer.content.decode()
    assert SIGNER_EMAIL in Client().get(f"/act/s/{token}/").content.decode()
    Client().post(f"/act/s/{token}/", {"do": "erase"})
    assert Client().get(f"/act/s/{token}/").status_code == 404
    signed.refresh_from_db()
    assert (signed.name, signed.email, signed.postcode) == ("", "", "")
    petition.refresh_from_db()
    assert petition.confirmed_count == 1
