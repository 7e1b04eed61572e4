"""Casting a ranked secret ballot and reading the result, in a real browser."""

import re
from datetime import timedelta

import pytest

from commonweal.core import clock
from commonweal.members.tests.factories import PASSWORD
from commonweal.voting import services

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def _sign_in(page, base, email):
    page.goto(f"{base}/accounts/login/")
    page.fill("input[name=login]", email)
    page.fill("input[name=password]", PASSWORD)
    page.click("main button[type=submit]")
    page.wait_for_load_state()


def test_a_member_ranks_candidates_keeps_the_receipt_and_finds_it(
    live_server, page, axe, org, make_member
):
    base = live_server.url
    member = make_member(unit=org.leeds)
    others = [make_member(unit=org.york) for _ in range(2)]
    vote = services.vote_create(
        title="Theme of the conference",
        body=org.leadership,
        method="schulze",
        secret=True,
        electorate=org.north,
        candidates=["Housing", "Transport", "Health"],
        closes_at=clock.now() + timedelta(days=1),
        created_by=None,
    )
    vote = services.vote_open(vote=vote, opened_by=None)
    services.ballot_cast(vote=vote, voter=others[0], ranking=["Housing", "Health"])
    services.ballot_cast(vote=vote, voter=others[1], ranking=["Transport"])

    _sign_in(page, base, member.email)
    page.goto(f"{base}/votes/{vote.pk}/")
    assert axe(page) == []
    # A repeated rank number is refused and nothing is cast.
    page.fill("#rank-0", "1")
    page.fill("#rank-1", "1")
    page.click("#cast button[type=submit]")
    page.wait_for_selector("#cast-error")
    assert "more than one candidate" in page.inner_text("#cast")
    page.fill("#rank-0", "2")
    page.fill("#rank-1", "")
    page.fill("#rank-2", "1")
    page.fill("#rank-1", "3")
    page.click("#cast button[type=submit]")
    page.wait_for_selector(".receipt-code code")
    receipt = page.inner_text(".receipt-code code")
    assert re.fullmatch(r"[A-Z2-7]{4}(-[A-Z2-7]{4}){5}", receipt)
    assert axe(page) == []

    services.vote_close(vote=vote)
    page.goto(f"{base}/votes/{vote.pk}/result/")
    text = page.inner_text("main")
    assert "Strongest beat-paths" in text
    assert "Pairwise preferences" in text
    assert "Schulze method" in text
    assert axe(page) == []
    page.fill("#receipt", receipt)
    page.click("form[action$='/result/'] button[type=submit]")
    page.wait_for_selector("p[role=status]")
    assert "Your ballot is in the count: Health, Housing, Transport" in page.inner_text("main")
