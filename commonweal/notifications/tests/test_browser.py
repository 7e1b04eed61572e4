"""The notification centre in a real browser: counts, filtering, mark-as-read, live arrivals."""

import pytest

from commonweal.notifications.models import Notification
from commonweal.notifications.services import notify, urgent_alert_send

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


@pytest.fixture
def told(org, make_member, make_officer, run_worker, settings):
    """A Leeds member told about a vote, some news and an urgent alert; pages poll each second."""
    settings.NOTIFICATIONS_POLL_SECONDS = 1
    member = make_member(unit=org.leeds, email="ana@example.org")
    notify(kind="vote.opened", title="Ballot open: branch delegate", units=[org.leeds])
    notify(kind="news.published", title="Conference dates announced", units=[org.leeds])
    urgent_alert_send(
        unit=org.leeds,
        title="Picket moved to 6 am",
        text="Be at the depot at 6.",
        sent_by=make_officer(of=org.leeds),
    )
    run_worker()
    return member


BADGE = (
    "() => document.querySelector('#notification-badge').textContent.replace(/\\s+/g, ' ').trim()"
)


def badge_says(page, text: str) -> None:
    """Wait until the navigation's unread badge reads `text` (it updates itself by polling)."""
    page.wait_for_function(f"text => ({BADGE})() === text", arg=text)


def item(page, title):
    return page.locator("#notification-items li.notification", has_text=title)


def test_counts_filter_and_mark_as_read(live_server, page, axe, sign_in, told):
    base = live_server.url
    sign_in(page, base, told.email)
    page.goto(f"{base}/notifications/")
    assert page.inner_text("#unread-count") == "3 unread notifications."
    assert page.evaluate(BADGE) == "3 unread"
    assert item(page, "Picket moved to 6 am").get_by_text("Urgent", exact=True).is_visible()
    assert axe(page) == []

    page.select_option("#id_category", label="Votes and elections")
    page.get_by_role("button", name="Filter").click()
    page.wait_for_url("**category=votes**")
    assert item(page, "Ballot open").count() == 1
    assert item(page, "Conference dates").count() == 0
    assert item(page, "Picket moved").count() == 0
    assert axe(page) == []

    page.goto(f"{base}/notifications/")
    item(page, "Conference dates").get_by_role("button", name="Mark as read").click()
    page.wait_for_selector("#notification-items li.notification:not(.unread) >> text=Conference")
    news = Notification.objects.get(recipient=told, event__title="Conference dates announced")
    assert news.read_at is not None
    badge_says(page, "2 unread")

    page.get_by_role("button", name="Mark all as read").click()
    page.wait_for_load_state()
    assert page.inner_text("#unread-count") == "0 unread notifications."
    assert not Notification.objects.filter(recipient=told, read_at=None).exists()
    assert axe(page) == []


def test_a_new_notification_arrives_without_a_reload(
    live_server, page, axe, sign_in, told, org, run_worker
):
    base = live_server.url
    sign_in(page, base, told.email)
    page.goto(f"{base}/notifications/")
    page.evaluate("() => { window.sameDocument = true; }")
    assert item(page, "Minutes of the branch meeting").count() == 0

    notify(kind="minutes.approved", title="Minutes of the branch meeting", units=[org.leeds])
    run_worker()

    page.wait_for_selector("#notification-items li.notification >> text=Minutes of the branch")
    first = page.locator("#notification-items li.notification").first
    assert "Minutes of the branch meeting" in first.inner_text()
    page.wait_for_function(
        "() => document.querySelector('#unread-count').innerText === '4 unread notifications.'"
    )
    badge_says(page, "4 unread")
    assert page.evaluate("() => window.sameDocument") is True
    page.wait_for_timeout(1500)  # another poll or two: nothing arrives twice
    assert item(page, "Minutes of the branch meeting").count() == 1
    assert axe(page) == []


def test_the_live_list_keeps_its_filter(live_server, page, sign_in, told, org, run_worker):
    base = live_server.url
    sign_in(page, base, told.email)
    page.goto(f"{base}/notifications/?category=votes")
    page.evaluate("() => { window.sameDocument = true; }")

    notify(kind="news.published", title="Bulletin out", units=[org.leeds])
    notify(kind="vote.closed", title="Result: delegate elected", units=[org.leeds])
    run_worker()

    page.wait_for_selector("#notification-items li.notification >> text=Result: delegate elected")
    page.wait_for_timeout(1500)
    assert item(page, "Bulletin out").count() == 0
    assert page.evaluate("() => window.sameDocument") is True
