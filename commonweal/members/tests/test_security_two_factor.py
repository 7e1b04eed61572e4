"""Every way into a session passes the second factor where it applies, and is rate-limited.

Finding "Trust II" 2: with an authenticator set up, the password alone at /admin/login/
gave a full session (pages, admin, API), and that form took any number of guesses.
"""

from importlib import import_module

import pytest
from allauth.mfa.totp.internal.auth import SECRET_SESSION_KEY
from django.conf import settings
from django.contrib.auth import BACKEND_SESSION_KEY, HASH_SESSION_KEY, SESSION_KEY
from django.test import Client
from django.urls import reverse

from commonweal.members.tests.factories import PASSWORD
from conftest import totp_code

pytestmark = pytest.mark.django_db


def signed_in(client: Client) -> bool:
    return client.get(reverse("members:home")).status_code == 200


def password_only_session(member) -> Client:
    """A session as Django's own `login()` makes it, from any form that checks only the password."""
    store = import_module(settings.SESSION_ENGINE).SessionStore()
    store[SESSION_KEY] = str(member.pk)
    store[BACKEND_SESSION_KEY] = "django.contrib.auth.backends.ModelBackend"
    store[HASH_SESSION_KEY] = member.get_session_auth_hash()
    store.save()
    client = Client()
    client.cookies[settings.SESSION_COOKIE_NAME] = store.session_key
    return client


@pytest.fixture
def admin_officer(org, make_officer):
    return make_officer(org.leeds, is_staff=True, is_superuser=True)


def test_the_admin_password_form_gives_no_session(admin_officer):
    client = Client()
    response = client.post(
        "/admin/login/?next=/admin/", {"username": admin_officer.email, "password": PASSWORD}
    )

    assert response.status_code == 302
    assert response["Location"] == reverse("account_login") + "?next=%2Fadmin%2F"
    assert not signed_in(client)
    assert client.get("/admin/").status_code == 302
    assert client.get("/api/members/me").status_code == 401


def test_the_admin_sign_in_leads_to_the_sites_and_never_elsewhere(client):
    response = client.get("/admin/login/?next=https://evil.example/")
    assert response["Location"] == reverse("account_login") + "?next=%2Fadmin%2F"
    response = client.get("/admin/password_change/")
    assert response["Location"].startswith(reverse("account_change_password"))


def test_a_session_that_skipped_the_authenticator_is_ended(admin_officer):
    client = password_only_session(admin_officer)

    assert client.get("/api/members/me").status_code == 401
    assert client.get("/admin/").status_code == 302
    response = client.get(reverse("members:home"))
    assert response.status_code == 302
    assert response["Location"].startswith(reverse("account_login"))
    # Not even the account pages (where the authenticator could be removed) are open to it.
    assert password_only_session(admin_officer).get(reverse("mfa_index")).status_code == 302


def test_an_administrator_without_an_authenticator_must_set_one_up(org, make_member):
    client = password_only_session(make_member(unit=org.leeds, is_staff=True))
    for address in ("/admin/", reverse("members:home")):
        assert client.get(address)["Location"].startswith(reverse("mfa_activate_totp"))


def test_a_plain_members_password_only_session_still_works(org, make_member):
    client = password_only_session(make_member(unit=org.leeds))
    assert signed_in(client)


def test_signing_in_with_password_and_code_opens_pages_admin_and_api(admin_officer):
    client = Client()
    client.post(reverse("account_login"), {"login": admin_officer.email, "password": PASSWORD})
    client.post(reverse("mfa_authenticate"), {"code": totp_code()})

    assert signed_in(client)
    assert client.get("/admin/").status_code == 200
    assert client.get("/api/members/me").json()["email"] == admin_officer.email


# allauth announces a new authenticator when its transaction commits, as in production.
@pytest.mark.django_db(transaction=True)
def test_an_office_holder_who_sets_up_an_authenticator_stays_signed_in(org, make_officer):
    officer = make_officer(org.leeds, two_factor=False)
    client = Client()
    client.post(reverse("account_login"), {"login": officer.email, "password": PASSWORD})
    assert client.get(reverse("members:home"))["Location"].startswith(reverse("mfa_activate_totp"))

    client.post(reverse("account_reauthenticate"), {"password": PASSWORD})
    client.get(reverse("mfa_activate_totp"))
    secret = client.session[SECRET_SESSION_KEY]
    response = client.post(reverse("mfa_activate_totp"), {"code": totp_code(secret)})

    assert response.status_code == 302
    assert signed_in(client)


@pytest.mark.parametrize("login_url", ["/admin/login/", "/accounts/login/"])
def test_twelve_wrong_passwords_then_the_right_one_is_not_a_session(login_url, org, make_member):
    member = make_member(unit=org.leeds, is_staff=True)
    client = Client()
    for attempt in range(12):
        client.post(
            login_url,
            {"username": member.email, "login": member.email, "password": f"wrong-{attempt}"},
        )
    client.post(login_url, {"username": member.email, "login": member.email, "password": PASSWORD})

    assert "_auth_user_id" not in client.session
    assert client.get("/admin/").status_code == 302
