"""A member's long word on a phone: it wraps instead of widening the page."""

import pytest

from commonweal.discussion import services

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

WORD = "Busfares" * 50  # 400 characters without a space


def test_a_400_character_word_does_not_widen_the_debate_page_at_360_px(
    live_server, page, axe, org, section_member, sign_in
):
    opener = section_member()
    debate = services.debate_open(
        space_body=org.transport,
        question=f"Should {WORD[:280]} be free?",
        description=f"Background: {WORD}",
        opened_by=opener,
    )
    services.contribution_post(debate=debate, author=opener, stance="for", text=WORD)
    services.contribution_post(
        debate=debate, author=opener, stance="against", text=f"`{WORD}`\n\n    {WORD}"
    )
    page.set_viewport_size({"width": 360, "height": 740})
    sign_in(page, live_server.url, section_member().email)
    for path in (f"/discussion/debates/{debate.pk}/", "/discussion/"):
        page.goto(live_server.url + path)
        page.get_by_text(WORD[:40]).first.wait_for()
        widths = page.evaluate("[document.documentElement.scrollWidth, window.innerWidth]")
        assert widths == [360, 360], path
        assert axe(page) == []
