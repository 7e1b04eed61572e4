"""Planning, authorising, carrying out and assessing interventions; struggles and reports."""

from datetime import timedelta

import pytest
from django.urls import reverse

from commonweal.core import clock
from commonweal.core.errors import Conflict, NotPermitted, Refused
from commonweal.decisions.models import Decision
from commonweal.interventions import services
from commonweal.interventions.models import (
    Assessment,
    Intervention,
    Lesson,
    SpontaneousAction,
    Struggle,
)
from commonweal.notifications.models import Notification
from commonweal.record.models import Entry


def told(member, kind: str) -> list[str]:
    return list(
        Notification.objects.filter(recipient=member, event__kind=kind).values_list(
            "event__title", flat=True
        )
    )


def test_a_leaflet_is_planned_by_the_officers_and_recorded_as_their_decision(plan, assembly):
    intervention = plan()
    assert intervention.status == Intervention.Status.PLANNED
    assert not intervention.needs_decision
    decision = intervention.decision
    assert decision.kind == Decision.Kind.INTERVENTION
    assert decision.body == assembly
    assert decision.subject == intervention.subject
    assert decision.text == "Win 200 passengers to back the drivers."


def test_an_intervention_without_aims_is_refused_and_nothing_is_written(plan):
    entries, decisions = Entry.objects.count(), Decision.objects.count()
    with pytest.raises(Refused) as refused:
        plan(aims="   ")
    assert refused.value.field == "aims"
    assert "aims" in refused.value.message
    assert Intervention.objects.count() == 0
    assert (Entry.objects.count(), Decision.objects.count()) == (entries, decisions)


def test_every_mistake_in_a_plan_is_given_at_once(plan, now):
    with pytest.raises(Refused) as refused:
        plan(aims="", title="", assess_on=now.date())
    fields = {refused.value.field, *(r.field for r in refused.value.also)}
    assert fields == {"aims", "title", "assess_on"}


def test_another_branchs_officer_may_not_plan_for_leeds(plan, strike, assembly, org, make_officer):
    brighton = make_officer(org.brighton)
    with pytest.raises(NotPermitted):
        services.intervention_plan(
            struggle=strike,
            body=assembly,
            by=brighton,
            title="Ours now",
            kind="leaflet",
            aims="Take over.",
            assess_on=clock.now().date() + timedelta(days=9),
        )
    assert Intervention.objects.count() == 0


def test_standing_in_an_election_waits_for_the_bodys_vote_through_a_motion(
    plan, assembly, chair, members, now
):
    from commonweal.meetings import services as meetings
    from commonweal.meetings.models import Motion
    from commonweal.voting.models import Vote
    from commonweal.voting.services import ballot_cast, vote_close

    intervention = plan(kind="election", title="Stand in the council by-election")
    assert intervention.status == Intervention.Status.AWAITING_DECISION
    assert intervention.decision is None
    # Nothing starts before the body has decided.
    with pytest.raises(Conflict, match="needs its vote"):
        services.intervention_start(intervention=intervention, by=chair)

    meeting = meetings.meeting_schedule(
        body=assembly,
        kind="online",
        video_url="https://meet.example.org/leeds",
        title="Branch meeting",
        opens_at=now,
        closes_at=now + timedelta(hours=2),
        scheduled_by=chair,
    )
    motion = services.intervention_put_to_meeting(
        intervention=intervention, meeting=meeting, by=chair
    )
    assert motion.item.subject == intervention.subject
    assert "Stand in the council by-election" in motion.item.title
    # Put twice: refused while the first is before the body.
    with pytest.raises(Conflict):
        services.intervention_put_to_meeting(intervention=intervention, meeting=meeting, by=chair)

    for person in [chair, *members]:
        meetings.attendance_register(meeting=meeting, member=person)
    meetings.motion_put_to_vote(motion=motion, chair=chair, closes_at=now + timedelta(hours=1))
    vote = Vote.objects.get(pk=Motion.objects.get(pk=motion.pk).vote_id)
    for voter in [chair, *members]:
        ballot_cast(vote=vote, voter=voter, ranking=["yes"])
    vote_close(vote=vote, closed_by=chair)

    started = services.intervention_start(intervention=intervention, by=chair)
    assert started.status == Intervention.Status.UNDER_WAY
    assert started.decision.vote_id == vote.pk
    assert started.decision.kind == Decision.Kind.MOTION


def test_carried_out_then_assessed_with_lessons(plan, chair, now):
    intervention = plan()
    # An unfinished intervention cannot be assessed: refused, nothing written.
    services.intervention_start(intervention=intervention, by=chair)
    with pytest.raises(Conflict, match="carried out"):
        services.intervention_assess(
            intervention=intervention,
            by=chair,
            worked="Much.",
            failed="Little.",
            why="Because.",
            lessons=[{"title": "Go early"}],
        )
    assert Assessment.objects.count() == Lesson.objects.count() == 0

    services.intervention_report(
        intervention=intervention, by=chair, report="500 leaflets at the depot gate."
    )
    assessment = services.intervention_assess(
        intervention=intervention,
        by=chair,
        worked="Drivers took the leaflets; 140 passengers signed.",
        failed="We missed the 200 we aimed for.",
        why="The morning shift had already gone in.",
        lessons=[{"title": "Leaflet before 6am", "tags": ["Leaflets", "timing"], "shared": True}],
    )
    intervention.refresh_from_db()
    assert intervention.status == Intervention.Status.ASSESSED
    (lesson,) = assessment.lessons.all()
    assert sorted(t.name for t in lesson.tags.all()) == ["leaflets", "timing"]
    with pytest.raises(Conflict, match="already been assessed"):
        services.intervention_assess(
            intervention=intervention, by=chair, worked="x", failed="y", why="z"
        )


def test_a_branch_sees_its_own_interventions_and_the_units_above_see_below(
    client, plan, org, make_member, make_officer
):
    intervention = plan()
    url = reverse("interventions:detail", args=[intervention.pk])
    leeds_member = make_member(unit=org.leeds)
    york_member = make_member(unit=org.york)
    north_officer = make_officer(org.north)
    brighton_officer = make_officer(org.brighton)
    for person, status in [
        (leeds_member, 200),
        (north_officer, 200),
        (york_member, 404),
        (brighton_officer, 404),
    ]:
        client.force_login(person)
        assert client.get(url).status_code == status, person
        listed = client.get(reverse("interventions:list")).content.decode()
        assert ("Leaflet the depot" in listed) == (status == 200)


def test_lessons_are_found_by_word_and_tag_within_what_the_viewer_may_see(
    plan, chair, org, make_member
):
    from commonweal.interventions import selectors

    first, second = plan(title="Depot leaflet"), plan(title="Public meeting")
    for intervention, title, shared in [
        (first, "Leaflet before dawn", False),
        (second, "Book a bigger hall", True),
    ]:
        services.intervention_start(intervention=intervention, by=chair)
        services.intervention_report(intervention=intervention, by=chair, report="Done.")
        services.intervention_assess(
            intervention=intervention,
            by=chair,
            worked="a",
            failed="b",
            why="c",
            lessons=[{"title": title, "tags": ["timing"], "shared": shared}],
        )
    leeds, york = make_member(unit=org.leeds), make_member(unit=org.york)
    assert [lesson.title for lesson in selectors.lessons(leeds, text="dawn")] == [
        "Leaflet before dawn"
    ]
    assert {lesson.title for lesson in selectors.lessons(leeds, tag="Timing")} == {
        "Leaflet before dawn",
        "Book a bigger hall",
    }
    # York sees only the lesson Leeds shared with the whole organisation.
    assert [lesson.title for lesson in selectors.lessons(york)] == ["Book a bigger hall"]


def test_assessment_reminder_overdue_and_escalation_under_a_pinned_clock(
    plan, chair, org, make_officer, make_member, run_worker, now
):
    plan(assess_on=now.date() + timedelta(days=10))
    leeds_member = make_member(unit=org.leeds)
    from commonweal.organisation.selectors import assembly_of
    from commonweal.organisation.services import body_membership_add

    body_membership_add(body=assembly_of(org.leeds), member=leeds_member)
    north_officer = make_officer(org.north)

    def sweep(day):
        with clock.frozen(now + timedelta(days=day)):
            result = services.assessments_sweep()
        run_worker()
        return result

    # 10 days before: nothing yet (reminder 7 days before).
    assert sweep(0) == {"reminded": 0, "overdue": 0, "escalated": 0}
    assert sweep(3) == {"reminded": 1, "overdue": 0, "escalated": 0}
    assert told(chair, "intervention.assessment_due") == [
        "Assessment due by 2026-03-12: Leaflet the depot"
    ]
    assert told(leeds_member, "intervention.assessment_due") == []  # officers only
    assert sweep(4) == {"reminded": 0, "overdue": 0, "escalated": 0}  # once only
    # Past its date: overdue to the body (and its chair), once.
    assert sweep(11) == {"reminded": 0, "overdue": 1, "escalated": 0}
    assert sweep(11) == {"reminded": 0, "overdue": 0, "escalated": 0}
    assert len(told(chair, "intervention.assessment_overdue")) == 1
    assert len(told(leeds_member, "intervention.assessment_overdue")) == 1
    assert told(north_officer, "intervention.assessment_escalated") == []
    # 14 days overdue: the body above (the North's assembly) is told, once.
    assert sweep(25)["escalated"] == 1
    assert sweep(26)["escalated"] == 0
    assert told(north_officer, "intervention.assessment_escalated") == [
        f"{assembly_of(org.leeds).name} has not assessed “Leaflet the depot”, due 2026-03-12"
    ]
    assert Entry.objects.filter(kind="intervention.assessment_escalated").count() == 1


def test_an_assessed_intervention_is_never_chased(plan, chair, now):
    intervention = plan(assess_on=now.date() + timedelta(days=2))
    services.intervention_start(intervention=intervention, by=chair)
    services.intervention_report(intervention=intervention, by=chair, report="Done.")
    services.intervention_assess(
        intervention=intervention, by=chair, worked="a", failed="b", why="c"
    )
    with clock.frozen(now + timedelta(days=40)):
        assert services.assessments_sweep() == {"reminded": 0, "overdue": 0, "escalated": 0}


def test_a_member_reports_a_spontaneous_action_and_is_told_the_officers_decision(
    org, chair, make_member, run_worker, now
):
    member = make_member(unit=org.leeds)
    report = services.spontaneous_action_report(
        by=member, unit=org.leeds, what="Cleaners walked out at the hospital.", seen_on=now.date()
    )
    run_worker()
    assert len(told(chair, "struggle.action_reported")) == 1
    # Another branch's member cannot report into Leeds.
    with pytest.raises(NotPermitted):
        services.spontaneous_action_report(
            by=make_member(unit=org.brighton), unit=org.leeds, what="x", seen_on=now.date()
        )
    # Not followed without a reason: refused.
    with pytest.raises(Refused, match="why"):
        services.spontaneous_action_decide(report=report, by=chair, follow=False)
    services.spontaneous_action_decide(
        report=report, by=chair, follow=True, title="Hospital cleaners' walk-out"
    )
    run_worker()
    report.refresh_from_db()
    assert report.status == SpontaneousAction.Status.FOLLOWED
    assert report.struggle.title == "Hospital cleaners' walk-out"
    assert report.struggle.unit == org.leeds
    assert told(member, "struggle.action_decided") == [
        "Your report is followed: Hospital cleaners' walk-out"
    ]
    with pytest.raises(Conflict):
        services.spontaneous_action_decide(report=report, by=chair, follow=False, reason="No")


def test_the_timeline_takes_a_source_and_a_library_document(strike, chair, assembly, now):
    import io

    from commonweal.library import samples
    from commonweal.library import services as library

    upload = io.BytesIO(samples.pdf("photo"))
    upload.name = "picket.pdf"
    document = library.document_add(
        body=assembly, title="Picket photo", file=upload, uploaded_by=chair
    )
    event = services.struggle_event_add(
        struggle=strike,
        by=chair,
        happened_on=now.date(),
        text="Picket at the depot.",
        source="https://news.example/picket",
        document=document,
    )
    assert event.document == document
    with pytest.raises(Refused) as refused:
        services.struggle_event_add(
            struggle=strike, by=chair, happened_on=now.date() + timedelta(days=1), text=""
        )
    assert {refused.value.field, *(r.field for r in refused.value.also)} == {
        "text",
        "happened_on",
    }
    assert strike.events.count() == 1


def test_struggles_list_filters_by_unit_subtree_and_status(client, org, chair, make_officer, now):
    national = make_officer(org.nation)
    services.struggle_create(
        by=national, title="NHS pay", kind="national_issue", unit=org.nation, since=now.date()
    )
    leeds = services.struggle_create(
        by=chair, title="Bus strike", kind="strike", unit=org.leeds, since=now.date()
    )
    services.struggle_update(
        struggle=leeds, by=chair, status=Struggle.Status.WON, involvement="taking_part"
    )
    client.force_login(national)
    page = client.get(reverse("interventions:struggles"), {"unit": org.north.pk}).content.decode()
    assert "Bus strike" in page
    assert "NHS pay" not in page
    page = client.get(reverse("interventions:struggles"), {"status": "ongoing"}).content.decode()
    assert "Bus strike" not in page
    assert "NHS pay" in page


def test_the_pages_take_a_plan_and_refuse_one_without_aims_beside_the_field(
    client, strike, chair, assembly, now
):
    client.force_login(chair)
    url = reverse("interventions:plan", args=[strike.pk])
    data = {
        "title": "Leaflet",
        "kind": "leaflet",
        "body": assembly.pk,
        "aims": "",
        "assess_on": (now.date() + timedelta(days=5)).isoformat(),
    }
    response = client.post(url, data)
    assert response.status_code == 200  # the form again, with the refusal beside the field
    assert "State the aims beforehand" in response.content.decode()
    assert Intervention.objects.count() == 0
    response = client.post(url, {**data, "aims": "Reach the night shift."})
    intervention = Intervention.objects.get()
    assert response.status_code == 302
    assert response["Location"] == reverse("interventions:detail", args=[intervention.pk])


def test_decision_review_date_reminder_and_record(org, chair, assembly, run_worker, now):
    from commonweal.decisions import services as decisions
    from commonweal.rulebook.selectors import current

    decision = decisions.decision_record(
        kind="motion",
        title="We back the strike",
        text="Resolved.",
        body=assembly,
        rulebook_version=current().version,
        recorded_by=chair,
    )
    with pytest.raises(Refused):
        decisions.decision_review_set(decision=decision, review_on=now.date(), by=chair)
    with pytest.raises(Conflict, match="no review date"):
        decisions.decision_review_record(decision=decision, outcome="x", by=chair)
    decisions.decision_review_set(
        decision=decision, review_on=now.date() + timedelta(days=20), by=chair
    )
    with clock.frozen(now + timedelta(days=10)):
        assert decisions.decisions_review_sweep() == 0
    with clock.frozen(now + timedelta(days=13)):
        assert decisions.decisions_review_sweep() == 1
        assert decisions.decisions_review_sweep() == 0
    run_worker()
    assert told(chair, "decision.review_due") == ["Review due on 2026-03-22: We back the strike"]
    decisions.decision_review_record(
        decision=decision, outcome="The strike won a 6% rise.", by=chair
    )
    decision.refresh_from_db()
    assert decision.reviewed_at is not None
    assert "6% rise" in decision.review_outcome_html


def test_assessments_due_and_overdue_and_reviews_due_are_in_what_needs_you(
    client, plan, chair, members, assembly, now
):
    from commonweal.decisions.services import decision_review_set
    from commonweal.members.needs import needs_of

    intervention = plan(assess_on=now.date() + timedelta(days=10))
    assert [n.kind for n in needs_of(chair)] == []  # not yet within the reminder's 7 days
    with clock.frozen(now + timedelta(days=4)):
        assert [n.title for n in needs_of(chair)] == ["Assess: Leaflet the depot"]
        assert needs_of(members[0]) == []  # the body's officers act on it, not its members
        decision_review_set(
            decision=intervention.decision, review_on=now.date() + timedelta(days=8), by=chair
        )
        client.force_login(chair)
        page = client.get(reverse("members:home")).content.decode()
        assert "Assess: Leaflet the depot" in page
        assert "Review what came of: Intervention: Leaflet the depot" in page
    with clock.frozen(now + timedelta(days=12)):
        needs = needs_of(chair)
        assert "Assessment overdue: Leaflet the depot" in [n.title for n in needs]
        assert all(n.overdue for n in needs)
    services.intervention_cancel(intervention=intervention, by=chair, reason="Strike over.")
    with clock.frozen(now + timedelta(days=12)):
        assert [n.kind for n in needs_of(chair)] == ["decision_review"]
