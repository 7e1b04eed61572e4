"""The public pages in a real browser at phone width, checked with axe-core."""

import pytest
from django.urls import reverse

from commonweal.news.services import news_publish

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def test_home_news_item_and_about_pages_are_accessible(live_server, page, axe, org, make_officer):
    from django.core.cache import cache

    cache.clear()
    item = news_publish(
        author=make_officer(of=org.leeds),
        unit=org.leeds,
        title="Stall at the market",
        body="Come and help on **Saturday**.\n\n- leaflets\n- petitions",
        is_public=True,
    )
    page.goto(live_server.url + "/")
    assert page.get_by_role("heading", level=1).is_visible()
    assert page.get_by_role("link", name="Stall at the market").is_visible()
    assert axe(page) == []
    page.get_by_role("link", name="Stall at the market").click()
    page.wait_for_url(f"**{item.get_absolute_url()}")
    assert page.get_by_role("heading", name="Stall at the market").is_visible()
    assert axe(page) == []
    page.goto(live_server.url + reverse("website:about"))
    assert page.get_by_role("link", name="Join us").first.is_visible()
    assert axe(page) == []


def test_join_page_and_published_policies_with_their_history_are_accessible(
    live_server, page, axe, org
):
    from django.core.cache import cache

    from commonweal.core import clock
    from commonweal.policy.models import Policy, PolicyVersion

    cache.clear()
    policy = Policy.objects.create(
        title="Free public transport",
        slug="free-public-transport",
        summary="Buses and trams free at the point of use.",
        section=org.transport,
        published_at=clock.now(),
    )
    for number, text in ((1, "Fares halved."), (2, "Fares abolished on buses and trams.")):
        PolicyVersion.objects.create(
            policy=policy,
            number=number,
            title=policy.title,
            text=text,
            published_at=clock.now(),
        )
    page.goto(live_server.url + reverse("website:join"))
    assert page.get_by_role("heading", level=1).is_visible()
    assert axe(page) == []

    page.goto(live_server.url + reverse("policies:list"))
    assert axe(page) == []
    page.get_by_role("link", name="Free public transport").click()
    page.wait_for_url(f"**{policy.get_absolute_url()}")
    assert "Fares abolished on buses and trams." in page.inner_text("main")
    assert page.get_by_role("heading", name="Version history").is_visible()
    assert page.get_by_role("heading", name="What changed from version 1 to version 2").is_visible()
    assert axe(page) == []
