"""Who takes part in which struggle is sensitive: another branch's officer, a suspended
member, an external participant and API tokens see and change nothing of Leeds's struggles,
interventions, lessons and reports, on the pages and the API alike."""

import json
from datetime import timedelta

import pytest
from django.urls import reverse

from commonweal.interventions import services
from commonweal.interventions.models import Assessment, Intervention, SpontaneousAction
from commonweal.members.models import Member

pytestmark = pytest.mark.django_db


@pytest.fixture
def leeds_work(plan, strike, chair, org, make_member):
    """A struggle, an intervention carried out (not shared), and a member's report."""
    intervention = plan()
    services.intervention_start(intervention=intervention, by=chair)
    services.intervention_report(intervention=intervention, by=chair, report="Done.")
    reporter = make_member(unit=org.leeds)
    report = services.spontaneous_action_report(
        by=reporter, unit=org.leeds, what="A walk-out.", seen_on=intervention.planned_at.date()
    )
    services.struggle_update(
        struggle=strike,
        by=chair,
        status="ongoing",
        involvement="taking_part",
        members=[reporter],
    )
    return intervention, report, reporter


def outsiders(org, make_member, make_officer, chair):
    suspended = make_member(unit=org.leeds)
    from commonweal.members.services import member_suspend

    member_suspend(member=suspended, officer=chair, reason="Unpaid dues.")
    return {
        "another branch's officer": make_officer(org.brighton),
        "a suspended Leeds member": Member.objects.get(pk=suspended.pk),
        "an external participant": make_member(unit=None, status=Member.Status.EXTERNAL),
    }


def test_outsiders_get_404_for_every_page_and_change_nothing(
    client, leeds_work, strike, org, make_member, make_officer, chair, now
):
    intervention, report, _reporter = leeds_work
    for who, person in outsiders(org, make_member, make_officer, chair).items():
        client.force_login(person)
        for name, args in [
            ("interventions:detail", [intervention.pk]),
            ("interventions:struggle", [strike.pk]),
        ]:
            assert client.get(reverse(name, args=args)).status_code == 404, (who, name)
        for name, args, data in [
            ("interventions:start", [intervention.pk], {}),
            ("interventions:report", [intervention.pk], {"report": "Mine."}),
            (
                "interventions:assess",
                [intervention.pk],
                {"worked": "a", "failed": "b", "why": "c", "lesson": "Ours"},
            ),
            ("interventions:report_decide", [report.pk], {"follow": "no", "reason": "No."}),
            ("interventions:struggle_update", [strike.pk], {"status": "lost"}),
        ]:
            response = client.post(reverse(name, args=args), data)
            assert response.status_code == 404, (who, name)
        for name in ("interventions:list", "interventions:struggles", "interventions:lessons"):
            page = client.get(reverse(name))
            assert page.status_code in (200, 404), (who, name)
            assert strike.title not in page.content.decode(), (who, name)
            assert intervention.title not in page.content.decode(), (who, name)
        # The reports page lists only the viewer's own reports and those they may decide.
        page = client.get(reverse("interventions:reports"))
        assert "A walk-out." not in page.content.decode(), who
    intervention.refresh_from_db()
    report.refresh_from_db()
    strike.refresh_from_db()
    assert intervention.status == Intervention.Status.CARRIED_OUT
    assert not Assessment.objects.exists()
    assert report.status == SpontaneousAction.Status.REPORTED
    assert strike.status == "ongoing"


def test_the_members_involved_are_named_only_to_the_units_officers(
    client, leeds_work, strike, org, make_member, chair
):
    _intervention, _report, reporter = leeds_work
    url = reverse("interventions:struggle", args=[strike.pk])
    client.force_login(make_member(unit=org.leeds))
    page = client.get(url).content.decode()
    assert reporter.display_name not in page
    assert "1 member" in page
    client.force_login(chair)
    assert reporter.display_name in client.get(url).content.decode()


def api(client, method, path, token, body=None):
    kwargs = {"HTTP_AUTHORIZATION": f"Token {token}"}
    if body is not None:
        kwargs.update(data=json.dumps(body), content_type="application/json")
    return getattr(client, method)(f"/api/interventions{path}", **kwargs)


def test_api_tokens_act_as_their_member_and_read_tokens_only_read(
    client, leeds_work, strike, org, make_member, make_officer, chair, assembly, now
):
    from commonweal.members.services import api_token_create

    intervention, _report, _reporter = leeds_work
    brighton = api_token_create(member=make_officer(org.brighton), name="b", scope="write")[1]
    reader = api_token_create(member=chair, name="r", scope="read")[1]
    writer = api_token_create(member=chair, name="w", scope="write")[1]
    planning = f"/struggles/{strike.pk}/interventions"
    plan = {
        "body": assembly.pk,
        "title": "Public meeting",
        "kind": "public_meeting",
        "aims": "Fill the hall.",
        "assess_on": (now.date() + timedelta(days=9)).isoformat(),
    }
    assert api(client, "get", f"/{intervention.pk}", brighton).status_code == 404
    assert api(client, "get", f"/struggles/{strike.pk}", brighton).status_code == 404
    assert api(client, "get", "/", brighton).json()["items"] == []
    assert api(client, "post", planning, brighton, plan).status_code == 404
    assert api(client, "post", f"/{intervention.pk}/assess", brighton, {}).status_code == 404
    assert api(client, "post", planning, reader, plan).status_code == 403
    assert Intervention.objects.count() == 1
    # Without aims, refused with the field named; nothing written.
    refused = api(client, "post", planning, writer, {**plan, "aims": ""})
    assert refused.status_code == 400
    assert refused.json()["field"] == "aims"
    assert Intervention.objects.count() == 1
    created = api(client, "post", planning, writer, plan)
    assert created.status_code == 201
    # Its assessment before it is carried out: refused, nothing written.
    early = api(
        client,
        "post",
        f"/{created.json()['id']}/assess",
        writer,
        {"worked": "a", "failed": "b", "why": "c"},
    )
    assert early.status_code == 409
    assert not Assessment.objects.exists()
    assert [row["id"] for row in api(client, "get", "/", reader).json()["items"]] == [
        created.json()["id"],
        intervention.pk,
    ]
