"""Fixtures shared by every app's tests: an organisation, members, the worker, a browser."""

import os
import signal
import time
from pathlib import Path
from unittest import mock

import pytest
from django.core.management import call_command
from django.db import connection
from django.http import HttpRequest
from django_tasks_db.management.commands import db_worker

os.environ.setdefault("DJANGO_ALLOW_ASYNC_UNSAFE", "true")

AXE_JS = Path(__file__).parent / "commonweal" / "core" / "tests" / "vendor" / "axe.min.js"
CHROMIUM = "/usr/bin/chromium"
AXE_ATTEMPTS = 5
# axe leaves text over a transparent background "incomplete" rather than failing it (white
# link-buttons on white passed it): measure every visible control's text against the first
# opaque background behind it, as a reader sees it.
CONTROL_CONTRAST_JS = (AXE_JS.parent.parent / "control_contrast.js").read_text()
WORKER_SIGNALS = (signal.SIGINT, signal.SIGTERM, signal.SIGQUIT)
TOTP_SECRET = "JBSWY3DPEHPK3PXPJBSWY3DPEHPK3PXP"  # noqa: S105 - test-only authenticator
CHROMIUM_ARGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-quic",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--no-first-run",
]


@pytest.fixture(autouse=True)
def _rulebook_after_flush(request):
    """Transactional tests flush every table, the migrated rulebook with them: put it back."""
    marker = request.node.get_closest_marker("django_db")
    transactional = bool(marker and marker.kwargs.get("transaction")) or (
        "transactional_db" in request.fixturenames or "live_server" in request.fixturenames
    )
    if transactional:
        request.getfixturevalue("transactional_db")
        from commonweal.rulebook.services import rulebook_install_default

        rulebook_install_default()


@pytest.fixture(autouse=True)
def _email_in_memory(settings):
    settings.EMAIL_BACKEND = "django.core.mail.backends.locmem.EmailBackend"


@pytest.fixture(autouse=True)
def _fast_passwords_and_fresh_cache(settings):
    """Tests need no slow hashing, and rate-limit counters must not leak between tests."""
    from django.core.cache import cache

    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
    cache.clear()


@pytest.fixture(autouse=True)
def _force_login_is_a_finished_sign_in(monkeypatch):
    """The test client's `force_login` stands for a sign-in that passed every factor.

    The real ways in (allauth's login with its authenticator step, the admin's, each of
    them rate-limited) are tested through their pages in
    members/tests/test_security_two_factor.py.
    """
    from allauth.account.internal.flows.login import record_authentication
    from django.test.client import ClientMixin

    signed_in = ClientMixin._login

    def _login(client, user, backend=None):
        signed_in(client, user, backend)
        session = client.session
        request = HttpRequest()
        request.session = session
        record_authentication(request, user, "password")
        record_authentication(request, user, "mfa", type="totp")
        session.save()

    monkeypatch.setattr(ClientMixin, "_login", _login)


def run_on_commit_callbacks() -> int:
    """Run what would have run at commit; a test's transaction never commits.

    The same thing Django's captureOnCommitCallbacks does, without waiting for the
    end of a `with` block.
    """
    ran = 0
    while connection.run_on_commit:
        pending = list(connection.run_on_commit)
        connection.run_on_commit.clear()
        for _savepoints, callback, _robust in pending:
            callback()
            ran += 1
    return ran


@pytest.fixture
def one_rate_window():
    """Pin the platform's clock to the start of this hour: the rate limits' fixed windows
    (a minute, ten minutes, an hour) then hold a test's whole run of attempts, which the
    wall clock could split across a window's end."""
    from datetime import UTC, datetime

    from commonweal.core import clock

    with clock.frozen(datetime.fromtimestamp(time.time() // 3600 * 3600 + 1, UTC)) as moment:
        yield moment


@pytest.fixture
def on_commit():
    return run_on_commit_callbacks


@pytest.fixture
def run_worker():
    """Fire commit hooks, then run the real database task worker until nothing is left."""

    def run() -> None:
        # The worker installs its own signal handlers and closes "old" connections
        # between tasks; inside a test neither may touch the test's process or transaction.
        saved = {sig: signal.getsignal(sig) for sig in WORKER_SIGNALS}
        try:
            with mock.patch.object(db_worker, "close_old_connections", return_value=None):
                while True:
                    run_on_commit_callbacks()
                    call_command(
                        "db_worker",
                        "--batch",
                        "--no-startup-delay",
                        "--no-reload",
                        "--queue-name",
                        "*",
                        verbosity=0,
                    )
                    if not connection.run_on_commit:
                        return
        finally:
            for sig, handler in saved.items():
                signal.signal(sig, handler)

    return run


@pytest.fixture
def org(db):
    """A small organisation: nation → two regions → three branches, a transport section."""
    from commonweal.organisation.models import Body, Unit
    from commonweal.organisation.services import body_create, unit_create

    nation = unit_create(name="Nation", kind=Unit.Kind.NATIONAL)
    north = unit_create(name="North", kind=Unit.Kind.REGION, parent=nation)
    south = unit_create(name="South", kind=Unit.Kind.REGION, parent=nation)
    leeds = unit_create(name="Leeds", kind=Unit.Kind.BRANCH, parent=north)
    york = unit_create(name="York", kind=Unit.Kind.BRANCH, parent=north)
    brighton = unit_create(name="Brighton", kind=Unit.Kind.BRANCH, parent=south)
    leadership = body_create(name="National Committee", kind=Body.Kind.LEADERSHIP, unit=nation)
    transport = body_create(
        name="Transport Section", kind=Body.Kind.POLICY_SECTION, unit=nation, subject="transport"
    )

    class Org:
        pass

    o = Org()
    o.nation, o.north, o.south = nation, north, south
    o.leeds, o.york, o.brighton = leeds, york, brighton
    o.leadership, o.transport = leadership, transport
    return o


@pytest.fixture
def set_rule(db):
    """Bring a changed rulebook into force for one test."""
    from commonweal.rulebook.models import RulebookVersion
    from commonweal.rulebook.selectors import current

    def change(dotted: str, value) -> None:
        section, _, name = dotted.partition(".")
        row = RulebookVersion.objects.get(number=current().version)
        rules = dict(row.rules)
        rules[section] = {**rules[section], name: value}
        row.rules = rules
        row.save(update_fields=["rules"])

    return change


@pytest.fixture
def make_member(db):
    from commonweal.members.tests.factories import MemberFactory

    return MemberFactory


@pytest.fixture
def make_officer(db, make_member):
    """A member who chairs the assembly of the given unit (or a body)."""
    from allauth.mfa.totp.internal.auth import TOTP

    from commonweal.organisation.models import BodyMembership
    from commonweal.organisation.selectors import assembly_of
    from commonweal.organisation.services import body_membership_add

    def make(of=None, body=None, role=BodyMembership.Role.CHAIR, two_factor=True, **fields):
        """`of` is the unit whose assembly they chair; they live there if it is a branch.

        Office-holders must use two-factor authentication, so they get a TOTP
        authenticator with the known test secret (`sign_in` answers its challenge).
        """
        target = body or assembly_of(of)
        if of is not None and of.is_basic:
            fields.setdefault("unit", of)
        member = make_member(**fields)
        body_membership_add(body=target, member=member, role=role)
        if two_factor:
            TOTP.activate(member, TOTP_SECRET)
        return member

    return make


def totp_code(secret: str = TOTP_SECRET) -> str:
    from allauth.mfa.totp.internal.auth import format_hotp_value, hotp_value

    return format_hotp_value(hotp_value(secret, int(time.time()) // 30))


@pytest.fixture
def sign_in():
    """Sign in through the real login page, answering the two-factor step if asked."""
    from commonweal.members.tests.factories import PASSWORD

    def go(page, base_url: str, email: str, password: str = PASSWORD) -> None:
        page.goto(f"{base_url}/accounts/login/")
        page.fill("input[name=login]", email)
        page.fill("input[name=password]", password)
        page.click("main button[type=submit]")
        page.wait_for_load_state()
        if page.locator("input[name=code]").count():
            page.fill("input[name=code]", totp_code())
            page.click("main button[type=submit]")
            page.wait_for_load_state()

    return go


@pytest.fixture(scope="session")
def browser_instance():
    if not Path(CHROMIUM).exists():
        pytest.skip("Debian's chromium is not installed (make test installs it as root)")
    from playwright.sync_api import sync_playwright

    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS)
        yield browser
        browser.close()


@pytest.fixture
def page(browser_instance):
    """A fresh browser page at phone width that fails the test on any JavaScript error."""
    context = browser_instance.new_context(viewport={"width": 390, "height": 844})
    page = context.new_page()
    errors: list[str] = []
    page.on("pageerror", lambda exc: errors.append(str(exc)))
    page.on("console", lambda msg: errors.append(msg.text) if msg.type == "error" else None)
    yield page
    context.close()
    assert not errors, f"JavaScript errors on the page: {errors}"


def _navigation_race(exc: Exception) -> bool:
    """Whether the error came from a page being replaced while axe was injected."""
    text = str(exc)
    return "appendChild" in text or "context was destroyed" in text or "navigat" in text


@pytest.fixture
def axe():
    """Run axe-core on the page; return the serious and critical violations."""

    from playwright.sync_api import Error as PlaywrightError

    def check(page) -> list[dict]:
        # Served from the page's own origin so the Content-Security-Policy allows it.
        origin = "/".join(page.url.split("/")[:3])
        page.route(
            f"{origin}/__axe__.js",
            lambda route: route.fulfill(path=str(AXE_JS), content_type="application/javascript"),
        )
        result = None
        for attempt in range(AXE_ATTEMPTS):
            # A click on a link returns before the next page has loaded; injecting then
            # finds no document head or loses its context, so wait and try again.
            page.wait_for_load_state()
            try:
                page.add_script_tag(url=f"{origin}/__axe__.js")
                result = page.evaluate("async () => await axe.run(document)")
                break
            except PlaywrightError as exc:
                if attempt == AXE_ATTEMPTS - 1 or not _navigation_race(exc):
                    raise
                page.wait_for_timeout(100)
        assert result is not None
        found = [
            {
                "id": v["id"],
                "impact": v["impact"],
                "help": v["help"],
                "nodes": [n["target"] for n in v["nodes"]][:5],
            }
            for v in result["violations"]
            if v["impact"] in {"serious", "critical"}
        ]
        faint = page.evaluate(CONTROL_CONTRAST_JS)
        if faint:
            found.append(
                {
                    "id": "control-contrast",
                    "impact": "serious",
                    "help": "Controls must contrast with what is behind them (4.5:1, 3:1 large)",
                    "nodes": faint[:5],
                }
            )
        return found

    return check
