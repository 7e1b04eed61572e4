"""Where a proposal stands: the eight steps, what happens next and what the viewer may do now.

A proposal is driven through every step by the real services; at each one the stepper says
which steps are done, which is current and which are to come, with the dates the timeline
holds, and the sentence that tells members what happens next.
"""

from datetime import UTC, datetime, timedelta

import pytest
from django.urls import reverse

from commonweal.core import clock
from commonweal.policy import selectors, services
from commonweal.policy.models import Stage
from commonweal.policy.selectors import StepState
from commonweal.rulebook.selectors import current as rulebook

pytestmark = pytest.mark.django_db

DONE, CURRENT, TO_COME = StepState.DONE, StepState.CURRENT, StepState.TO_COME
ENDED, NOT_REACHED = StepState.ENDED, StepState.NOT_REACHED


def states(standing):
    return [step.state for step in standing.steps]


def at_step(n):
    """The states of the eight steps while a proposal is at step n."""
    return [DONE] * (n - 1) + [CURRENT] + [TO_COME] * (8 - n)


def transition_into(proposal, stage):
    return proposal.transitions.get(to_stage=stage)


def labels(standing):
    return [action.label for action in standing.actions]


def test_a_new_proposal_is_at_the_support_step_and_says_how_many_supports_it_needs_by_when(
    set_rules, propose, author, org, make_member
):
    set_rules(support_threshold_kind="absolute", support_threshold=14, support_days=30)
    with clock.frozen(datetime(2026, 12, 4, 10, 0, tzinfo=UTC)):
        proposal = propose()
        for _ in range(3):
            services.proposal_support(proposal=proposal, member=make_member(unit=org.york))
        proposal.refresh_from_db()
        standing = selectors.proposal_standing(proposal, author)
        neighbour = make_member(unit=org.leeds)
        theirs = selectors.proposal_standing(proposal, neighbour)

    assert states(standing) == at_step(2)
    assert [step.name for step in standing.steps] == [
        "Proposal",
        "Support",
        "Scoping",
        "Circulation",
        "Drafting",
        "Wider consultation",
        "Approval",
        "Publication",
    ]
    support = standing.steps[1]
    assert support.started == proposal.created_at
    assert support.deadline == datetime(2027, 1, 3, 10, 0, tzinfo=UTC)
    assert support.ended is None
    assert standing.summary == "Step 2 of 8: support."
    assert standing.next.startswith("Your proposal needs 11 more supports by 3 January 2027.")
    assert theirs.next.startswith("This proposal needs 11 more supports by 3 January 2027.")
    # The steps to come carry the rulebook's time for them.
    assert [step.days for step in standing.steps[2:7]] == [
        rulebook()[f"policy.{rule}"]
        for rule in (
            "scoping_days",
            "circulation_days",
            "drafting_days",
            "consultation_days",
            "approval_days",
        )
    ]
    assert theirs.actions == [
        selectors.Action(
            "Support this proposal", reverse("policy:support", args=[proposal.pk]), True
        )
    ]
    proposal = services.proposal_support(proposal=proposal, member=neighbour)
    assert selectors.proposal_standing(proposal, neighbour).actions == []
    assert selectors.step_words(proposal) == (
        "Step 2 of 8, support: needs 10 more supports by 3 January 2027"
    )


def test_each_step_in_turn_is_current_with_the_dates_of_those_done(
    circulating, chair, author, org, make_member, make_officer, contributions
):
    """Steps 1 to 4 from the timeline: proposal, support (launched), scoping, circulation."""
    standing = selectors.proposal_standing(circulating, author)
    assert states(standing) == at_step(4)
    launched = transition_into(circulating, Stage.SCOPING).at
    circulated = transition_into(circulating, Stage.CIRCULATION)
    support, scoping, circulation = standing.steps[1:4]
    assert support.ended == launched == scoping.started
    assert scoping.ended == circulated.at == circulation.started
    assert circulation.deadline == circulated.deadline == circulating.stage_deadline
    total = circulating.circulations.count()
    day = selectors.day_words(circulating.stage_deadline)
    assert standing.next.startswith(
        f"Circulation closes on {day}; 0 of {total} units and sections have reported."
    )
    # Before the deadline only the officers the rulebook names may end circulation.
    from commonweal.organisation.models import BodyMembership
    from commonweal.organisation.services import body_membership_add

    section_member = make_member(unit=org.york)
    body_membership_add(body=org.transport, member=section_member, role=BodyMembership.Role.MEMBER)
    ending = "Close circulation and start drafting"
    assert ending in labels(selectors.proposal_standing(circulating, chair))
    assert ending not in labels(selectors.proposal_standing(circulating, section_member))
    with clock.frozen(circulating.stage_deadline + timedelta(minutes=1)):
        assert ending in labels(selectors.proposal_standing(circulating, section_member))

    leeds = circulating.circulations.get(unit=org.leeds)
    officer = make_officer(of=org.leeds)
    assert labels(selectors.proposal_standing(circulating, officer)) == ["Report the view of Leeds"]
    assert labels(selectors.proposal_standing(circulating, make_member(unit=org.leeds))) == [
        "Take part in the discussion in Leeds"
    ]
    services.circulation_report(circulation=leeds, by=officer, summary="Free fares for all.")
    assert f"1 of {total} units and sections have reported" in (
        selectors.proposal_standing(circulating, officer).next
    )
    assert selectors.proposal_standing(circulating, officer).actions == []


def test_scoping_says_who_is_waiting_on_whom(launched, chair, author, make_member, org):
    standing = selectors.proposal_standing(launched, chair)
    assert states(standing) == at_step(3)
    assert standing.next.startswith("Transport Section is to suggest the areas of policy")
    assert labels(standing) == ["Suggest the areas to update"]
    assert selectors.proposal_standing(launched, author).actions == []

    scope = services.scope_propose(proposal=launched, by=chair, areas="Fares.")
    mine = selectors.proposal_standing(launched, author)
    assert mine.next.startswith("Transport Section suggested the areas to update on")
    assert labels(mine) == ["Answer the section's suggestion"]
    assert selectors.proposal_standing(launched, chair).next.startswith(
        "Waiting for the proposer to agree"
    )
    assert selectors.proposal_standing(launched, chair).actions == []

    services.scope_answer(scope=scope, by=author, agree=False, text="Add rural routes.")
    assert "The proposer asked for changes" in selectors.proposal_standing(launched, chair).next


def test_drafting_consultation_approval_and_publication(
    drafting, chair, author, org, make_member, contributions, write_draft, vote_all, days_pass
):
    from commonweal.voting.models import Vote
    from commonweal.voting.services import vote_close

    member = make_member(unit=org.york)
    drafting.refresh_from_db()
    standing = selectors.proposal_standing(drafting, chair)
    assert states(standing) == at_step(5)
    assert standing.steps[3].ended == standing.steps[4].started
    assert standing.next.startswith("Transport Section is writing the draft from 3 contributions")
    assert labels(standing) == ["Write the draft from the contributions"]
    assert selectors.proposal_standing(drafting, member).actions == []

    a, b, _c = contributions
    write_draft(drafting, chair, a, b)
    services.consultation_open(proposal=drafting, by=chair)
    drafting.refresh_from_db()
    standing = selectors.proposal_standing(drafting, member)
    assert states(standing) == at_step(6)
    day = selectors.day_words(drafting.stage_deadline)
    assert standing.next.startswith(f"The draft is open for comments until {day}")
    assert standing.actions == [
        selectors.Action(
            "Read and comment on the draft", reverse("policy:draft", args=[drafting.pk, 1])
        )
    ]

    days_pass(22)
    assert labels(selectors.proposal_standing(drafting, chair)) == [
        "Read and comment on the draft",
        "Write the draft from the contributions",
        "Declare the final draft",
    ]
    services.final_draft(proposal=drafting, by=chair)
    drafting.refresh_from_db()
    standing = selectors.proposal_standing(drafting, member)
    assert states(standing) == at_step(7)
    assert standing.next.startswith("Members may propose amendments to the final draft")
    assert labels(standing) == ["Propose amendments to the final draft"]
    assert labels(selectors.proposal_standing(drafting, chair))[-1] == "Call the e-conference"

    closes = days_pass(15) + timedelta(days=7)
    approval = services.approval_call(proposal=drafting, by=chair, closes_at=closes)
    standing = selectors.proposal_standing(drafting, member)
    assert standing.next == (
        "The e-conference votes on the final text until "
        f"{selectors.day_words(closes, time=True)}; if it is approved, the policy is "
        "published on the website."
    )
    vote = Vote.objects.get(pk=approval.vote_id)
    assert standing.actions == [
        selectors.Action(f"Vote: {vote.title}", reverse("voting:detail", args=[vote.pk]))
    ]
    voters = [member, *(make_member(unit=org.leeds) for _ in range(5))]
    vote_all(vote, voters, "yes")
    assert selectors.proposal_standing(drafting, member).actions == []
    vote_close(vote=vote)
    drafting.refresh_from_db()

    standing = selectors.proposal_standing(drafting, member)
    assert drafting.stage == Stage.PUBLISHED
    assert states(standing) == [DONE] * 8
    assert standing.summary == "Published: all eight steps are done."
    assert standing.steps[7].ended == transition_into(drafting, Stage.PUBLISHED).at
    assert standing.steps[6].ended == standing.steps[7].started
    assert standing.actions == [
        selectors.Action("Read the published policy", drafting.policy.get_absolute_url())
    ]
    assert selectors.step_words(drafting).startswith("Approved and published on ")


def test_an_expired_proposal_says_it_ran_out_of_time_and_with_how_many_supporters(
    threshold, propose, author, make_member, org
):
    proposal = services.proposal_support(proposal=propose(), member=make_member(unit=org.york))
    deadline = proposal.stage_deadline
    with clock.frozen(deadline - timedelta(hours=1)):
        assert "needs 2 more supports" in selectors.proposal_standing(proposal, author).next
    with clock.frozen(deadline + timedelta(minutes=5)):
        assert selectors.proposal_standing(proposal, author).next.startswith(
            "Its time to gather support ran out on"
        )
        assert selectors.proposal_standing(proposal, author).actions == []
        services.proposals_sweep()
    proposal.refresh_from_db()
    standing = selectors.proposal_standing(proposal, author)
    assert states(standing) == [DONE, ENDED] + [NOT_REACHED] * 6
    assert standing.steps[1].ended == deadline + timedelta(minutes=5)
    assert standing.summary == "Stopped at step 2 of 8, support."
    day = selectors.day_words(deadline + timedelta(minutes=5))
    assert standing.why == (
        f"Expired on {day}: it had 1 of the 3 supporters it needed by its deadline, "
        "so the policy change process was not launched."
    )
    assert standing.next == ""
    assert selectors.step_words(proposal) == f"Expired on {day} with 1 of 3 supporters"


def test_a_withdrawn_proposal_says_its_author_withdrew_it(threshold, propose, author):
    proposal = propose()
    services.proposal_withdraw(proposal=proposal, by=author)
    proposal.refresh_from_db()
    standing = selectors.proposal_standing(proposal, author)
    assert states(standing) == [DONE, ENDED] + [NOT_REACHED] * 6
    day = selectors.day_words(proposal.stage_started_at)
    assert standing.why == f"Withdrawn by its author on {day}, before it was launched."
    assert selectors.step_words(proposal) == f"Withdrawn by its author on {day}"


def test_a_stalled_step_says_since_when_and_that_the_chairs_are_reminded(
    circulating, author, chair
):
    deadline = circulating.stage_deadline
    with clock.frozen(deadline + timedelta(days=2)):
        services.proposals_sweep()
        circulating.refresh_from_db()
        standing = selectors.proposal_standing(circulating, author)
        day = selectors.day_words(deadline)
        words = selectors.step_words(circulating)
    assert states(standing) == at_step(4)
    assert standing.step.stalled_since == deadline
    assert standing.step.late
    assert standing.why == (
        f"Stalled since {day}: this step is past its deadline. The chairs of Transport Section "
        "are reminded every day until it moves on."
    )
    assert words == f"Step 4 of 8, circulation: stalled since {day}"


def test_a_rejected_proposal_stops_at_the_approval_step(
    consulting, chair, author, org, make_member, vote_all, days_pass
):
    from commonweal.voting.models import Vote
    from commonweal.voting.services import vote_close

    days_pass(22)
    services.final_draft(proposal=consulting, by=chair)
    days_pass(15)
    approval = services.approval_call(
        proposal=consulting, by=chair, closes_at=clock.now() + timedelta(days=7)
    )
    vote = Vote.objects.get(pk=approval.vote_id)
    vote_all(vote, [make_member(unit=org.york) for _ in range(6)], "no")
    vote_close(vote=vote)
    consulting.refresh_from_db()
    standing = selectors.proposal_standing(consulting, author)
    assert states(standing) == [DONE] * 6 + [ENDED, NOT_REACHED]
    assert standing.why.startswith("The e-conference did not approve this policy")


def test_the_page_shows_the_stepper_with_the_current_step_marked_and_the_board_says_the_step(
    circulating, author, client_of, org
):
    client = client_of(author)
    page = client.get(reverse("policy:proposal", args=[circulating.pk])).content.decode()
    stepper = page.split('<ol class="stepper"')[1].split("</ol>")[0]
    assert stepper.count("<li") == 8
    assert stepper.count('aria-current="step"') == 1
    current = stepper.split('aria-current="step"')[1].split("</li>")[0]
    assert "Circulation" in current
    assert "Current step" in current
    assert f"due by {selectors.day_words(circulating.stage_deadline)}" in current
    assert "Circulation closes on" in page
    board = client.get(reverse("policy:board")).content.decode()
    day = selectors.day_words(circulating.stage_deadline)
    assert f"Step 4 of 8, circulation, due by {day}" in board


def test_while_the_author_is_hidden_the_stepper_does_not_say_whose_proposal_it_is(
    set_rules, propose, author, org, make_member, client_of
):
    set_rules(anonymous_until_launch=True, support_threshold_kind="absolute", support_threshold=3)
    proposal = propose()
    other = make_member(unit=org.york)
    assert selectors.proposal_standing(proposal, other).next.startswith("This proposal needs")
    page = client_of(other).get(reverse("policy:proposal", args=[proposal.pk])).content.decode()
    stepper = page.split('<section class="card standing"')[1].split("</section>")[0]
    assert author.display_name not in stepper
    assert "Your proposal" not in stepper


def test_after_an_action_the_page_it_leads_to_says_what_happens_next(
    threshold, propose, org, make_member, client_of, circulating
):
    proposal = propose()
    client = client_of(make_member(unit=org.york))
    page = client.post(reverse("policy:support", args=[proposal.pk]), follow=True)
    text = page.content.decode()
    assert "Thank you: your support is counted." in text
    day = selectors.day_words(proposal.stage_deadline)
    assert f"This proposal needs 2 more supports by {day}." in text

    leeds = circulating.circulations.get(unit=org.leeds)
    client = client_of(make_member(unit=org.leeds))
    page = client.post(
        reverse("policy:circulation", args=[leeds.pk]),
        {"form": "contribution", "text": "Free fares under 25."},
        follow=True,
    )
    text = page.content.decode()
    assert "Your contribution has been added." in text
    line = text.split('<p class="standing-line">')[1].split("</p>")[0]
    assert "Step 4 of 8: circulation." in line
    assert f"Circulation closes on {selectors.day_words(circulating.stage_deadline)}" in line


def test_an_e_conference_without_a_quorum_is_given_as_the_reason_the_step_is_not_done(
    final, chair, author, org, make_member, vote_all, days_pass
):
    from commonweal.voting.models import Vote
    from commonweal.voting.services import vote_close

    proposal = final.proposal
    members = [make_member(unit=org.leeds) for _ in range(30)]
    closes = days_pass(15) + timedelta(days=7)
    approval = services.approval_call(proposal=proposal, by=chair, closes_at=closes)
    vote = Vote.objects.get(pk=approval.vote_id)
    vote_all(vote, members[:1], "no")
    vote_close(vote=vote)
    proposal.refresh_from_db()
    standing = selectors.proposal_standing(proposal, author)
    assert states(standing) == at_step(7)
    assert standing.why == (
        f"The e-conference's vote on the final text closed on {selectors.day_words(clock.now())} "
        "without a quorum and decided nothing; Transport Section may call the e-conference again."
    )
