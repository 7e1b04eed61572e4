"""The API takes every step through the same services and refuses the same way."""

import pytest

from commonweal.policy.models import Circulation, Proposal, Stage

pytestmark = pytest.mark.django_db


@pytest.fixture
def api(client, no_two_factor):
    def as_member(member):
        client.force_login(member)
        return client

    return as_member


def test_propose_support_and_refusals_over_the_api(threshold, org, author, api, make_member):
    client = api(author)
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

    supporter = api(make_member(unit=org.york))
    assert supporter.post(f"/api/policy/proposals/{pk}/support").json()["support_count"] == 1
    again = supporter.post(f"/api/policy/proposals/{pk}/support")
    assert again.status_code == 409
    assert "already support" in again.json()["detail"]
    assert supporter.delete(f"/api/policy/proposals/{pk}/support").json()["support_count"] == 0


def test_the_board_over_the_api_is_for_members_only(propose, api, org, make_member, client):
    propose()
    assert client.get("/api/policy/proposals").status_code == 401
    member = api(make_member(unit=org.york))
    body = member.get("/api/policy/proposals", {"stage": "proposed"}).json()
    assert body["count"] == 1


def test_every_step_through_the_api(
    circulating, org, chair, author, api, make_member, make_officer
):
    leeds = circulating.circulations.get(unit=org.leeds)
    member = api(make_member(unit=org.leeds))
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
    officer = api(make_officer(org.leeds))
    assert (
        officer.post(
            f"/api/policy/circulations/{leeds.pk}/report",
            {"summary": "Agreed: cheaper fares."},
            content_type="application/json",
        ).json()["status"]
        == Circulation.Status.DISCUSSED
    )
    section = api(chair)
    assert section.post(f"/api/policy/proposals/{circulating.pk}/drafting").status_code == 200
    draft = section.post(
        f"/api/policy/proposals/{circulating.pk}/drafts",
        {"paragraphs": [{"text": "Fares will fall.", "cites": [contribution["id"]]}]},
        content_type="application/json",
    )
    assert draft.status_code == 201
    assert draft.json()["paragraphs"][0]["cites"] == [contribution["id"]]
    again = section.post(f"/api/policy/proposals/{circulating.pk}/drafting")
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


def test_the_openapi_document_describes_the_policy_steps(client):
    schema = client.get("/api/openapi.json").json()
    paths = schema["paths"]
    for path in [
        "/api/policy/proposals",
        "/api/policy/proposals/{pk}/support",
        "/api/policy/proposals/{pk}/scope",
        "/api/policy/circulations/{pk}/report",
        "/api/policy/proposals/{pk}/drafts",
        "/api/policy/external/{token}/comments",
    ]:
        assert path in paths, path
