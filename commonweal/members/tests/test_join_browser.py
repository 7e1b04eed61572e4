"""The join → accept flow as people live it, in a real browser."""

import pytest
from django.core import mail

from commonweal.members.models import Member
from commonweal.members.services import member_apply

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def test_a_person_joins_and_the_branch_officer_accepts(
    live_server, page, axe, org, make_officer, run_worker, sign_in
):
    base = live_server.url
    officer = make_officer(org.leeds, email="secretary@leeds.example")

    page.goto(f"{base}/members/join/")
    assert axe(page) == []
    page.fill("input[name=full_name]", "Ana Costa")
    page.fill("input[name=email]", "ana@example.org")
    page.select_option("select[name=unit]", label="Leeds")
    page.fill("textarea[name=statement]", "I met you at the bus campaign stall.")
    page.fill("input[name=password]", "correct horse battery staple")
    page.click("main button[type=submit]")
    assert "application has been received" in page.inner_text("main")

    sign_in(page, base, officer.email)
    page.goto(f"{base}/members/applications/")
    assert "Ana Costa" in page.inner_text("main")
    assert axe(page) == []
    page.click("button[value=accept]")
    assert "has been accepted" in page.inner_text("main")
    page.locator(".site-menu > summary").click()
    page.click("button:has-text('Sign out')")

    run_worker()
    welcome = [m for m in mail.outbox if m.to == ["ana@example.org"]]
    assert len(welcome) == 1
    assert "accepted" in welcome[0].body
    assert Member.objects.get(email="ana@example.org").is_member

    sign_in(page, base, "ana@example.org", "correct horse battery staple")
    page.wait_for_url(f"{base}/members/")
    text = page.inner_text("main")
    assert "Welcome, Ana Costa" in text
    assert "Leeds" in text
    assert axe(page) == []


def test_a_declined_applicant_sees_the_reason(live_server, page, org, make_officer, sign_in):
    base = live_server.url
    officer = make_officer(org.leeds)
    member_apply(
        email="bo@example.org",
        full_name="Bo",
        unit=org.leeds,
        password="correct horse battery staple",
    )
    sign_in(page, base, officer.email)
    page.goto(f"{base}/members/applications/")
    page.click("button[value=decline]")
    assert "reason" in page.inner_text("main").lower()
    page.fill("textarea[name=reason]", "Please join the York branch, where you live.")
    page.click("button[value=decline]")
    page.locator(".site-menu > summary").click()
    page.click("button:has-text('Sign out')")
    sign_in(page, base, "bo@example.org", "correct horse battery staple")
    assert "Please join the York branch" in page.inner_text("main")
