"""A branch decides to stand in a by-election as a platform for a strike, in a real browser at
360 px: the chair plans it (refused without aims, beside the field), puts it to the branch
meeting as a motion, opens the vote there and closes it once members have voted; then
starts the work, reports it carried out, assesses it against its aims and draws a lesson,
which members find by its tag. axe checks each page."""

from datetime import timedelta

import pytest

from commonweal.core import clock
from commonweal.interventions.models import Intervention, Lesson
from commonweal.voting.models import Vote
from commonweal.voting.services import ballot_cast

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def _check(page, axe):
    assert axe(page) == [], page.url
    assert not page.evaluate("document.documentElement.scrollWidth > window.innerWidth"), page.url


def test_plan_authorise_by_vote_carry_out_assess_and_learn(
    live_server, page, axe, sign_in, strike, chair, members, assembly
):
    from commonweal.meetings.services import attendance_register, meeting_schedule

    base = live_server.url
    page.set_viewport_size({"width": 360, "height": 800})
    now = clock.now()
    meeting = meeting_schedule(
        body=assembly,
        kind="online",
        video_url="https://meet.example.org/leeds",
        title="Branch meeting",
        opens_at=now - timedelta(minutes=5),
        closes_at=now + timedelta(hours=3),
        scheduled_by=chair,
    )
    sign_in(page, base, chair.email)

    page.goto(f"{base}/interventions/struggles/")
    page.get_by_role("link", name="Leeds bus drivers' strike").click()
    page.wait_for_load_state()
    _check(page, axe)
    page.get_by_text("Plan an intervention").click()
    page.get_by_label("Title").fill("Stand in the Hunslet by-election")
    page.get_by_label("Kind").select_option("election")
    page.get_by_label("Responsible body").select_option(str(assembly.pk))
    page.get_by_label("Assess on").fill((now.date() + timedelta(days=40)).isoformat())
    page.get_by_role("button", name="Plan").click()
    page.wait_for_load_state()
    assert "State the aims beforehand" in page.inner_text("main")
    assert page.get_by_label("Aims").get_attribute("aria-invalid") == "true"
    assert Intervention.objects.count() == 0
    _check(page, axe)
    page.get_by_label("Aims").fill("Put the drivers' claim before every voter in Hunslet.")
    page.get_by_role("button", name="Plan").click()
    page.wait_for_url("**/interventions/*/")
    intervention = Intervention.objects.get()
    assert "awaiting the body's decision" in page.inner_text("#status")
    _check(page, axe)

    # Put to the branch meeting as a motion, and the vote opened there by the chair.
    page.get_by_label("Meeting").select_option(str(meeting.pk))
    page.get_by_role("button", name="Put the motion on its agenda").click()
    page.wait_for_load_state()
    page.get_by_role("link", name="Motion on the agenda").click()
    page.wait_for_url(f"**/meetings/{meeting.pk}/")
    page.get_by_role("button", name="Register as present").click()
    page.wait_for_load_state()
    page.get_by_text("Put the motion to the vote").click()
    page.get_by_label("Voting closes at").fill(
        (now + timedelta(hours=1)).strftime("%Y-%m-%dT%H:%M")
    )
    page.get_by_role("button", name="Open the vote").click()
    page.wait_for_load_state()
    vote = Vote.objects.get(subject__startswith="meetings.motion:")
    for member in members:
        attendance_register(meeting=meeting, member=member)
        ballot_cast(vote=vote, voter=member, ranking=["yes"])
    page.goto(f"{base}/votes/{vote.pk}/")
    page.get_by_role("button", name="Close the vote and count").click()
    page.wait_for_load_state()

    # Authorised: the decision is the carried motion; the work starts and is reported.
    page.goto(f"{base}/interventions/{intervention.pk}/")
    assert "Intervention: Stand in the Hunslet by-election" in page.inner_text("main")
    page.get_by_role("button", name="Start the work").click()
    page.wait_for_load_state()
    assert "under way" in page.inner_text("#status")
    page.get_by_role("textbox", name="What happened").fill(
        "We stood; 412 votes, 9%, and 30 new contacts."
    )
    page.get_by_role("button", name="Report it carried out").click()
    page.wait_for_load_state()
    assert "carried out, to be assessed" in page.inner_text("#status")
    _check(page, axe)

    # The assessment: all three answers are needed, each said beside its field.
    page.get_by_label("What worked, against the aims").fill("Every door got the claim.")
    page.get_by_role("button", name="Record the assessment").click()
    page.wait_for_load_state()
    assert page.get_by_label("What failed").get_attribute("aria-invalid") == "true"
    assert not Lesson.objects.exists()
    page.get_by_label("What failed").fill("Few came to the hustings.")
    page.get_by_label("Why").fill("We booked the hall too late.")
    page.get_by_label("A lesson, in a line").fill("Book the hustings hall first")
    page.get_by_label("Tags (separated by commas)").fill("elections, venues")
    page.get_by_role("button", name="Record the assessment").click()
    page.wait_for_load_state()
    assert "assessed" in page.inner_text("#status")
    _check(page, axe)

    page.get_by_role("link", name="venues").click()
    page.wait_for_url("**/interventions/lessons/?tag=venues")
    assert "Book the hustings hall first" in page.inner_text("main")
    _check(page, axe)
