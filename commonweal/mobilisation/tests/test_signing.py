"""Signing an action: consent per purpose, double opt-in, duplicates once, abuse limits."""

from datetime import timedelta

import pytest
from django.core import mail

from commonweal.core import clock
from commonweal.core.errors import Conflict, NotPermitted, Refused
from commonweal.core.ratelimit import RateLimited
from commonweal.mobilisation import selectors
from commonweal.mobilisation.consent import VERSIONS, wording
from commonweal.mobilisation.models import Consent, Signup
from commonweal.mobilisation.services import (
    consent_withdraw,
    place_add,
    signup_confirm,
    signup_sign,
    signup_token,
)

from .conftest import NOW


def sign(action, started, **fields):
    given = {
        "name": "Ada Walker",
        "email": "ada@example.org",
        "postcode": "LS6 3AB",
        "ip": "203.0.113.5",
        "started": started,
    } | fields
    return signup_sign(action=action, **given)


def test_an_answer_counts_only_once_the_emailed_link_is_followed(petition, started, run_worker):
    answer = sign(petition, started, purposes=["campaign"])
    assert not answer.counted
    petition.refresh_from_db()
    assert petition.confirmed_count == 0
    signup = Signup.objects.get()
    run_worker()
    assert len(mail.outbox) == 1
    assert mail.outbox[0].to == ["ada@example.org"]
    token = signup_token(signup)
    assert f"/act/s/{token}/confirm/" in mail.outbox[0].body
    assert f"/act/s/{token}/" in mail.outbox[0].body
    signup_confirm(token=token)
    signup_confirm(token=token)
    petition.refresh_from_db()
    assert petition.confirmed_count == 1 == selectors.recount(petition)


def test_each_purpose_is_stored_with_the_words_shown_and_their_version(petition, started):
    sign(petition, started, purposes=["branch"])
    consents = {c.purpose: c for c in Consent.objects.all()}
    assert set(consents) == {"action", "branch"}
    assert consents["branch"].wording == wording(petition, "branch")
    assert consents["branch"].version == VERSIONS["branch"]
    assert consents["branch"].given_at == NOW


def test_only_those_who_consented_and_did_not_withdraw_can_be_reached(petition, started):
    sign(petition, started, purposes=["campaign"])
    sign(petition, started, email="bo@example.org", purposes=[])
    for signup in Signup.objects.all():
        signup_confirm(token=signup_token(signup))
    assert [s.email for s in selectors.consented(petition, "campaign")] == ["ada@example.org"]
    assert selectors.consented(petition, "action").count() == 2
    ada = Signup.objects.get(email="ada@example.org")
    consent_withdraw(token=signup_token(ada), purposes=["campaign"])
    assert not selectors.consented(petition, "campaign").exists()
    assert Consent.objects.get(signup=ada, purpose="campaign").withdrawn_at == NOW


def test_a_second_answer_from_the_same_email_is_counted_once_and_looks_the_same(
    petition, started, run_worker
):
    first = sign(petition, started)
    second = sign(petition, started, name="Someone Else", postcode="BN1 1AA")
    assert first == second
    assert Signup.objects.count() == 1
    assert Signup.objects.get().name == "Ada Walker"
    signup_confirm(token=signup_token(Signup.objects.get()))
    third = sign(petition, started)
    assert third == first
    petition.refresh_from_db()
    assert petition.confirmed_count == 1
    run_worker()
    # The signer hears of the second and third answers; nobody else learns anything.
    assert [m.to for m in mail.outbox] == [["ada@example.org"]] * 3


def test_a_member_signed_in_with_a_verified_email_counts_at_once(petition, make_member, org):
    from allauth.account.models import EmailAddress

    member = make_member(unit=org.york)
    EmailAddress.objects.create(user=member, email=member.email, verified=True, primary=True)
    answer = signup_sign(action=petition, user=member)
    assert answer.counted
    signup = answer.signup
    assert (signup.member, signup.unit, signup.name) == (member, org.york, member.full_name)
    petition.refresh_from_db()
    assert petition.confirmed_count == 1


def test_a_suspended_member_signs_as_the_public_do(petition, make_member, org, started):
    member = make_member(unit=org.leeds, status="suspended")
    answer = signup_sign(
        action=petition,
        user=member,
        name="Sus",
        email=member.email,
        postcode="LS1 1AA",
        started=started,
    )
    assert not answer.counted
    assert Signup.objects.get().member is None


def test_the_honeypot_and_a_too_quick_form_are_refused_and_nothing_is_stored(petition, started):
    with pytest.raises(Refused, match="robots"):
        sign(petition, started, honeypot="http://spam.example")
    with clock.frozen(NOW - timedelta(seconds=59)), pytest.raises(Refused, match="quicker"):
        sign(petition, started)
    with pytest.raises(Refused, match="expired"):
        sign(petition, "forged")
    assert not Signup.objects.exists()
    assert not Consent.objects.exists()


def test_missing_fields_are_named(petition, started):
    with pytest.raises(Refused) as refused:
        sign(petition, started, name="", email="not-an-email", postcode="", place="")
    assert {r.field for r in refused.value.every} == {"name", "email", "postcode"}
    assert not Signup.objects.exists()


def test_answers_are_limited_per_email_and_per_address(petition, started):
    for _ in range(5):
        sign(petition, started)
    with pytest.raises(RateLimited):
        sign(petition, started)
    for n in range(54):
        sign(petition, started, email=f"p{n}@example.org")
    with pytest.raises(RateLimited):
        sign(petition, started, email="one-more@example.org")
    assert Signup.objects.count() == 55


def test_a_closed_action_takes_no_answers(petition, started):
    from commonweal.mobilisation.services import action_close

    closed = action_close(actor=petition.officer, action=petition)
    with pytest.raises(Conflict):
        sign(closed, started)


def test_a_wrong_link_is_refused(petition, started):
    sign(petition, started)
    token = signup_token(Signup.objects.get())
    with pytest.raises(NotPermitted):
        signup_confirm(token=token[:-2] + "xx")


def test_a_signer_is_matched_to_the_branch_by_postcode_area_then_place(
    petition, started, org, make_officer
):
    regional = make_officer(of=org.north)
    place_add(actor=petition.officer, unit=org.leeds, kind="postcode", value="ls6")
    place_add(actor=regional, unit=org.north, kind="postcode", value="LS")
    place_add(actor=regional, unit=org.york, kind="place", value="  Haxby ")
    assert selectors.match_unit(postcode="LS6 3AB") == org.leeds
    assert selectors.match_unit(postcode="ls63ab") == org.leeds
    assert selectors.match_unit(postcode="LS61 1AA") == org.north
    assert selectors.match_unit(postcode="BN1 1AA") is None
    assert selectors.match_unit(postcode="BN1 1AA", place="haxby") == org.york
    sign(petition, started, postcode="LS6 1AA")
    assert Signup.objects.get().unit == org.leeds


def test_places_are_kept_by_the_units_officers_only(petition, org, make_officer):
    york_officer = make_officer(of=org.york)
    with pytest.raises(NotPermitted):
        place_add(actor=york_officer, unit=org.leeds, kind="postcode", value="LS6")
    place_add(actor=petition.officer, unit=org.leeds, kind="postcode", value="LS6")
    with pytest.raises(Conflict):
        place_add(actor=york_officer, unit=org.york, kind="postcode", value="ls 6")
