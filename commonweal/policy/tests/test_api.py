"""The API takes every step through the same services and refuses the same way."""

from datetime import timedelta

import pytest

from commonweal.members.models import Member
from commonweal.policy.models import Circulation, Proposal, Stage

pytestmark = pytest.mark.django_db


def test_propose_support_and_refusals_over_the_api(threshold, org, author, client_of, make_member):
    client = client_of(author)
    response = client.post(
        "/api/policy/proposals",
        {"section_id": org.transport.pk, "title": "Buses", "text": "The case."},
        content_type="application/json",
    )
    assert response.status_code == 201, response.content
    pk = response.json()["id"]
    response = client.post(
        "/api/policy/proposals",
        {"section_id": org.transport.pk, "title": "", "text": "x"},
        content_type="application/json",
    )
    assert response.status_code == 400
    assert response.json()["field"] == "title"

    supporter = client_of(make_member(unit=org.york))
    assert supporter.post(f"/api/policy/proposals/{pk}/support").json()["support_count"] == 1
    again = supporter.post(f"/api/policy/proposals/{pk}/support")
    assert again.status_code == 409
    assert "already support" in again.json()["detail"]
    assert supporter.delete(f"/api/policy/proposals/{pk}/support").json()["support_count"] == 0


def test_the_board_over_the_api_is_for_members_only(propose, client_of, org, make_member, client):
    propose()
    assert client.get("/api/policy/proposals").status_code == 401
    member = client_of(make_member(unit=org.york))
    body = member.get("/api/policy/proposals", {"stage": "proposed"}).json()
    assert body["count"] == 1


def test_every_step_through_the_api(
    circulating, org, chair, author, client_of, make_member, make_officer
):
    leeds = circulating.circulations.get(unit=org.leeds)
    member = client_of(make_member(unit=org.leeds))
    contribution = member.post(
        f"/api/policy/circulations/{leeds.pk}/contributions",
        {"text": "Cheaper fares."},
        content_type="application/json",
    ).json()
    york = circulating.circulations.get(unit=org.york)
    denied = member.post(
        f"/api/policy/circulations/{york.pk}/contributions",
        {"text": "Not my unit."},
        content_type="application/json",
    )
    assert denied.status_code == 403
    officer = client_of(make_officer(org.leeds))
    assert (
        officer.post(
            f"/api/policy/circulations/{leeds.pk}/report",
            {"summary": "Agreed: cheaper fares."},
            content_type="application/json",
        ).json()["status"]
        == Circulation.Status.DISCUSSED
    )
    section = client_of(chair)
    early = section.post(
        f"/api/policy/proposals/{circulating.pk}/drafting", content_type="application/json"
    )
    assert early.status_code == 400
    assert early.json()["field"] == "reason", early.content
    assert (
        section.post(
            f"/api/policy/proposals/{circulating.pk}/drafting",
            {"reason": "Every unit that meant to has reported."},
            content_type="application/json",
        ).status_code
        == 200
    )
    draft = section.post(
        f"/api/policy/proposals/{circulating.pk}/drafts",
        {"paragraphs": [{"text": "Fares will fall.", "cites": [contribution["id"]]}]},
        content_type="application/json",
    )
    assert draft.status_code == 201
    assert draft.json()["paragraphs"][0]["cites"] == [contribution["id"]]
    again = section.post(
        f"/api/policy/proposals/{circulating.pk}/drafting", content_type="application/json"
    )
    assert again.status_code == 409
    assert section.post(f"/api/policy/proposals/{circulating.pk}/consultation").status_code == 200
    paragraph = draft.json()["paragraphs"][0]["id"]
    comment = member.post(
        f"/api/policy/paragraphs/{paragraph}/comments",
        {"text": "Yes!"},
        content_type="application/json",
    )
    assert comment.status_code == 201
    assert Proposal.objects.get().stage == Stage.CONSULTATION


def test_the_approval_step_through_the_api(
    consulting, org, chair, client_of, make_member, vote_all, days_pass
):
    from commonweal.voting.models import Vote
    from commonweal.voting.services import vote_close

    section, member = client_of(chair), client_of(make_member(unit=org.brighton))
    pk = consulting.pk
    days_pass(22)
    json = "application/json"
    assert member.post(f"/api/policy/proposals/{pk}/final", content_type=json).status_code == 403
    final = section.post(f"/api/policy/proposals/{pk}/final", content_type=json)
    assert final.status_code == 200
    assert final.json()["is_final"] is True
    paragraph = final.json()["paragraphs"][1]["id"]

    amendment = member.post(
        f"/api/policy/paragraphs/{paragraph}/amendments",
        {"text": "Night buses every twenty minutes.", "reason": "Shift workers."},
        content_type="application/json",
    )
    assert amendment.status_code == 201, amendment.content
    outsider = client_of(make_member(unit=org.leeds, status=Member.Status.APPLICANT))
    refused = outsider.post(
        f"/api/policy/paragraphs/{paragraph}/amendments",
        {"text": "Mine."},
        content_type="application/json",
    )
    assert refused.status_code in (403, 404)
    assert [a["status"] for a in member.get(f"/api/policy/proposals/{pk}/amendments").json()] == [
        "proposed"
    ]

    now = days_pass(15)
    call = {"closes_at": (now + timedelta(days=7)).isoformat()}
    assert (
        member.post(
            f"/api/policy/proposals/{pk}/approval", call, content_type="application/json"
        ).status_code
        == 403
    )
    without = section.post(
        f"/api/policy/proposals/{pk}/approval", call, content_type="application/json"
    )
    assert without.status_code == 400
    assert without.json()["field"] == "amendments_close_at"
    call["amendments_close_at"] = (now + timedelta(days=2)).isoformat()
    called = section.post(
        f"/api/policy/proposals/{pk}/approval", call, content_type="application/json"
    )
    assert called.status_code == 201, called.content
    body = called.json()
    assert body["meeting_id"]
    assert body["vote_id"] is None
    [voting] = body["amendments"]
    assert voting["status"] == "voting"
    assert voting["vote_id"]
    late = member.post(
        f"/api/policy/paragraphs/{paragraph}/amendments",
        {"text": "Too late."},
        content_type="application/json",
    )
    assert late.status_code == 409

    amendment_vote = Vote.objects.get(pk=voting["vote_id"])
    vote_all(amendment_vote, [make_member(unit=org.york) for _ in range(4)], "yes")
    vote_close(vote=amendment_vote)
    after = member.get(f"/api/policy/proposals/{pk}/approval").json()
    assert after["amendments"][0]["status"] == "carried"
    assert after["vote_id"]


def test_the_openapi_document_describes_the_policy_steps(client):
    schema = client.get("/api/openapi.json").json()
    paths = schema["paths"]
    for path in [
        "/api/policy/proposals",
        "/api/policy/proposals/{pk}/support",
        "/api/policy/proposals/{pk}/scope",
        "/api/policy/circulations/{pk}/report",
        "/api/policy/proposals/{pk}/drafts",
        "/api/policy/external/comments",
        "/api/policy/proposals/{pk}/final",
        "/api/policy/paragraphs/{pk}/amendments",
        "/api/policy/proposals/{pk}/approval",
    ]:
        assert path in paths, path
