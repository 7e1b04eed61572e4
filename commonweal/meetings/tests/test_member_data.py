"""A member's meetings data: in their export, and after erasure kept only as a former member's."""

from datetime import timedelta

import pytest

from commonweal.core import clock
from commonweal.meetings import services
from commonweal.meetings.models import Attendance, Motion, Nomination, SpeakerRequest
from commonweal.members.selectors import member_data_export
from commonweal.members.services import member_erase

pytestmark = pytest.mark.django_db


@pytest.fixture
def active_member(org, econference, chair, make_member):
    """A member who attended, spoke, asked to speak again, tabled a motion and stands."""
    member = make_member(unit=org.leeds, full_name="Nadia Quist")
    services.attendance_register(meeting=econference, member=chair)
    services.attendance_register(meeting=econference, member=member)
    item = services.agenda_item_add(
        meeting=econference, kind="motion", title="Bus fares", added_by=chair
    )
    services.speaker_request(item=item, member=member)
    services.speaker_next(item=item, chair=chair)
    with clock.frozen(clock.now() + timedelta(seconds=95)):
        services.speaker_next(item=item, chair=chair)
    services.speaker_request(item=item, member=member)
    motion = services.motion_table(item=item, text="Cap fares at one pound.", tabled_by=member)
    election = services.agenda_item_add(
        meeting=econference, kind="election", title="Delegates", added_by=chair
    )
    services.candidate_nominate(item=election, candidate=member, nominated_by=member)
    return member, item, motion


def test_the_export_holds_attendance_speeches_motions_and_candidacies(active_member, econference):
    member, _item, _motion = active_member
    data = member_data_export(member)["meetings"]
    assert [a["meeting"] for a in data["attendance"]] == [econference.pk]
    assert sorted(s["state"] for s in data["speaking"]) == ["done", "waiting"]
    assert 95 in [s["seconds"] for s in data["speaking"]]
    assert [m["text"] for m in data["motions"]] == ["Cap fares at one pound."]
    assert [c["label"] for c in data["candidacies"]] == ["Nadia Quist"]


def test_erasure_keeps_speeches_attendance_and_motions_as_a_former_members(
    active_member, econference, client, chair
):
    member, item, motion = active_member

    member_erase(member=member, requested_by=member)

    attendance = Attendance.objects.get(meeting=econference, member=member)
    assert attendance.left_at is not None
    turns = SpeakerRequest.objects.filter(item=item, member=member)
    assert sorted(t.state for t in turns) == ["done", "withdrawn"]
    assert [t.seconds for t in turns if t.state == "done"] == [95]
    motion.refresh_from_db()
    assert motion.tabled_by_id == member.pk
    assert motion.text == "Cap fares at one pound."
    assert not Nomination.objects.filter(candidate=member).exists()

    client.force_login(chair)
    html = client.get(f"/meetings/{econference.pk}/").content.decode()
    assert "Nadia Quist" not in html
    assert "tabled by former member" in html
    assert html.count("former member") >= 2  # the motion and the speech
    assert Motion.objects.filter(tabled_by=member).count() == 1


def test_erasure_keeps_a_candidacy_already_put_to_the_vote(
    active_member, econference, chair, org, make_member
):
    member, _item, _motion = active_member
    election = econference.items.get(kind="election")
    services.candidate_nominate(item=election, candidate=chair, nominated_by=chair)
    services.candidate_nominate(
        item=election, candidate=make_member(unit=org.york), nominated_by=chair
    )
    services.election_open(
        item=election, chair=chair, office="Delegate", seats=1, closes_at=econference.closes_at
    )

    member_erase(member=member, requested_by=member)

    assert Nomination.objects.filter(item=election, candidate=member).exists()
