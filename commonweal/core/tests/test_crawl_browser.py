"""Every page each demo role reaches from its home page, at 360 px, as that person sees it.

For a visitor, a plain member, a branch officer, a section chair and a national officer of
the demo organisation: sign in, open the home page, and visit every same-site page it links
to (the navigation included); then, one step further, each kind of page those pages link to
that the crawl has not checked yet for any role (a kind is a path with its numbers taken
out, `/votes/N/result/`), so every kind of page reached in two clicks is checked once
without walking all 200 members. Each must answer below 400, pass axe (control contrast
included), fit 360 px without scrolling sideways, and raise no JavaScript error. One browser
context per role; every failure is collected and reported together.
"""

import io
import re
import time
from urllib.parse import urldefrag, urlsplit

import pytest
from django.core.management import call_command
from playwright.sync_api import Error as PlaywrightError

from commonweal.core.demo import DEMO_PASSWORD

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

PHONE = {"width": 360, "height": 740}
ROLES = [
    ("visitor", None),
    ("plain member", "member@commonweal.demo"),
    ("branch officer", "leeds.secretary@commonweal.demo"),
    ("section chair", "transport.chair@commonweal.demo"),
    ("national officer", "admin@commonweal.demo"),
]
# Files rather than pages (downloads, feeds, calendars), and the admin, are not crawled.
NOT_PAGES = (
    ".csv",
    ".ics",
    ".xml",
    ".json",
    ".atom",
    ".rss",
    "/feed/",
    "/download",
    "/export/",
    "/admin/",
)

SAME_SITE_LINKS = """origin => [...document.querySelectorAll('a[href]')]
    .filter(a => !a.hasAttribute('download'))
    .map(a => a.href)
    .filter(href => href.startsWith(origin + '/'))"""


def pages_linked(page, origin: str) -> list[str]:
    seen = []
    for href in page.evaluate(SAME_SITE_LINKS, origin):
        url = urldefrag(href).url
        path = urlsplit(url).path
        if url not in seen and not any(part in path for part in NOT_PAGES):
            seen.append(url)
    return seen


def kind_of(url: str) -> str:
    return re.sub(r"/\d+(?=/|$)", "/N", urlsplit(url).path)


def check(page, url: str, errors: list[str], axe) -> tuple[list[str], list[str]]:
    """Open one page; return its problems and the same-site pages it links to."""
    errors.clear()
    parts = urlsplit(url)
    try:
        response = page.goto(url)
    except PlaywrightError as exc:
        if "Download is starting" in str(exc):  # a file, not a page
            return [], []
        raise
    where = parts.path + (f"?{parts.query}" if parts.query else "")
    if response is None or response.status >= 400:
        return [f"{where}: status {response.status if response else 'none'}"], []
    page.wait_for_load_state()
    problems = []
    width = page.evaluate("[document.documentElement.scrollWidth, window.innerWidth]")
    if width[0] > width[1]:
        problems.append(f"{where}: {width[0]} px wide at {width[1]} px")
    for violation in axe(page):
        problems.append(f"{where}: axe {violation['id']} {violation['nodes']}")
    if errors:
        problems.append(f"{where}: JavaScript errors {errors}")
    origin = f"{parts.scheme}://{parts.netloc}"
    return problems, pages_linked(page, origin)


def crawl(
    context, origin: str, email: str | None, axe, sign_in, kinds: set[str]
) -> tuple[list[str], int]:
    """Visit the role's home, all it links to, and the kinds not yet in `kinds` beyond."""
    page = context.new_page()
    errors: list[str] = []
    page.on("pageerror", lambda exc: errors.append(str(exc)))
    page.on("console", lambda msg: errors.append(msg.text) if msg.type == "error" else None)
    if email:
        sign_in(page, origin, email, DEMO_PASSWORD)
        assert "/accounts/login/" not in page.url, f"{email} could not sign in"
    home = origin + ("/members/" if email else "/")
    problems, first = check(page, home, errors, axe)
    visited = {home}
    kinds.add(kind_of(home))
    further: list[str] = []
    for url in first:
        if url in visited:
            continue
        visited.add(url)
        kinds.add(kind_of(url))
        found, links = check(page, url, errors, axe)
        problems += found
        further += [link for link in links if link not in further]
    for url in further:
        if url in visited or kind_of(url) in kinds:
            continue
        visited.add(url)
        kinds.add(kind_of(url))
        problems += check(page, url, errors, axe)[0]
    page.close()
    return problems, len(visited)


def test_every_page_linked_from_each_roles_home_works_at_360_px(
    live_server, browser_instance, axe, sign_in
):
    call_command("load_demo", members=200, stdout=io.StringIO())
    report = []
    kinds: set[str] = set()
    for role, email in ROLES:
        started = time.monotonic()
        context = browser_instance.new_context(viewport=PHONE)
        # base.html names no icon, so Chromium asks for /favicon.ico; its 404 is not a page's.
        context.route("**/favicon.ico", lambda route: route.fulfill(status=204))
        try:
            problems, visited = crawl(context, live_server.url, email, axe, sign_in, kinds)
        finally:
            context.close()
        print(f"{role}: {visited} pages in {time.monotonic() - started:.1f}s")
        assert visited > 3, f"{role}'s home page links to almost nothing"
        report += [f"{role}: {problem}" for problem in problems]
    assert report == [], "\n".join(report)
