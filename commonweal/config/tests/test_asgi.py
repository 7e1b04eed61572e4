"""Production serves the ASGI application: pages, sign-in and the API work through it."""

from urllib.parse import urlencode

import pytest
from django.db import connections

from commonweal.core.tests.asgi import asgi_request, in_own_loop
from commonweal.members.services import api_token_create
from commonweal.members.tests.factories import PASSWORD

pytestmark = pytest.mark.django_db(transaction=True)


@pytest.fixture
def application(monkeypatch):
    from commonweal.config.asgi import application

    # Django's request thread closes its connection after each request, so the test
    # database can be dropped at the end.
    monkeypatch.setitem(connections.settings["default"], "CONN_MAX_AGE", 0)
    return application


def request(app, method: str, path: str, *, body: bytes = b"", headers: dict | None = None):
    return in_own_loop(lambda: asgi_request(app, method, path, body=body, headers=headers))


def test_the_public_site_and_the_sign_in_page_answer_with_their_security_headers(application):
    status, headers, body = request(application, "GET", "/")
    assert status == 200
    assert "script-src 'self'" in headers["content-security-policy"]
    status, headers, body = request(application, "GET", "/accounts/login/")
    assert status == 200
    assert b"csrfmiddlewaretoken" in body


def test_a_member_signs_in_and_sees_their_home_through_asgi(application, make_member):
    member = make_member()
    status, headers, body = request(application, "GET", "/accounts/login/")
    csrf = headers["set-cookie"].split("csrftoken=")[1].split(";")[0]
    form = urlencode(
        {"login": member.email, "password": PASSWORD, "csrfmiddlewaretoken": csrf}
    ).encode()
    status, headers, _body = request(
        application,
        "POST",
        "/accounts/login/",
        body=form,
        headers={
            "Content-Type": "application/x-www-form-urlencoded",
            "Cookie": f"csrftoken={csrf}",
            "Referer": "http://testserver/accounts/login/",
        },
    )
    assert status == 302, _body[:500]
    session = headers["set-cookie"].split("sessionid=")[1].split(";")[0]
    status, _headers, body = request(
        application, "GET", "/members/profile/", headers={"Cookie": f"sessionid={session}"}
    )
    assert status == 200
    assert member.full_name.encode() in body


def test_the_api_answers_through_asgi(application, make_member):
    token = api_token_create(member=make_member(), name="asgi test", scope="write")[1]
    status, headers, body = request(
        application, "GET", "/api/members/me", headers={"Authorization": f"Token {token}"}
    )
    assert status == 200
    assert headers["content-type"].startswith("application/json")
    assert b"full_name" in body
