"""An office-holder's password alone does not sign them in: the second factor is asked for."""

import time

import pytest
from allauth.mfa.totp.internal.auth import format_hotp_value, hotp_value
from django.urls import reverse

from commonweal.members.tests.factories import PASSWORD

pytestmark = pytest.mark.django_db

TOTP_SECRET = "JBSWY3DPEHPK3PXPJBSWY3DPEHPK3PXP"  # the secret make_officer gives officers


def code(offset: int = 0) -> str:
    return format_hotp_value(hotp_value(TOTP_SECRET, int(time.time()) // 30 + offset))


def signed_in(client) -> bool:
    return client.get(reverse("members:home")).status_code == 200


def test_an_officer_needs_the_code_after_the_password(client, org, make_officer):
    officer = make_officer(org.leeds)
    response = client.post(reverse("account_login"), {"login": officer.email, "password": PASSWORD})
    assert response.status_code == 302
    assert response["Location"] == reverse("mfa_authenticate")
    assert not signed_in(client)

    wrong = str((int(code()) + 1) % 1_000_000).zfill(6)
    response = client.post(reverse("mfa_authenticate"), {"code": wrong})
    assert response.status_code == 200
    assert "Incorrect code" in response.content.decode()
    assert not signed_in(client)

    response = client.post(reverse("mfa_authenticate"), {"code": code()})
    assert response.status_code == 302
    assert signed_in(client)


def test_a_plain_member_signs_in_with_the_password(client, org, make_member):
    member = make_member(unit=org.leeds)
    response = client.post(reverse("account_login"), {"login": member.email, "password": PASSWORD})
    assert response.status_code == 302
    assert response["Location"] != reverse("mfa_authenticate")
    assert signed_in(client)
