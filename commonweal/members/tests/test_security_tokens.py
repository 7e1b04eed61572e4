"""API tokens have a scope and an expiry, die with the password and the membership, and
follow the office-holders' two-factor rule.

Finding "Trust II" 3: tokens could do everything, never expired, and survived a password
change, suspension and leaving; an office-holder without two factors could use one.
"""

from datetime import timedelta

import pytest
from allauth.mfa.models import Authenticator
from django.core import mail
from django.test import Client
from django.urls import reverse

from commonweal.core import clock
from commonweal.members import services
from commonweal.members.models import ApiToken, Member
from commonweal.members.tests.factories import PASSWORD
from conftest import TOTP_SECRET

pytestmark = pytest.mark.django_db


def api(key: str) -> Client:
    return Client(headers={"Authorization": f"Token {key}"})


def rename(key: str, name: str = "Renamed"):
    return api(key).patch("/api/members/me", {"full_name": name}, content_type="application/json")


@pytest.fixture
def member(org, make_member):
    return make_member(unit=org.leeds, full_name="Ana Costa")


def test_a_read_token_reads_and_its_write_is_refused_with_the_reason(member):
    _token, key = services.api_token_create(member=member, name="dashboard", scope="read")

    assert api(key).get("/api/members/me").status_code == 200
    response = rename(key)

    assert response.status_code == 403
    assert "may only read" in response.json()["detail"]
    member.refresh_from_db()
    assert member.full_name == "Ana Costa"


def test_a_write_token_writes(member):
    _token, key = services.api_token_create(member=member, name="script", scope="write")
    assert rename(key).status_code == 200
    member.refresh_from_db()
    assert member.full_name == "Renamed"


def test_a_token_is_read_only_unless_asked_and_cannot_last_for_ever(member):
    token, _key = services.api_token_create(member=member, name="script")
    assert token.scope == ApiToken.Scope.READ
    assert token.expires_at == token.created_at + timedelta(days=90)
    with pytest.raises(services.Refused):
        services.api_token_create(member=member, name="script", days=100_000)


def test_an_expired_token_is_no_credential(member):
    token, key = services.api_token_create(member=member, name="script", scope="write")
    ApiToken.objects.filter(pk=token.pk).update(expires_at=clock.now() - timedelta(seconds=1))
    assert api(key).get("/api/members/me").status_code == 401


def test_changing_the_password_on_the_site_revokes_every_token(member):
    _token, key = services.api_token_create(member=member, name="script", scope="write")
    browser = Client()
    browser.force_login(member)
    response = browser.post(
        reverse("account_change_password"),
        {
            "oldpassword": PASSWORD,
            "password1": "another-long-pass-43",
            "password2": "another-long-pass-43",
        },
    )
    assert response.status_code == 302
    assert api(key).get("/api/members/me").status_code == 401
    # A change the member did not make does not go unnoticed.
    assert [letter.to for letter in mail.outbox] == [[member.email]]
    assert "password" in mail.outbox[0].subject.lower()


def test_a_password_set_anywhere_else_revokes_every_token(member):
    _token, key = services.api_token_create(member=member, name="script", scope="write")
    member.set_password("set-by-an-administrator-44")
    member.save()
    assert api(key).get("/api/members/me").status_code == 401


def test_suspension_and_leaving_revoke_every_token(org, member, make_officer):
    officer = make_officer(org.leeds)
    _token, key = services.api_token_create(member=member, name="script", scope="write")
    services.member_suspend(member=member, officer=officer, reason="Abusive messages.")
    assert api(key).get("/api/members/me").status_code == 401
    services.member_reinstate(member=member, officer=officer)
    assert api(key).get("/api/members/me").status_code == 401  # revoked, not paused

    _token, key = services.api_token_create(member=member, name="again", scope="write")
    services.member_leave(member=Member.objects.get(pk=member.pk))
    assert api(key).get("/api/members/me").status_code == 401


def test_erasure_ends_every_token(member):
    _token, key = services.api_token_create(member=member, name="script", scope="write")
    services.member_erase(member=member, requested_by=member)
    assert api(key).get("/api/members/me").status_code == 401


def test_an_office_holder_without_two_factors_cannot_use_a_token(org, make_officer):
    from allauth.mfa.totp.internal.auth import TOTP

    officer = make_officer(org.leeds, two_factor=False)
    _token, key = services.api_token_create(member=officer, name="script", scope="write")

    for response in (api(key).get("/api/members/me"), rename(key)):
        assert response.status_code == 403
        assert "two-factor" in response.json()["detail"]

    TOTP.activate(officer, TOTP_SECRET)
    assert api(key).get("/api/members/me").status_code == 200
    assert Authenticator.objects.filter(user=officer).exists()


def test_an_office_that_begins_tomorrow_binds_the_token_to_two_factors_from_tomorrow(
    org, make_member
):
    """The office-holders' rule is read for the day of the request, in a process that has
    already served the token the day before (the ballot box's writer lives for days)."""
    from commonweal.organisation.services import mandate_grant

    member = make_member(unit=org.leeds)
    _token, key = services.api_token_create(member=member, name="script", scope="write")
    today = clock.now()
    mandate_grant(
        body=org.leadership,
        holder=member,
        office="Treasurer",
        starts_on=(today + timedelta(days=1)).date(),
    )
    with clock.frozen(today):
        assert api(key).get("/api/members/me").status_code == 200
    with clock.frozen(today + timedelta(days=1)):
        response = api(key).get("/api/members/me")
    assert response.status_code == 403
    assert "two-factor" in response.json()["detail"]


def test_an_administrator_without_two_factors_cannot_use_a_token(org, make_member):
    admin = make_member(unit=org.leeds, is_staff=True, is_superuser=True)
    _token, key = services.api_token_create(member=admin, name="script", scope="write")
    response = api(key).get("/api/members/me")
    assert response.status_code == 403
    assert "two-factor" in response.json()["detail"]


def test_the_tokens_page_shows_scope_and_expiry(client, member):
    token, _key = services.api_token_create(member=member, name="dashboard", scope="read")
    client.force_login(member)
    page = client.get(reverse("members:tokens")).content.decode()
    assert "read only" in page
    assert f"expires {token.expires_at:%b}" in page

    response = client.post(
        reverse("members:tokens"), {"name": "script", "scope": "write", "days": "30"}
    )
    made = member.api_tokens.get(name="script")
    assert made.scope == ApiToken.Scope.WRITE
    assert made.expires_at - made.created_at == timedelta(days=30)
    assert "read and write" in response.content.decode()


def test_the_api_documentation_explains_scopes_expiry_and_revocation(client):
    description = client.get("/api/openapi.json").json()["info"]["description"]
    for words in ("read only", "expires", "revoke", "two-factor", "403"):
        assert words in description
