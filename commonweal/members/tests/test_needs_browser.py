"""The home page's "What needs you" on a phone: readable at 360 px, every line a link to
where the member acts, the menu's counts shown (fetched after the page when none are
remembered), and nothing axe or the contrast check objects to."""

from datetime import timedelta

import pytest

from commonweal.core import clock
from commonweal.members import needs
from commonweal.members.services import member_apply
from commonweal.voting.services import vote_create, vote_open

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

PHONE = {"width": 360, "height": 740}


def test_a_national_officer_reads_what_needs_them_on_a_phone(
    live_server, page, axe, org, make_officer, sign_in
):
    officer = make_officer(body=org.leadership, unit=org.leeds)
    vote = vote_create(
        title="Adopt the Transportationinfrastructurerenewalprogrammeforeverytownandvillage",
        body=org.leadership,
        method="majority",
        closes_at=clock.now() + timedelta(days=2),
        created_by=None,
    )
    vote_open(vote=vote, opened_by=None)
    member_apply(
        email="bo@example.org",
        full_name="Bo Fraser",
        unit=org.leeds,
        password="correct horse battery staple",
    )
    page.set_viewport_size(PHONE)
    sign_in(page, live_server.url, officer.email)
    page.goto(f"{live_server.url}/members/")
    lines = page.locator("#what-needs-me ~ .need-list > li")
    lines.first.wait_for()
    texts = lines.all_inner_texts()
    assert len(texts) == 2
    # The vote closes in two days, the application's time for a decision in fourteen.
    assert "Adopt the" in texts[0]
    assert "Bo Fraser" in texts[1]
    assert page.locator("#organisation-overview").is_visible()
    assert not page.evaluate("document.documentElement.scrollWidth > window.innerWidth")
    assert axe(page) == []

    # Forgotten counts are fetched by the menu after the page has loaded.
    needs.forget(officer.pk)
    page.goto(f"{live_server.url}/rulebook/")
    page.locator(".site-menu > summary").click()
    badge = page.locator("#need-count-voting-list .badge")
    badge.wait_for()
    assert badge.inner_text().startswith("1")
    assert page.locator("#need-count-members-home .badge").inner_text().startswith("2")
    assert axe(page) == []

    page.locator("#need-count-voting-list").locator("xpath=..").click()
    page.wait_for_url("**/votes/")
