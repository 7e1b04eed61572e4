"""Fixtures shared by every app's tests: an organisation, members, the worker, a browser."""

import os
from pathlib import Path

import pytest
from django.core.management import call_command
from django.db import connection

os.environ.setdefault("DJANGO_ALLOW_ASYNC_UNSAFE", "true")

AXE_JS = Path(__file__).parent / "commonweal" / "core" / "tests" / "vendor" / "axe.min.js"
CHROMIUM = "/usr/bin/chromium"
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
def _email_in_memory(settings):
    settings.EMAIL_BACKEND = "django.core.mail.backends.locmem.EmailBackend"


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
def on_commit():
    return run_on_commit_callbacks


@pytest.fixture
def run_worker():
    """Fire commit hooks, then run the real database task worker until nothing is left."""

    def run() -> None:
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
def make_member(db):
    from commonweal.members.tests.factories import MemberFactory

    return MemberFactory


@pytest.fixture
def make_officer(db, make_member):
    """A member who chairs the assembly of the given unit (or a body)."""
    from commonweal.organisation.models import BodyMembership
    from commonweal.organisation.selectors import assembly_of
    from commonweal.organisation.services import body_membership_add

    def make(of=None, body=None, role=BodyMembership.Role.CHAIR, **fields):
        """`of` is the unit whose assembly they chair; they live there if it is a branch."""
        target = body or assembly_of(of)
        if of is not None and of.is_basic:
            fields.setdefault("unit", of)
        member = make_member(**fields)
        body_membership_add(body=target, member=member, role=role)
        return member

    return make


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


@pytest.fixture
def axe():
    """Run axe-core on the page; return the serious and critical violations."""

    def check(page) -> list[dict]:
        page.add_script_tag(path=str(AXE_JS))
        result = page.evaluate("async () => await axe.run(document)")
        return [
            {
                "id": v["id"],
                "impact": v["impact"],
                "help": v["help"],
                "nodes": [n["target"] for n in v["nodes"]][:5],
            }
            for v in result["violations"]
            if v["impact"] in {"serious", "critical"}
        ]

    return check
