"""Searching from the header, in a real browser, on a wide screen and on a phone."""

import pytest

from .conftest import COMMON

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def test_a_member_searches_from_the_header_and_opens_a_result(
    live_server, page, axe, corpus, sign_in, org, make_member
):
    page.set_viewport_size({"width": 1280, "height": 800})
    sign_in(page, live_server.url, make_member(unit=org.leeds).email)
    opener = page.locator(".site-search summary")
    links = page.locator(".site-menu li:not(.site-search)")
    # One row: the search button sits on the line of the menu's first and last links.
    rows = {round(links.first.bounding_box()["y"]), round(links.last.bounding_box()["y"])}
    assert len(rows) == 1
    assert abs(opener.bounding_box()["y"] - links.first.bounding_box()["y"]) < 12
    assert opener.bounding_box()["height"] >= 44
    assert axe(page) == []

    opener.click()
    box = page.get_by_role("searchbox", name="Words to find")
    box.wait_for()
    box.fill("tram fares")
    box.press("Enter")
    result = page.get_by_role("link", name=f"Cheaper tram fares {COMMON}")
    result.wait_for()
    assert page.locator("mark").first.inner_text().lower() == "tram"
    assert axe(page) == []

    page.get_by_label("Kind").select_option(label="News")
    page.get_by_role("main").get_by_role("searchbox").fill(COMMON)
    page.get_by_role("main").get_by_role("button", name="Search").click()
    news = page.get_by_role("link", name=f"Branch news {COMMON}")
    news.wait_for()
    assert page.locator(".search-results > li").count() == 1
    news.click()
    page.wait_for_url("**/news/*/")


def test_on_a_phone_the_search_box_is_in_the_menu(live_server, page, axe, corpus, sign_in):
    page.set_viewport_size({"width": 360, "height": 740})
    sign_in(page, live_server.url, corpus.people["member"].email)
    box = page.get_by_role("searchbox", name="Words to find")
    assert not box.is_visible()
    page.locator(".site-menu > summary").click()
    box.wait_for()
    box.fill("picket")
    box.press("Enter")
    page.get_by_role("link", name=f"Should we picket the depot {COMMON}?").wait_for()
    assert page.evaluate("document.documentElement.scrollWidth <= window.innerWidth")
    assert axe(page) == []
