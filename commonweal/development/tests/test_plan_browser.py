"""A member keeps a development plan in a real browser at 360 px: starts it, adds a goal
and a dated step, marks it done and sees the progress bar move; asks for a mentor; the
register's search and the offers page work for her officer; axe-core finds nothing."""

import re

import pytest

from commonweal.development.models import Mentoring, Plan

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def _check(page, axe):
    assert axe(page) == [], page.url
    assert page.evaluate("document.documentElement.scrollWidth") <= 360, page.url


def test_a_member_builds_her_plan_and_asks_for_a_mentor(
    live_server, page, axe, sign_in, org, make_member
):
    base = live_server.url
    page.set_viewport_size({"width": 360, "height": 800})
    rosa = make_member(unit=org.leeds, full_name="Rosa Ruiz")
    sign_in(page, base, rosa.email)

    page.goto(f"{base}/development/")
    _check(page, axe)
    page.get_by_label("What I want to develop").fill("Chair meetings well")
    page.get_by_role("button", name="Start my plan").click()
    page.wait_for_url(f"{base}/development/")
    page.get_by_label("New goal").fill("Chair a branch meeting")
    page.get_by_role("button", name="Add the goal").click()
    page.wait_for_url(f"{base}/development/")
    page.get_by_label("New step").fill("Take the chairing course")
    page.get_by_label("By (optional)").fill("2027-03-01")
    page.get_by_role("button", name="Add the step").click()
    page.wait_for_url(f"{base}/development/")
    assert "0 of 1 steps done" in page.inner_text("main")
    page.get_by_role("button", name=re.compile(r"^Done\W+Take the chairing course")).click()
    page.wait_for_url(f"{base}/development/")
    assert "1 of 1 steps done" in page.inner_text("main")
    assert page.locator("progress").get_attribute("value") == "100"
    _check(page, axe)
    assert Plan.objects.get(member=rosa).goals.get().steps.get().done_on is not None

    page.get_by_role("link", name="Mentoring").first.click()
    page.wait_for_load_state()
    page.get_by_label("What would you like a mentor to help you with? (optional)").fill(
        "Public speaking"
    )
    page.get_by_role("button", name="Ask for a mentor").click()
    page.wait_for_load_state()
    assert "looking for a mentor" in page.inner_text("main")
    _check(page, axe)
    assert Mentoring.objects.get(mentee=rosa).status == Mentoring.Status.ASKED


def test_an_officer_searches_the_register_at_phone_width(
    live_server, page, axe, sign_in, org, make_member, make_officer
):
    base = live_server.url
    page.set_viewport_size({"width": 360, "height": 800})
    make_member(unit=org.leeds, full_name="Rosa Ruiz", skills=["Spanish translation"])
    officer = make_officer(org.leeds)
    sign_in(page, base, officer.email)
    page.goto(f"{base}/members/register/")
    _check(page, axe)
    page.get_by_label("Who can").fill("spanish")
    page.get_by_role("button", name="Search").click()
    page.wait_for_load_state()
    assert "Rosa Ruiz" in page.inner_text("main")
    _check(page, axe)
