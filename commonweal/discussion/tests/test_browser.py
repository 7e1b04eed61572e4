"""A debate and an opinion map as members use them, in a real browser."""

import pytest

from commonweal.discussion import services
from commonweal.discussion.models import Contribution, StatementVote
from commonweal.members.tests.factories import PASSWORD

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def sign_in(page, base, email):
    page.goto(f"{base}/accounts/login/")
    page.fill("input[name=login]", email)
    page.fill("input[name=password]", PASSWORD)
    page.click("main button[type=submit]")
    page.wait_for_url(lambda url: "/accounts/login/" not in url)


def test_a_member_argues_against_and_votes_on_the_opinion_map(
    live_server, page, axe, debate, section_member
):
    base = live_server.url
    services.contribution_post(
        debate=debate, author=debate.opened_by, stance="for", text="Cleaner air for all"
    )
    opinion_map = services.opinion_map_open(debate=debate, opened_by=debate.opened_by)
    for text in ["Buses should be free", "Frequency matters more than fares"]:
        services.statement_add(opinion_map=opinion_map, author=debate.opened_by, text=text)
    member = section_member(email="rosa@example.org")

    sign_in(page, base, member.email)
    page.goto(f"{base}/discussion/debates/{debate.pk}/")
    assert "Cleaner air" in page.inner_text("#for")
    assert axe(page) == []
    page.check("input[name=stance][value=against]")
    page.fill("#id_text", "Fares pay the drivers")
    page.click("#post-argument")
    page.wait_for_selector("#against >> text=Fares pay the drivers")
    assert "Fares pay" not in page.inner_text("#for")
    assert Contribution.objects.filter(author=member, stance="against").count() == 1
    assert axe(page) == []

    page.goto(f"{base}/discussion/debates/{debate.pk}/map/")
    assert axe(page) == []
    first = page.inner_text("#vote legend >> nth=0")
    page.click("#vote form >> nth=0 >> button[value=agree]")
    page.wait_for_function(
        "text => !document.querySelector('#vote').innerText.includes(text) "
        "|| document.querySelectorAll('#vote form').length === 1",
        arg=first,
    )
    assert StatementVote.objects.filter(member=member).count() == 1
    assert axe(page) == []
