"""A meeting as it happens: places in the queue, the speaking time, the page's poll, the
projector, amendments beside what they amend, and confirmations for irreversible steps."""

import re
from datetime import timedelta

import pytest
from django.urls import reverse

from commonweal.core import clock
from commonweal.meetings import selectors, services
from commonweal.meetings.diff import MAX_WORDS, word_diff
from commonweal.meetings.models import Meeting, Motion
from commonweal.members.models import Member
from commonweal.voting.models import Vote
from commonweal.voting.services import ballot_cast, vote_close

pytestmark = pytest.mark.django_db


@pytest.fixture
def people(meeting):
    """The leadership's members in a fixed order, all present."""
    members = list(selectors.participants(meeting).order_by("pk"))
    for member in members:
        services.attendance_register(meeting=meeting, member=member)
    return members


@pytest.fixture
def item(meeting, chair):
    return services.agenda_item_add(
        meeting=meeting, kind="motion", title="Bus fares", added_by=chair
    )


def page_text(response) -> str:
    """The page as read: tags out, spaces folded."""
    return " ".join(re.sub(r"<[^>]+>", " ", response.content.decode()).split())


def diff_shown(response) -> str:
    """The first word-by-word comparison on the page, read as text."""
    html = response.content.decode()
    return re.sub(r"<[^>]+>", "", re.search(r'<p class="diff">(.*?)</p>', html, re.S)[1])


def test_the_queue_gives_places_and_the_speaker_a_countdown_from_the_rulebook(
    client, meeting, chair, people, item, set_rule, now
):
    set_rule("meetings.speaking_minutes", 4)
    first, second, third, fourth = (p for p in people if p != chair)
    for member in (first, second, third):
        services.speaker_request(item=item, member=member)
    services.speaker_next(item=item, chair=chair)  # first speaks
    services.speaker_next(item=item, chair=chair)  # then second has the floor
    services.speaker_request(item=item, member=first)  # first asks again: behind the others
    services.speaker_request(item=item, member=fourth)

    with clock.frozen(now + timedelta(seconds=90)):
        row = selectors.speakers_lists(meeting, fourth)[item.pk]
        assert row["speaking"].member == second
        assert row["countdown"] == {"seconds": 150, "text": "2:30", "over": False}
        assert [(place, turn.member) for place, turn in row["queue"]] == [
            (1, third),
            (2, fourth),
            (3, first),
        ]
        assert row["my_place"] == 2
        client.force_login(fourth)
        text = page_text(client.get(reverse("meetings:detail", args=[meeting.pk])))
    assert "Each speaker has 4 minutes." in text
    assert f"Speaking now: {second.display_name} · 2:30 left" in text
    assert "You are number 2 in the queue." in text
    assert f"2. {fourth.display_name}" in text
    assert f"3. {first.display_name} (has spoken)" in text
    assert "Current agenda item: 1. Bus fares" in text

    with clock.frozen(now + timedelta(minutes=5)):
        row = selectors.speakers_lists(meeting, fourth)[item.pk]
    assert row["countdown"] == {"seconds": -60, "text": "1:00", "over": True}


def test_the_current_item_is_where_the_floor_was_last_given(meeting, chair, people, item):
    later = services.agenda_item_add(
        meeting=meeting, kind="motion", title="Tram lines", added_by=chair
    )
    lists = selectors.speakers_lists(meeting)
    assert selectors.current_item_id(lists) == item.pk  # nobody has spoken: the first item
    services.speaker_request(item=later, member=people[1])
    assert selectors.current_item_id(selectors.speakers_lists(meeting)) == item.pk
    services.speaker_next(item=later, chair=chair)
    assert selectors.current_item_id(selectors.speakers_lists(meeting)) == later.pk
    services.speaker_stop(item=later, chair=chair)
    assert selectors.current_item_id(selectors.speakers_lists(meeting)) == later.pk


def test_the_poll_swaps_every_items_list_in_a_fixed_number_of_queries(
    client, meeting, chair, people, item, django_assert_max_num_queries
):
    services.speaker_request(item=item, member=people[1])
    client.force_login(people[2])
    url = reverse("meetings:live", args=[meeting.pk])
    with django_assert_max_num_queries(40) as few:
        response = client.get(url, headers={"HX-Request": "true"})
    html = response.content.decode()
    assert 'id="meeting-now"' in html
    assert 'data-poll hx-trigger="every 5s, cw:shown"' in html
    assert f'id="speakers-{item.pk}" class="speakers" hx-swap-oob="true"' in html
    for n in range(10):
        other = services.agenda_item_add(
            meeting=meeting, kind="motion", title=f"Item {n}", added_by=chair
        )
        services.speaker_request(item=other, member=people[n % 4])
    with django_assert_max_num_queries(len(few.captured_queries)):
        response = client.get(url, headers={"HX-Request": "true"})
    assert response.content.decode().count('hx-swap-oob="true"') == 11


def test_the_poll_stops_once_the_meeting_is_closed(client, meeting, chair, item):
    client.force_login(chair)
    services.meeting_close(meeting=meeting, closed_by=chair)
    response = client.get(reverse("meetings:live", args=[meeting.pk]), HTTP_HX_REQUEST="true")
    assert response.status_code == 200
    assert "hx-trigger" not in response.content.decode()
    # Without htmx the address leads to the meeting page.
    response = client.get(reverse("meetings:live", args=[meeting.pk]))
    assert response.status_code == 302
    assert response["Location"] == reverse("meetings:detail", args=[meeting.pk])


@pytest.mark.parametrize("status", [Member.Status.SUSPENDED, Member.Status.EXTERNAL])
def test_the_poll_and_the_projector_show_nothing_to_whom_the_meeting_is_hidden(
    client, org, meeting, item, make_member, status
):
    outsider = make_member(unit=org.leeds, status=status)
    client.force_login(outsider)
    for name, args in [
        ("meetings:detail", [meeting.pk]),
        ("meetings:live", [meeting.pk]),
        ("meetings:projector", [meeting.pk]),
        ("meetings:speakers", [item.pk]),
    ]:
        response = client.get(reverse(name, args=args), HTTP_HX_REQUEST="true")
        assert response.status_code == 404, name


def test_a_member_of_another_branch_gets_the_poll_as_the_meeting_page_allows(
    client, org, meeting, item, make_member
):
    """Every member may follow every meeting today (meetings.view_meeting); the poll and the
    projector answer exactly as the meeting page does, and offer no way to take part."""
    client.force_login(make_member(unit=org.brighton))
    page = client.get(reverse("meetings:detail", args=[meeting.pk]))
    poll = client.get(reverse("meetings:live", args=[meeting.pk]), HTTP_HX_REQUEST="true")
    assert page.status_code == poll.status_code == 200
    assert "Ask to speak" not in poll.content.decode()


def test_the_projector_shows_the_item_the_speaker_the_queue_and_the_latest_results(
    client, meeting, chair, people, item, now
):
    speaker, waiting = people[1], people[2]
    services.speaker_request(item=item, member=speaker)
    services.speaker_request(item=item, member=waiting)
    services.speaker_next(item=item, chair=chair)
    motion = services.motion_table(item=item, text="Fares are free.", tabled_by=chair)
    services.motion_put_to_vote(motion=motion, chair=chair, closes_at=now + timedelta(hours=1))
    vote = Vote.objects.get(pk=Motion.objects.get(pk=motion.pk).vote_id)
    for voter, choice in [(people[0], "yes"), (people[1], "yes"), (people[2], "no")]:
        ballot_cast(vote=vote, voter=voter, ranking=[choice])
    vote_close(vote=vote, closed_by=chair)

    client.force_login(people[3])
    with clock.frozen(now + timedelta(seconds=30)):
        response = client.get(reverse("meetings:projector", args=[meeting.pk]))
    html = response.content.decode()
    text = page_text(response)
    assert "Agenda item 1 Bus fares" in text
    assert f"Speaking now {speaker.display_name} 2:30 left" in text
    assert f"1. {waiting.display_name}" in text
    assert "carried — 2 yes, 1 no, 0 abstaining" in text
    assert "<form" not in html  # nothing to press
    assert "<button" not in html
    assert 'data-poll hx-trigger="every 5s, cw:shown"' in html


def test_word_diff_marks_removed_and_added_words_in_text():
    def read(original, amended):
        html = str(word_diff(original, amended))
        return re.sub(r"<[^>]+>", "", html), html

    text, html = read("Buses run hourly.", "Buses run every twenty minutes.")
    assert text == "Buses run [−removed: hourly] [+added: every twenty minutes]."
    assert "<del>" in html
    assert "<ins>" in html

    text, _ = read("Fares are free for everyone.", "Fares are free.")
    assert text == "Fares are free [−removed: for everyone]."

    text, _ = read("Fares are free.", "Fares are free for children.")
    assert text == "Fares are free [+added: for children]."

    text, html = read("Same words.", "Same words.")
    assert text == "Same words."
    assert "<del>" not in html
    assert "<ins>" not in html

    # Markup in a member's text is shown as text, never run as HTML.
    _, html = read("Plain.", "Plain <script>alert(1)</script>.")
    assert "<script>" not in html
    assert "&lt;script&gt;" in html

    # Line breaks between paragraphs stay where they were.
    text, _ = read("One.\n\nTwo.", "One.\n\nTwo and three.")
    assert text == "One.\n\nTwo [+added: and three]."


def test_word_diff_declines_texts_too_long_to_compare():
    long = " ".join(f"w{i}" for i in range(MAX_WORDS + 1))
    assert word_diff(long, "short") is None
    assert word_diff("short", long) is None


def test_an_amendments_vote_page_shows_the_motion_the_amendment_and_the_difference(
    client, econference, chair, now
):
    services.attendance_register(meeting=econference, member=chair)
    item = services.agenda_item_add(
        meeting=econference, kind="motion", title="Transport", added_by=chair
    )
    motion = services.motion_table(item=item, text="Build trams.", tabled_by=chair)
    amendment = services.motion_table(
        item=item, text="Build trams and cycle lanes.", tabled_by=chair, amends=motion
    )
    services.motion_put_to_vote(motion=amendment, chair=chair, closes_at=econference.closes_at)
    vote_id = Motion.objects.get(pk=amendment.pk).vote_id
    client.force_login(chair)
    for response in (
        client.get(reverse("voting:detail", args=[vote_id])),
        client.get(reverse("meetings:detail", args=[econference.pk])),
    ):
        text = page_text(response)
        assert "What the amendment changes" in text
        assert diff_shown(response) == "Build trams [+added: and cycle lanes]."
        assert "The text it amends Build trams." in text

    # Once carried, the motion's text is the amended one; the comparison still shows the
    # text the amendment replaced.
    vote = Vote.objects.get(pk=vote_id)
    ballot_cast(vote=vote, voter=chair, ranking=["yes"])
    vote_close(vote=vote, closed_by=chair)
    response = client.get(reverse("voting:detail", args=[vote_id]))
    assert diff_shown(response) == "Build trams [+added: and cycle lanes]."


def test_a_policy_amendment_on_the_agenda_shows_the_paragraph_it_amends(
    client, org, make_member, make_officer
):
    from commonweal.meetings.tests.test_econference_browser import _policy_at_approval

    chair = make_officer(body=org.transport, role="chair", unit=org.york)
    approval = _policy_at_approval(org, chair, make_member)
    client.force_login(chair)
    amendment_vote = Vote.objects.get(subject__startswith="policy.amendment:")
    for response in (
        client.get(reverse("meetings:detail", args=[approval.meeting_id])),
        client.get(reverse("voting:detail", args=[amendment_vote.pk])),
    ):
        assert diff_shown(response) == (
            "Night buses run [−removed: hourly] [+added: every twenty minutes]."
        )


@pytest.mark.parametrize(
    ("url", "form"),
    [("meetings:open", {}), ("meetings:close", {}), ("meetings:close", {"confirm": ""})],
)
def test_opening_or_closing_without_the_confirmation_changes_nothing(
    client, org, chair, now, url, form
):
    meeting = services.meeting_schedule(
        body=org.leadership,
        kind="in_person",
        title="Later",
        opens_at=now + timedelta(days=1),
        closes_at=now + timedelta(days=1, hours=2),
        scheduled_by=chair,
    )
    client.force_login(chair)
    response = client.post(reverse(url, args=[meeting.pk]), form, follow=True)
    assert "Tick the box to confirm; nothing has changed." in page_text(response)
    meeting.refresh_from_db()
    assert meeting.state == Meeting.State.PLANNED


def test_the_chair_opens_and_closes_after_confirming_what_happens(client, org, chair, now):
    meeting = services.meeting_schedule(
        body=org.leadership,
        kind="in_person",
        title="Later",
        opens_at=now + timedelta(days=1),
        closes_at=now + timedelta(days=1, hours=2),
        scheduled_by=chair,
    )
    client.force_login(chair)
    page = page_text(client.get(reverse("meetings:detail", args=[meeting.pk])))
    assert "It cannot be undone; the meeting can only be closed." in page
    assert "A closed meeting cannot be reopened." in page
    client.post(reverse("meetings:open", args=[meeting.pk]), {"confirm": "1"})
    meeting.refresh_from_db()
    assert meeting.state == Meeting.State.OPEN
    client.post(reverse("meetings:close", args=[meeting.pk]), {"confirm": "1"})
    meeting.refresh_from_db()
    assert meeting.state == Meeting.State.CLOSED


def test_closing_a_temperature_check_needs_the_confirmation(client, org, make_officer):
    from commonweal.discussion import services as discussion
    from commonweal.discussion.models import TemperatureCheck

    officer = make_officer(of=org.leeds)
    check = discussion.check_open(
        space_unit=org.leeds, statement="Fares should be free.", opened_by=officer
    )
    client.force_login(officer)
    url = reverse("discussion:check_close", args=[check.pk])
    response = client.post(url, {}, follow=True)
    assert "Tick the box to confirm; nothing has changed." in page_text(response)
    check.refresh_from_db()
    assert check.status == TemperatureCheck.Status.OPEN
    client.post(url, {"confirm": "1"})
    check.refresh_from_db()
    assert check.status == TemperatureCheck.Status.CLOSED
