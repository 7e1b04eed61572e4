import json

import pytest
from allauth.mfa.models import Authenticator
from django.urls import reverse

from commonweal.core.errors import Conflict, NotPermitted, Refused
from commonweal.members import services
from commonweal.members.models import ApiToken, Member, ProfileView
from commonweal.members.selectors import api_token_holder, member_data_export
from commonweal.organisation.services import body_membership_add, mandate_grant
from commonweal.record.models import Entry

pytestmark = pytest.mark.django_db


def test_leaving_ends_body_memberships_and_is_recorded(org, make_member):
    member = make_member(unit=org.leeds)
    body_membership_add(body=org.transport, member=member)
    services.member_leave(member=member)
    member.refresh_from_db()
    assert member.status == Member.Status.LEFT
    assert not member.body_memberships.filter(until=None).exists()
    assert Entry.objects.filter(kind="member.left").exists()
    with pytest.raises(Conflict):
        services.member_leave(member=member)


def test_suspension_needs_a_reason_and_an_officer_of_that_unit(org, make_member, make_officer):
    member = make_member(unit=org.leeds)
    york_officer = make_officer(org.york)
    leeds_officer = make_officer(org.leeds)
    with pytest.raises(NotPermitted):
        services.member_suspend(member=member, officer=york_officer, reason="x")
    with pytest.raises(Refused, match="reason"):
        services.member_suspend(member=member, officer=leeds_officer, reason="")
    services.member_suspend(member=member, officer=leeds_officer, reason="Abusive posts")
    member.refresh_from_db()
    assert member.status == Member.Status.SUSPENDED
    assert member.status_reason == "Abusive posts"
    assert not member.is_member
    services.member_reinstate(member=member, officer=leeds_officer)
    member.refresh_from_db()
    assert member.is_member


def test_profile_tags_are_cleaned_and_visibility_checked(org, make_member):
    member = make_member(unit=org.leeds)
    services.profile_update(
        member=member, skills="writing, <script>x</script>, Writing, ", visibility="organisation"
    )
    assert member.skills == ["writing"]
    with pytest.raises(Refused):
        services.profile_update(member=member, visibility="everyone-on-earth")


def test_profile_visibility_follows_the_members_choice(org, make_member):
    subject = make_member(unit=org.leeds, visibility=Member.Visibility.UNIT)
    same_unit = make_member(unit=org.leeds)
    other_unit = make_member(unit=org.brighton)
    assert same_unit.has_perm("members.view_profile", subject)
    assert not other_unit.has_perm("members.view_profile", subject)
    subject.visibility = Member.Visibility.OFFICERS
    subject.save()
    assert not same_unit.has_perm("members.view_profile", subject)


def test_viewing_a_profile_is_audited_and_shown_in_the_export(client, org, make_member):
    subject = make_member(unit=org.leeds)
    viewer = make_member(unit=org.leeds)
    client.force_login(viewer)
    assert client.get(reverse("members:detail", args=[subject.pk])).status_code == 200
    assert ProfileView.objects.filter(subject=subject, viewer=viewer).count() == 1
    export = member_data_export(subject)
    assert export["who_saw_my_profile"][0]["viewer"] == viewer.pk


def test_hidden_profile_is_a_404_not_a_403(client, org, make_member):
    subject = make_member(unit=org.leeds)
    stranger = make_member(unit=org.brighton)
    client.force_login(stranger)
    assert client.get(reverse("members:detail", args=[subject.pk])).status_code == 404
    assert not ProfileView.objects.exists()


def test_export_downloads_everything_as_json(client, org, make_member):
    member = make_member(unit=org.leeds, skills=["writing"])
    client.force_login(member)
    response = client.get(reverse("members:export"))
    assert response["Content-Disposition"].startswith("attachment")
    data = json.loads(response.content)
    assert data["profile"]["email"] == member.email
    assert data["profile"]["skills"] == ["writing"]


def test_erasure_removes_personal_data_but_keeps_the_record(org, make_member):
    member = make_member(unit=org.leeds, full_name="Ana Costa", skills=["writing"])
    services.api_token_create(member=member, name="laptop")
    entries_before = Entry.objects.count()
    services.member_erase(member=member, requested_by=member)
    member.refresh_from_db()
    assert member.status == Member.Status.ERASED
    assert member.display_name == "former member"
    assert "Ana" not in member.email
    assert member.full_name == ""
    assert member.skills == []
    assert not member.has_usable_password()
    assert not ApiToken.objects.filter(member=member).exists()
    assert Entry.objects.count() == entries_before + 1
    with pytest.raises(Conflict):
        services.member_erase(member=member, requested_by=member)


def test_only_the_member_or_an_administrator_may_erase(org, make_member, make_officer):
    member = make_member(unit=org.leeds)
    officer = make_officer(org.leeds)
    with pytest.raises(NotPermitted):
        services.member_erase(member=member, requested_by=officer)
    assert Member.objects.get(pk=member.pk).status == Member.Status.MEMBER


def test_api_token_is_shown_once_and_only_its_hash_is_kept(org, make_member):
    member = make_member(unit=org.leeds)
    token, key = services.api_token_create(member=member, name="script")
    assert key not in token.key_hash
    assert api_token_holder(key, write=False).member == member
    services.api_token_revoke(token=token, member=member)
    assert api_token_holder(key, write=False) is None


def test_officers_must_set_up_two_factor_before_anything_else(client, org, make_member):
    officer = make_member(unit=org.leeds)
    mandate_grant(body=org.transport, holder=officer, office="Chair")
    client.force_login(officer)
    response = client.get(reverse("members:home"))
    assert response.status_code == 302
    assert response["Location"].startswith(reverse("mfa_activate_totp"))
    Authenticator.objects.create(user=officer, type=Authenticator.Type.TOTP, data={})
    assert client.get(reverse("members:home")).status_code == 200


def test_plain_members_are_not_forced_into_two_factor(client, org, make_member):
    client.force_login(make_member(unit=org.leeds))
    assert client.get(reverse("members:home")).status_code == 200


def test_leaving_ends_their_offices_each_recorded_and_each_body_told(
    client, org, make_member, run_worker
):
    from allauth.mfa.totp.internal.auth import TOTP

    from commonweal.notifications.models import Notification
    from commonweal.organisation.models import Mandate
    from commonweal.organisation.selectors import officer_body_ids
    from conftest import TOTP_SECRET

    chair = make_member(unit=org.leeds)
    colleague = make_member(unit=org.york)
    body_membership_add(body=org.transport, member=colleague)
    mandate = mandate_grant(body=org.transport, holder=chair, office="Chair")
    assert officer_body_ids(chair) == {org.transport.pk}
    TOTP.activate(chair, TOTP_SECRET)  # office-holders use two factors
    client.force_login(chair)
    # The page says what leaving ends before they confirm.
    assert "Chair of Transport Section" in client.get(reverse("members:leave")).content.decode()
    client.post(reverse("members:leave"), {"confirm": "on"})
    run_worker()
    mandate.refresh_from_db()
    assert mandate.ended_early_on is not None
    assert mandate.ended_reason == "the holder left the organisation"
    ended = Entry.objects.get(kind="mandate.ended")
    assert ended.actor_id == chair.pk
    left = Entry.objects.get(kind="member.left")
    assert left.payload == {"bodies_left": [org.transport.pk], "mandates_ended": [mandate.pk]}
    assert officer_body_ids(Member.objects.get(pk=chair.pk)) == set()
    assert not Mandate.objects.filter(holder=chair, ended_early_on=None).exists()
    told = Notification.objects.filter(event__kind="mandate.ended", recipient=colleague).first()
    assert told is not None
    # The body's page shows the office as vacant, not held by someone who has left.
    client.force_login(colleague)
    page = client.get(reverse("organisation:body", args=[org.transport.slug])).content.decode()
    assert "vacant since" in page
    assert chair.display_name in page  # among past mandates only
    assert "No current mandates." in page
