"""A meeting followed in a real browser: the speakers' list changes on a member's screen
without a reload, and the projector reads at phone and room-screen widths."""

import re
from datetime import timedelta

import pytest
from django.utils import timezone

from commonweal.meetings import selectors, services

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


@pytest.fixture
def running(org, chair, join, make_member):
    """A leadership meeting under way, everyone present, on the fares item."""
    members = [join(make_member(unit=org.leeds, full_name=n)) for n in ("Rita Quayle", "Sam Okoro")]
    meeting = services.meeting_schedule(
        body=org.leadership,
        kind="in_person",
        title="Committee",
        opens_at=timezone.now() - timedelta(minutes=5),
        closes_at=timezone.now() + timedelta(hours=2),
        place="Leeds",
        scheduled_by=chair,
    )
    item = services.agenda_item_add(
        meeting=meeting, kind="motion", title="Bus fares", added_by=chair
    )
    for member in (chair, *members):
        services.attendance_register(meeting=meeting, member=member)
    return meeting, item, members


def test_the_speakers_list_changes_on_screen_without_a_reload(
    live_server, page, axe, sign_in, chair, running
):
    meeting, item, (rita, sam) = running
    services.speaker_request(item=item, member=rita)
    sign_in(page, live_server.url, sam.email)
    page.goto(f"{live_server.url}/meetings/{meeting.pk}/")
    assert axe(page) == []
    now = page.locator("#meeting-now")
    assert "1 waiting to speak." in now.inner_text()
    page.evaluate("window.stillTheSamePage = true")

    # Elsewhere, the chair gives Rita the floor: Sam's screen shows it with her time.
    services.speaker_next(item=item, chair=chair)
    now.get_by_text("Speaking now: Rita Quayle").wait_for(timeout=15_000)
    left = re.search(r"(\d+):(\d\d) left", now.inner_text())
    seconds = int(left[1]) * 60 + int(left[2])
    assert selectors.speaking_seconds() - 60 < seconds <= selectors.speaking_seconds()

    # Sam asks to speak from his screen; the list shows his place.
    page.locator(f"#speakers-{item.pk}").get_by_role("button", name="Ask to speak").click()
    page.locator(f"#speakers-{item.pk}").get_by_text("You are next to speak.").wait_for()
    assert page.evaluate("window.stillTheSamePage") is True
    assert axe(page) == []


@pytest.mark.parametrize("width", [360, 1280])
def test_the_projector_reads_at_phone_and_room_widths(
    live_server, page, axe, sign_in, chair, running, width
):
    meeting, item, (rita, sam) = running
    services.speaker_request(item=item, member=rita)
    services.speaker_request(item=item, member=sam)
    services.speaker_next(item=item, chair=chair)
    page.set_viewport_size({"width": width, "height": 800})
    sign_in(page, live_server.url, sam.email)
    page.goto(f"{live_server.url}/meetings/{meeting.pk}/projector/")
    assert "Rita Quayle" in page.inner_text(".p-speaker")
    assert "1. Sam Okoro" in page.inner_text(".p-queue")
    assert page.locator("button, input, select, textarea, form").count() == 0
    assert page.evaluate("document.documentElement.scrollWidth <= window.innerWidth")
    assert axe(page) == []
