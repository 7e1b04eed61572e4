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
