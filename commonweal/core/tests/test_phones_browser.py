"""Phones first: the header, tables and long words at 360 px, and the header at 1280 px."""

import pytest

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

PHONE = {"width": 360, "height": 740}
DESKTOP = {"width": 1280, "height": 800}


def header_targets(page) -> list[dict]:
    """Every visible link and button in the header, with its height on screen."""
    return page.eval_on_selector_all(
        ".site-header a, .site-header button, .site-header summary",
        """els => els.filter(e => e.getClientRects().length)
            .map(e => ({name: e.innerText.trim(), height: e.getBoundingClientRect().height}))""",
    )


def overflows(page) -> bool:
    return page.evaluate("document.documentElement.scrollWidth > window.innerWidth")


def test_a_member_on_a_phone_opens_the_menu_with_the_keyboard(
    live_server, page, axe, org, make_member, sign_in
):
    member = make_member(unit=org.leeds)
    page.set_viewport_size(PHONE)
    sign_in(page, live_server.url, member.email)
    menu = page.locator(".site-menu > summary")
    # Closed: one line of header, the brand and the Menu button, nothing else in the way.
    assert menu.is_visible()
    assert not page.get_by_role("link", name="Rulebook").is_visible()
    assert page.locator(".site-header").bounding_box()["height"] < 70
    assert axe(page) == []

    menu.focus()
    page.keyboard.press("Enter")
    rulebook = page.get_by_role("link", name="Rulebook")
    rulebook.wait_for()
    assert page.get_by_role("button", name="Sign out").is_visible()
    targets = header_targets(page)
    assert len(targets) >= 10
    assert [t for t in targets if t["height"] < 44] == []
    assert not overflows(page)
    assert axe(page) == []
    rulebook.click()
    page.wait_for_url("**/rulebook/**")


def test_a_member_on_a_wide_screen_sees_the_navigation_as_one_row(
    live_server, page, axe, org, make_member, sign_in
):
    member = make_member(unit=org.leeds)
    page.set_viewport_size(DESKTOP)
    sign_in(page, live_server.url, member.email)
    assert not page.locator(".site-menu > summary").is_visible()
    links = [page.get_by_role("link", name=name, exact=True) for name in ("Home", "Rulebook")]
    assert all(link.is_visible() for link in links)
    home, rulebook = (link.bounding_box() for link in links)
    assert home["y"] == rulebook["y"]
    assert [t for t in header_targets(page) if t["height"] < 44] == []
    assert axe(page) == []


def test_a_visitor_gets_two_tall_links_and_no_script(live_server, page, axe, db):
    page.set_viewport_size(PHONE)
    page.goto(live_server.url + "/")
    targets = header_targets(page)
    assert [t["name"] for t in targets] == ["Commonweal", "Join", "Sign in"]
    assert [t for t in targets if t["name"] != "Commonweal" and t["height"] < 44] == []
    assert page.evaluate("document.scripts.length") == 0
    assert axe(page) == []


def display_of(page, selector: str) -> str:
    return page.eval_on_selector(selector, "e => getComputedStyle(e).display")


def test_listings_read_as_cards_on_a_phone_and_as_tables_on_a_wide_screen(
    live_server, page, axe, org, make_member, sign_in
):
    from commonweal.record.services import record_seal

    record_seal()  # the entries setting up the organisation, listed on /record/
    sign_in(page, live_server.url, make_member(unit=org.leeds).email)
    for path in ("/rulebook/", "/record/"):
        page.set_viewport_size(PHONE)
        page.goto(live_server.url + path)
        row = "main table.cards tbody tr"
        assert display_of(page, row) == "block"
        # Each value says which column it is: the column's name stands before it.
        labelled = page.eval_on_selector_all(
            "main table.cards td[data-label]",
            "els => els.map(e => getComputedStyle(e, '::before').content)",
        )
        assert all(label.strip('"') for label in labelled)
        assert not overflows(page)
        assert axe(page) == []
        page.set_viewport_size(DESKTOP)
        assert display_of(page, row) == "table-row"
        assert page.locator("main table.cards").first.get_attribute("class") == "cards"
    page.set_viewport_size(PHONE)
    page.goto(live_server.url + "/record/")
    assert page.locator("main table.cards td[data-label='When']").count() > 0
