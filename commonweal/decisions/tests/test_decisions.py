"""The decision register: recording, minority positions, actions, the sweep, the pages."""

from datetime import timedelta

import pytest
from django.urls import reverse

from commonweal.core import clock
from commonweal.core.errors import Conflict, NotPermitted, Refused
from commonweal.decisions import selectors, services
from commonweal.decisions.models import Action, Decision, MinorityPosition
from commonweal.members.tests.factories import PASSWORD
from commonweal.notifications.models import Notification
from commonweal.organisation.services import body_membership_add
from commonweal.voting import services as voting

pytestmark = pytest.mark.django_db


@pytest.fixture
def chair(org, make_officer):
    return make_officer(body=org.leadership)


@pytest.fixture
def decision(org, chair):
    return services.decision_record(
        kind="motion",
        title="Campaign for free buses",
        text="We campaign for **free** buses.",
        body=org.leadership,
        rulebook_version=1,
        recorded_by=chair,
    )


def notified(kind: str) -> set[int]:
    return set(Notification.objects.filter(event__kind=kind).values_list("recipient_id", flat=True))


def test_decision_reaches_the_body_and_concerned_bodies_through_the_worker(
    org, chair, make_member, run_worker
):
    in_body, in_section, outsider = (make_member(unit=org.leeds) for _ in range(3))
    body_membership_add(body=org.leadership, member=in_body)
    body_membership_add(body=org.transport, member=in_section)
    services.decision_record(
        kind="motion",
        title="Free buses",
        text="Yes.",
        body=org.leadership,
        rulebook_version=1,
        recorded_by=chair,
        notify_bodies=[org.transport],
    )
    assert notified("decision.recorded") == set()
    run_worker()
    # Its members and the concerned section's, except the chair who recorded it.
    assert notified("decision.recorded") == {in_body.pk, in_section.pk}
    assert outsider.pk not in notified("decision.recorded")


def test_only_officers_record_decisions_and_nothing_is_written_otherwise(org, make_member):
    member = make_member(unit=org.leeds)
    with pytest.raises(NotPermitted):
        services.decision_record(
            kind="motion",
            title="T",
            text="x",
            body=org.leadership,
            rulebook_version=1,
            recorded_by=member,
        )
    assert not Decision.objects.exists()


@pytest.mark.parametrize(
    ("fields", "field"),
    [({"kind": "coup"}, "kind"), ({"title": " "}, "title"), ({"text": ""}, "text")],
)
def test_bad_decisions_are_refused(org, chair, fields, field):
    args = {
        "kind": "motion",
        "title": "T",
        "text": "x",
        "body": org.leadership,
        "rulebook_version": 1,
        "recorded_by": chair,
    }
    with pytest.raises(Refused) as caught:
        services.decision_record(**{**args, **fields})
    assert caught.value.field == field
    assert not Decision.objects.exists()


@pytest.fixture
def voted(org, make_member):
    """An open motion in the North, carried 3 to 1; returns (decision, yes voters, no voter)."""
    yes = [make_member(unit=org.leeds) for _ in range(3)]
    no = make_member(unit=org.york)
    vote = voting.vote_create(
        title="Free buses",
        body=org.leadership,
        method="majority",
        electorate=org.north,
        closes_at=clock.now() + timedelta(days=1),
        created_by=None,
        on_close="commonweal.decisions.services.record_vote_outcome",
    )
    vote = voting.vote_open(vote=vote, opened_by=None)
    for m in yes:
        voting.ballot_cast(vote=vote, voter=m, ranking=["yes"])
    voting.ballot_cast(vote=vote, voter=no, ranking=["no"])
    vote = voting.vote_close(vote=vote)
    return Decision.objects.get(vote=vote), yes, no


def test_a_carried_vote_becomes_a_decision(voted):
    decision, _, _ = voted
    assert decision.kind == "motion"
    assert decision.vote.outcome == "carried"
    assert "Carried" in decision.text


def test_minority_position_from_a_member_who_voted_against(voted, run_worker, org):
    decision, yes, no = voted
    services.minority_position_attach(decision=decision, text="Buses are not enough.", author=no)
    run_worker()
    # The vote's electorate (the North) hears of it, not the South, nor its author.
    assert yes[0].pk in notified("decision.minority_position")
    assert no.pk not in notified("decision.minority_position")


def test_minority_position_refused_from_a_member_who_voted_for(voted):
    decision, yes, _ = voted
    with pytest.raises(NotPermitted, match="went against"):
        services.minority_position_attach(decision=decision, text="Hm.", author=yes[0])
    assert not MinorityPosition.objects.exists()


def test_minority_position_refused_outside_the_electorate(voted, make_member, org):
    decision, _, _ = voted
    with pytest.raises(NotPermitted):
        services.minority_position_attach(
            decision=decision, text="x", author=make_member(unit=org.brighton)
        )
    assert not MinorityPosition.objects.exists()


def test_empty_minority_position_refused(voted):
    decision, _, no = voted
    with pytest.raises(Refused):
        services.minority_position_attach(decision=decision, text="  ", author=no)


def test_actions_progress_and_on_time_figures(org, chair, decision, make_member):
    owner = make_member(unit=org.leeds)
    today = clock.now().date()
    action = services.action_add(
        decision=decision,
        what="Print leaflets",
        owner_member=owner,
        due_on=today + timedelta(days=3),
        added_by=chair,
    )
    services.action_report(
        action=action, text="Half", percent=50, status="in_progress", reported_by=owner
    )
    with pytest.raises(NotPermitted):
        services.action_report(
            action=action,
            text="x",
            percent=10,
            status="in_progress",
            reported_by=make_member(unit=org.leeds),
        )
    with pytest.raises(Refused):
        services.action_report(
            action=action, text="x", percent=120, status="in_progress", reported_by=owner
        )
    services.action_report(action=action, text="Done", percent=0, status="done", reported_by=owner)
    action.refresh_from_db()
    assert (action.status, action.percent, action.done_on) == ("done", 100, today)
    with pytest.raises(Conflict):
        services.action_report(
            action=action, text="again", percent=100, status="done", reported_by=owner
        )
    assert selectors.on_time_by_body() == [
        {
            "body_id": org.leadership.pk,
            "name": org.leadership.name,
            "decisions": 1,
            "on_time": 1,
            "late": 0,
        }
    ]


def test_action_needs_an_owner_and_an_officer(org, chair, decision, make_member):
    with pytest.raises(Refused, match="owner"):
        services.action_add(decision=decision, what="x", due_on=clock.now().date(), added_by=chair)
    with pytest.raises(NotPermitted):
        services.action_add(
            decision=decision,
            what="x",
            owner_body=org.transport,
            due_on=clock.now().date(),
            added_by=make_member(unit=org.leeds),
        )
    assert not Action.objects.exists()


def test_overdue_actions_are_flagged_once_a_day(org, chair, decision, make_member, run_worker):
    owner = make_member(unit=org.leeds)
    today = clock.now().date()
    services.action_add(
        decision=decision,
        what="Leaflets",
        owner_member=owner,
        due_on=today + timedelta(days=1),
        added_by=chair,
    )
    assert services.actions_sweep(today=today) == 0
    later = today + timedelta(days=3)
    assert services.actions_sweep(today=later) == 1
    assert services.actions_sweep(today=later) == 0
    assert services.actions_sweep(today=later + timedelta(days=1)) == 1
    run_worker()
    assert {owner.pk, chair.pk} <= notified("decision.action_overdue")
    with clock.frozen(clock.now() + timedelta(days=3)):
        assert selectors.on_time_by_body()[0]["late"] == 1


def _make_decisions(org, author, n):
    for i in range(n):
        d = Decision.objects.create(
            kind="motion",
            title=f"Decision {i}",
            text="t",
            body=org.transport if i % 2 else org.leadership,
            decided_at=clock.now(),
            rulebook_version=1,
        )
        MinorityPosition.objects.create(
            decision=d, text="m", author=author, attached_at=clock.now(), published_at=clock.now()
        )


def test_register_filters_and_runs_constant_queries(
    client, org, make_member, django_assert_max_num_queries
):
    member = make_member(unit=org.leeds)
    client.login(email=member.email, password=PASSWORD)
    _make_decisions(org, member, 3)
    # One of the 13 asks whether the member holds an office (the link to record a decision
    # taken outside the platform); none grows with the register.
    with django_assert_max_num_queries(13):
        small = client.get(reverse("decisions:register"))
    _make_decisions(org, member, 30)
    with django_assert_max_num_queries(13):
        big = client.get(reverse("decisions:register"))
    assert small.status_code == big.status_code == 200
    Decision.objects.create(
        kind="policy",
        title="Bus fares",
        text="A flat fare.",
        body=org.transport,
        decided_at=clock.now(),
        rulebook_version=1,
    )
    page = client.get(reverse("decisions:register"), {"body": org.transport.pk, "q": "fares"})
    assert [d.title for d in page.context["page_obj"]] == ["Bus fares"]
    other_body = client.get(
        reverse("decisions:register"), {"body": org.leadership.pk, "q": "fares"}
    )
    assert list(other_body.context["page_obj"]) == []
    south = client.get(reverse("decisions:register"), {"unit": org.south.pk})
    assert list(south.context["page_obj"]) == []
    later = client.get(
        reverse("decisions:register"),
        {"date_from": (clock.now() + timedelta(days=2)).date().isoformat()},
    )
    assert list(later.context["page_obj"]) == []


def test_decision_page_shows_minority_position_with_equal_prominence(client, voted):
    decision, _, no = voted
    services.minority_position_attach(decision=decision, text="We dissent.", author=no)
    client.login(email=no.email, password=PASSWORD)
    html = client.get(reverse("decisions:detail", args=[decision.pk])).content.decode()
    assert 'class="side-by-side positions"' in html
    assert html.count('class="card position"') == 2
    assert "We dissent." in html


def test_minority_position_through_the_form_on_the_decision_page(client, voted):
    decision, yes, no = voted
    page = reverse("decisions:detail", args=[decision.pk])
    form = reverse("decisions:minority", args=[decision.pk])
    client.login(email=yes[0].email, password=PASSWORD)
    assert f'action="{form}"' not in client.get(page).content.decode()
    refused = client.post(form, {"text": "I changed my mind."}, follow=True)
    assert "went against the decision" in refused.content.decode()
    client.login(email=no.email, password=PASSWORD)
    assert f'action="{form}"' in client.get(page).content.decode()
    client.login(email=no.email, password=PASSWORD)
    too_long = client.post(form, {"text": "x" * 20_001})
    assert too_long.status_code == 400
    assert not MinorityPosition.objects.exists()
    done = client.post(form, {"text": "Buses alone are *not enough*."}, follow=True)
    html = done.content.decode()
    assert "Your minority position is published beside the decision." in html
    assert html.count('class="card position"') == 2
    assert "<em>not enough</em>" in html
    assert MinorityPosition.objects.get().author == no


def test_decision_page_is_hidden_from_non_members(client, decision, make_member, org):
    applicant = make_member(unit=org.leeds, status="applicant")
    client.login(email=applicant.email, password=PASSWORD)
    assert client.get(reverse("decisions:detail", args=[decision.pk])).status_code == 404


def test_register_tags_decisions_that_carry_a_minority_position(client, org, make_member):
    member = make_member(unit=org.leeds)
    client.force_login(member)
    _make_decisions(org, member, 2)

    page = client.get(reverse("decisions:register")).content.decode()

    assert page.count("1 minority position") == 2
