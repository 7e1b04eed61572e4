"""The stepper on a phone: readable at 360 px, no horizontal scrolling, nothing axe objects to."""

import pytest

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def _fits(page) -> bool:
    return page.evaluate("document.documentElement.scrollWidth <= window.innerWidth")


def test_a_circulating_proposal_at_360_px(
    live_server, page, axe, sign_in, circulating, org, make_member
):
    member = make_member(unit=org.leeds)
    page.set_viewport_size({"width": 360, "height": 740})
    sign_in(page, live_server.url, member.email)
    page.goto(f"{live_server.url}/policy/{circulating.pk}/")

    current = page.locator('ol.stepper li[aria-current="step"]')
    current.wait_for()
    assert page.locator("ol.stepper > li").count() == 8
    assert "Circulation" in current.inner_text()
    assert "Current step" in current.inner_text()
    assert page.get_by_text("Circulation closes on").is_visible()
    assert page.get_by_role("link", name="Take part in the discussion in Leeds").is_visible()
    assert _fits(page)
    assert axe(page) == []

    page.goto(f"{live_server.url}/policy/")
    page.get_by_text("Step 4 of 8, circulation").wait_for()
    assert _fits(page)
    assert axe(page) == []


def test_an_expired_proposal_at_360_px(live_server, page, axe, sign_in, threshold, propose, author):
    from datetime import timedelta

    from commonweal.core import clock
    from commonweal.policy import services

    proposal = propose()
    with clock.frozen(proposal.stage_deadline + timedelta(minutes=1)):
        services.proposals_sweep()
    page.set_viewport_size({"width": 360, "height": 740})
    sign_in(page, live_server.url, author.email)
    page.goto(f"{live_server.url}/policy/{proposal.pk}/")
    page.get_by_text("so the policy change process was not launched").wait_for()
    assert page.locator('ol.stepper li[aria-current="step"]').count() == 0
    assert page.locator("ol.stepper li.step-ended").inner_text().count("Ended here") == 1
    assert _fits(page)
    assert axe(page) == []
