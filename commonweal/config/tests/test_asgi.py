"""Production serves the ASGI application: pages, sign-in and the API work through it."""

import asyncio
from concurrent.futures import ThreadPoolExecutor
from urllib.parse import urlencode

import pytest
from django.db import connections

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
    """One request through the ASGI application; (status, headers, body)."""
    path, _, query = path.partition("?")
    scope = {
        "type": "http",
        "asgi": {"version": "3.0"},
        "http_version": "1.1",
        "method": method,
        "scheme": "http",
        "path": path,
        "raw_path": path.encode(),
        "root_path": "",
        "query_string": query.encode(),
        "headers": [
            (b"host", b"testserver"),
            *((k.lower().encode(), v.encode()) for k, v in (headers or {}).items()),
        ],
        "client": ("127.0.0.1", 40000),
        "server": ("testserver", 80),
    }

    async def run():
        sent = False
        messages = []

        async def receive():
            nonlocal sent
            if sent:
                await asyncio.sleep(3600)
            sent = True
            return {"type": "http.request", "body": body, "more_body": False}

        async def send(message):
            messages.append(message)

        await app(scope, receive, send)
        start = messages[0]
        return (
            start["status"],
            {k.decode().lower(): v.decode() for k, v in start["headers"]},
            b"".join(m.get("body", b"") for m in messages[1:]),
        )

    # A thread of its own: a browser test in the same process may have a loop running here.
    with ThreadPoolExecutor(max_workers=1) as thread:
        return thread.submit(asyncio.run, run()).result()


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
    token = api_token_create(member=make_member(), name="asgi test")[1]
    status, headers, body = request(
        application, "GET", "/api/members/me", headers={"Authorization": f"Token {token}"}
    )
    assert status == 200
    assert headers["content-type"].startswith("application/json")
    assert b"full_name" in body
