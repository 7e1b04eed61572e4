"""Each step of an intervention over the API, with the pages' services and permissions:
put to the body's meeting, start, report, assess, cancel, partners."""

import json
from datetime import timedelta

import pytest

from commonweal.interventions import services
from commonweal.interventions.models import Intervention
from commonweal.members.services import api_token_create


def api(client, method, path, token, body=None):
    kwargs = {"HTTP_AUTHORIZATION": f"Token {token}"}
    if body is not None:
        kwargs.update(data=json.dumps(body), content_type="application/json")
    return getattr(client, method)(f"/api/interventions{path}", **kwargs)


@pytest.fixture
def tokens(chair, members, org, make_officer):
    def token(member, scope="write"):
        return api_token_create(member=member, name="t", scope=scope)[1]

    return {
        "chair": token(chair),
        "reader": token(chair, "read"),
        "member": token(members[0]),
        "brighton": token(make_officer(org.brighton)),
    }


def test_start_report_assess_over_the_api_as_the_pages_do(client, plan, tokens):
    intervention = plan()
    pk = intervention.pk
    report = {"report": "500 leaflets at the depot gate."}
    # Another branch's officer is told nothing exists; a member of the body may not act; a
    # read token may not write. Nothing changes.
    assert api(client, "post", f"/{pk}/start", tokens["brighton"]).status_code == 404
    assert api(client, "post", f"/{pk}/start", tokens["member"]).status_code == 403
    assert api(client, "post", f"/{pk}/start", tokens["reader"]).status_code == 403
    assert Intervention.objects.get(pk=pk).status == Intervention.Status.PLANNED
    # Reported before it starts: refused as a conflict.
    assert api(client, "post", f"/{pk}/report", tokens["chair"], report).status_code == 409
    started = api(client, "post", f"/{pk}/start", tokens["chair"])
    assert started.status_code == 200
    assert started.json()["status"] == "under_way"
    empty = api(client, "post", f"/{pk}/report", tokens["chair"], {"report": " "})
    assert (empty.status_code, empty.json()["field"]) == (400, "report")
    reported = api(client, "post", f"/{pk}/report", tokens["chair"], report)
    assert reported.json()["status"] == "carried_out"
    # Carried out: cancelling is refused (it is assessed instead).
    late = api(client, "post", f"/{pk}/cancel", tokens["chair"], {"reason": "Rain."})
    assert late.status_code == 409
    assessed = api(
        client,
        "post",
        f"/{pk}/assess",
        tokens["chair"],
        {"worked": "Reached 300.", "failed": "Night shift.", "why": "Went early."},
    )
    assert assessed.json()["status"] == "assessed"


def test_cancel_over_the_api_needs_a_reason_and_the_bodys_officers(client, plan, tokens):
    pk = plan().pk
    assert (
        api(client, "post", f"/{pk}/cancel", tokens["member"], {"reason": "No."}).status_code == 403
    )
    refused = api(client, "post", f"/{pk}/cancel", tokens["chair"], {"reason": ""})
    assert (refused.status_code, refused.json()["field"]) == (400, "reason")
    cancelled = api(client, "post", f"/{pk}/cancel", tokens["chair"], {"reason": "Strike won."})
    assert cancelled.status_code == 200
    assert cancelled.json()["status"] == "cancelled"
    assert cancelled.json()["cancel_reason"] == "Strike won."
    # A cancelled intervention is not assessed, and the sweep no longer chases it.
    assert services.assessments_sweep(today=Intervention.objects.get(pk=pk).assess_on) == {
        "reminded": 0,
        "overdue": 0,
        "escalated": 0,
    }


def test_put_to_meeting_over_the_api_then_started_once_carried(
    client, plan, tokens, assembly, chair, members, now
):
    from commonweal.meetings import services as meetings
    from commonweal.meetings.models import Motion
    from commonweal.voting.models import Vote
    from commonweal.voting.services import ballot_cast, vote_close

    pk = plan(kind="election", title="Stand in the by-election").pk
    meeting = meetings.meeting_schedule(
        body=assembly,
        kind="online",
        video_url="https://meet.example.org/leeds",
        title="Branch meeting",
        opens_at=now,
        closes_at=now + timedelta(hours=2),
        scheduled_by=chair,
    )
    body = {"meeting": meeting.pk}
    assert api(client, "post", f"/{pk}/put-to-meeting", tokens["member"], body).status_code == 403
    assert api(client, "post", f"/{pk}/start", tokens["chair"]).status_code == 409
    put = api(client, "post", f"/{pk}/put-to-meeting", tokens["chair"], body)
    assert put.status_code == 201
    assert put.json()["meeting"] == meeting.pk
    again = api(client, "post", f"/{pk}/put-to-meeting", tokens["chair"], body)
    assert again.status_code == 409
    motion = Motion.objects.get(pk=put.json()["id"])
    for person in [chair, *members]:
        meetings.attendance_register(meeting=meeting, member=person)
    meetings.motion_put_to_vote(motion=motion, chair=chair, closes_at=now + timedelta(hours=1))
    vote = Vote.objects.get(pk=Motion.objects.get(pk=motion.pk).vote_id)
    for voter in [chair, *members]:
        ballot_cast(vote=vote, voter=voter, ranking=["yes"])
    vote_close(vote=vote, closed_by=chair)
    started = api(client, "post", f"/{pk}/start", tokens["chair"])
    assert started.status_code == 200
    assert started.json()["decision"] is not None


def test_partners_over_the_api_are_replaced_by_the_bodys_officers(client, plan, tokens, chair, org):
    from commonweal.alliances import services as alliances

    union = alliances.organisation_create(
        actor=chair, unit=org.leeds, name="Depot Union", kind="union", country="GB"
    )
    pk = plan().pk
    body = {"organisations": [union.pk]}
    assert api(client, "put", f"/{pk}/partners", tokens["member"], body).status_code == 403
    unknown = api(client, "put", f"/{pk}/partners", tokens["chair"], {"organisations": [10**9]})
    assert (unknown.status_code, unknown.json()["field"]) == (400, "organisations")
    done = api(client, "put", f"/{pk}/partners", tokens["chair"], body)
    assert done.json()["organisations"] == [union.pk]
