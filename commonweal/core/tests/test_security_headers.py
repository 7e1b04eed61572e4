import os
import re
import secrets
import subprocess
import sys
from pathlib import Path

import pytest
from django.conf import settings
from django.urls import reverse

ROOT = Path(settings.BASE_DIR)
INLINE_SCRIPT = re.compile(r"<script(?![^>]*\bsrc=)(?![^>]*type=\"application/json\")[^>]*>", re.I)
EVENT_HANDLER = re.compile(r"<[^>]+\son[a-z]+\s*=", re.I)


def production_env(**extra: str) -> dict[str, str]:
    """The test run's environment without what only tests set, plus production settings."""
    env = {k: v for k, v in os.environ.items() if k != "DJANGO_ALLOW_ASYNC_UNSAFE"}
    return {**env, "DEBUG": "0", "SECRET_KEY": secrets.token_urlsafe(60), **extra}


def test_deploy_checks_are_clean_under_production_settings(tmp_path):
    env = production_env(ALLOWED_HOSTS="example.org", COMMONWEAL_DATA_DIR=str(tmp_path))
    result = subprocess.run(
        [sys.executable, "manage.py", "check", "--deploy", "--fail-level", "DEBUG"],
        cwd=ROOT,
        env=env,
        capture_output=True,
        text=True,
        timeout=120,
    )
    assert result.returncode == 0, result.stdout + result.stderr
    assert "System check identified no issues" in result.stdout


@pytest.mark.django_db
@pytest.mark.parametrize("url_name", ["website:home", "account_login", "members:join"])
@pytest.mark.parametrize("debug", [True, False])
def test_pages_carry_the_policies_and_no_inline_script(client, settings, url_name, debug):
    settings.DEBUG = debug
    response = client.get(reverse(url_name))
    assert response.status_code == 200
    csp = response["Content-Security-Policy"]
    assert "script-src 'self';" in csp
    assert "object-src 'none'" in csp
    assert "frame-ancestors 'none'" in csp
    assert "unsafe-eval" not in csp
    assert "camera=()" in response["Permissions-Policy"]
    assert response["Referrer-Policy"] == "same-origin"
    assert response["Cross-Origin-Opener-Policy"] == "same-origin"
    html = response.content.decode()
    # A visitor's pages use no script, so they load none (htmx is for members' pages).
    assert "<script" not in html
    assert not EVENT_HANDLER.findall(html)


@pytest.mark.django_db
@pytest.mark.parametrize("debug", [True, False])
def test_members_pages_load_htmx_from_our_own_files(client, settings, org, make_member, debug):
    settings.DEBUG = debug
    client.force_login(make_member(unit=org.leeds))
    response = client.get(reverse("members:home"))
    html = response.content.decode()
    assert '<script src="/static/django_htmx/' in html
    assert not INLINE_SCRIPT.findall(html)
    assert not EVENT_HANDLER.findall(html)


@pytest.mark.django_db
def test_a_view_may_set_its_own_policy(rf):
    from django.http import HttpResponse

    from commonweal.core.middleware import SecurityHeadersMiddleware

    def view(request):
        response = HttpResponse()
        response["Content-Security-Policy"] = "sandbox"
        return response

    response = SecurityHeadersMiddleware(view)(rf.get("/"))
    assert response["Content-Security-Policy"] == "sandbox"
    assert response["Permissions-Policy"]


def test_production_cookies_are_secure_and_http_only():
    """Read the production settings in a fresh interpreter: they are fixed at import."""
    env = production_env()
    code = (
        "import commonweal.config.settings as s;"
        "print(s.SESSION_COOKIE_SECURE, s.CSRF_COOKIE_SECURE, s.SESSION_COOKIE_HTTPONLY,"
        " s.SECURE_SSL_REDIRECT, s.SECURE_HSTS_SECONDS > 0)"
    )
    result = subprocess.run(
        [sys.executable, "-c", code], cwd=ROOT, env=env, capture_output=True, text=True
    )
    assert result.stdout.split() == ["True"] * 5, result.stderr


@pytest.mark.browser
@pytest.mark.django_db(transaction=True)
@pytest.mark.parametrize("debug", [True, False])
def test_browser_sees_no_policy_violation_on_public_pages(
    live_server, page, settings, debug, org, make_member, sign_in
):
    """The `page` fixture fails on any console error, which is how Chromium reports them."""
    settings.DEBUG = debug
    # base.html names no icon, so Chromium asks for /favicon.ico; its 404 is not our subject.
    page.route("**/favicon.ico", lambda route: route.fulfill(status=204))
    for url_name in ("website:home", "account_login", "members:join"):
        response = page.goto(live_server.url + reverse(url_name))
        assert "script-src 'self'" in response.headers["content-security-policy"]
    # A member's pages run htmx under the same policy.
    sign_in(page, live_server.url, make_member(unit=org.leeds).email)
    page.wait_for_function("() => window.htmx !== undefined")


def test_no_template_carries_inline_script():
    """The policy would block it in the browser: keep code in static .js files instead."""
    offenders = []
    for template in sorted((ROOT / "commonweal").glob("**/templates/**/*.html")):
        text = template.read_text()
        for pattern in (INLINE_SCRIPT, EVENT_HANDLER, re.compile(r"javascript:", re.I)):
            offenders += [f"{template.relative_to(ROOT)}: {m}" for m in pattern.findall(text)]
    assert offenders == []
