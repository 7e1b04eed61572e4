"""Steps 3 and 4: scoping with the proposer's agreement, circulation to units and sections."""

from datetime import date, timedelta

import pytest

from commonweal.core import clock
from commonweal.core.errors import Conflict, NotPermitted, Refused
from commonweal.notifications.models import Notification
from commonweal.organisation.models import Body, BodyMembership
from commonweal.organisation.services import body_create, body_membership_add
from commonweal.policy import selectors, services
from commonweal.policy.models import Circulation, Contribution, ScopeProposal, Stage

pytestmark = pytest.mark.django_db


def test_only_the_section_may_scope(launched, author, make_member, org):
    with pytest.raises(NotPermitted, match="Transport Section"):
        services.scope_propose(proposal=launched, by=make_member(unit=org.leeds), areas="Fares")
    with pytest.raises(NotPermitted):
        services.scope_propose(proposal=launched, by=author, areas="Fares")
    assert not ScopeProposal.objects.exists()


def test_scoping_a_proposal_that_is_not_launched_is_refused(threshold, propose, chair):
    proposal = propose()
    with pytest.raises(Conflict, match="gathering support"):
        services.scope_propose(proposal=proposal, by=chair, areas="Fares")
    assert not ScopeProposal.objects.exists()


def test_empty_areas_are_refused(launched, chair):
    with pytest.raises(Refused, match="cannot be empty") as refusal:
        services.scope_propose(proposal=launched, by=chair, areas=" ")
    assert refusal.value.field == "areas"


def test_the_proposer_asks_for_changes_and_the_proposal_waits(launched, chair, author, run_worker):
    scope = services.scope_propose(proposal=launched, by=chair, areas="Fares only.")
    with pytest.raises(Conflict, match="not yet answered"):
        services.scope_propose(proposal=launched, by=chair, areas="Fares and routes.")
    page = selectors.proposal_page(launched, chair)
    assert page["waiting_on_proposer"]
    with pytest.raises(Refused, match="What should change"):
        services.scope_answer(scope=scope, by=author, agree=False)
    services.scope_answer(scope=scope, by=author, agree=False, text="Rural routes too, please.")
    launched.refresh_from_db()
    assert launched.stage == Stage.SCOPING
    run_worker()
    assert Notification.objects.filter(recipient=chair, event__kind="policy.scope_changes")
    second = services.scope_propose(proposal=launched, by=chair, areas="Fares; rural routes.")
    services.scope_answer(scope=second, by=author, agree=True)
    launched.refresh_from_db()
    assert launched.stage == Stage.CIRCULATION
    assert launched.scope_areas == "Fares; rural routes."
    assert launched.scope_areas_html == "<p>Fares; rural routes.</p>\n"


def test_only_the_proposer_may_answer_and_only_once(launched, chair, author, make_member, org):
    scope = services.scope_propose(proposal=launched, by=chair, areas="Fares")
    with pytest.raises(NotPermitted, match="member who made the proposal"):
        services.scope_answer(scope=scope, by=chair, agree=True)
    services.scope_answer(scope=scope, by=author, agree=True)
    with pytest.raises(Conflict):
        services.scope_answer(scope=scope, by=author, agree=True)


def test_agreement_circulates_to_every_basic_unit_and_the_other_sections(
    org, launched, chair, author
):
    health = body_create(name="Health Section", kind=Body.Kind.POLICY_SECTION, unit=org.nation)
    scope = services.scope_propose(proposal=launched, by=chair, areas="Fares")
    now = clock.now()
    with clock.frozen(now):
        services.scope_answer(scope=scope, by=author, agree=True)
    recipients = {c.recipient for c in Circulation.objects.filter(proposal=launched)}
    assert recipients == {org.leeds, org.york, org.brighton, health}
    assert {c.deadline for c in Circulation.objects.all()} == {now + timedelta(days=28)}
    assert all(c.status == Circulation.Status.SILENT for c in Circulation.objects.all())


def test_members_contribute_to_their_own_units_discussion_only(circulating, org, make_member):
    leeds = circulating.circulations.get(unit=org.leeds)
    member = make_member(unit=org.leeds)
    contribution = services.contribution_add(
        circulation=leeds, author=member, text="Free fares for under-25s."
    )
    assert contribution.kind == Contribution.Kind.MEMBER
    with pytest.raises(NotPermitted, match="Leeds"):
        services.contribution_add(
            circulation=leeds, author=make_member(unit=org.york), text="From York."
        )
    assert Contribution.objects.count() == 1


def test_officers_report_an_agreed_summary_or_no_view_and_silence_stays_silent(
    circulating, org, make_officer, make_member
):
    leeds = circulating.circulations.get(unit=org.leeds)
    york = circulating.circulations.get(unit=org.york)
    with pytest.raises(NotPermitted, match="officers"):
        services.circulation_report(
            circulation=leeds, by=make_member(unit=org.leeds), summary="We agree."
        )
    leeds_officer = make_officer(org.leeds)
    with pytest.raises(Refused, match="summary"):
        services.circulation_report(circulation=leeds, by=leeds_officer, summary="")
    services.circulation_report(circulation=leeds, by=leeds_officer, summary="We agree on fares.")
    services.circulation_report(circulation=york, by=make_officer(org.york), no_view=True)
    with pytest.raises(Conflict, match="already reported"):
        services.circulation_report(circulation=leeds, by=leeds_officer, no_view=True)
    counts = selectors.proposal_page(circulating, leeds_officer)["circulation_counts"]
    assert counts == {"silent": 1, "discussed": 1, "no_view": 1}
    assert Contribution.objects.get().kind == Contribution.Kind.SUMMARY


def test_outside_consultation_is_recorded_with_who_when_and_what(circulating, org, make_member):
    york = circulating.circulations.get(unit=org.york)
    member = make_member(unit=org.york)
    services.outside_consultation_add(
        circulation=york,
        by=member,
        who="York Bus Users Group",
        on=date(2026, 1, 5),
        text="Evening services are the main gap.",
    )
    with pytest.raises(Refused, match="future"):
        services.outside_consultation_add(
            circulation=york,
            by=member,
            who="Someone",
            on=clock.now().date() + timedelta(days=2),
            text="x",
        )
    with pytest.raises(Refused, match="Who you talked to"):
        services.outside_consultation_add(
            circulation=york, by=member, who="", on=date(2026, 1, 5), text="x"
        )
    outside = Contribution.objects.get()
    assert (outside.kind, outside.outside_who) == (
        Contribution.Kind.OUTSIDE,
        "York Bus Users Group",
    )


def test_contributions_after_the_units_deadline_are_refused(circulating, org, make_member):
    leeds = circulating.circulations.get(unit=org.leeds)
    with (
        clock.frozen(leeds.deadline + timedelta(seconds=1)),
        pytest.raises(Conflict, match="deadline"),
    ):
        services.contribution_add(circulation=leeds, author=make_member(unit=org.leeds), text="x")


def test_contributing_when_circulation_is_over_is_refused(circulating, org, chair, make_member):
    leeds = circulating.circulations.get(unit=org.leeds)
    services.drafting_start(proposal=circulating, by=chair, reason="Enough has come in.")
    with pytest.raises(Conflict, match="drafting"):
        services.contribution_add(circulation=leeds, author=make_member(unit=org.leeds), text="x")
    assert not Contribution.objects.exists()


def test_another_sections_members_speak_for_it(org, launched, chair, author, make_member):
    health = body_create(name="Health Section", kind=Body.Kind.POLICY_SECTION, unit=org.nation)
    scope = services.scope_propose(proposal=launched, by=chair, areas="Fares")
    services.scope_answer(scope=scope, by=author, agree=True)
    circulation = Circulation.objects.get(body=health)
    health_member = make_member(unit=org.york)
    body_membership_add(body=health, member=health_member, role=BodyMembership.Role.MEMBER)
    services.circulation_report(circulation=circulation, by=health_member, summary="Air quality.")
    circulation.refresh_from_db()
    assert circulation.status == Circulation.Status.DISCUSSED
