"""An e-conference walked through in a real browser: members sign in, register as present,
vote on an amendment and on a policy's approval, rank candidates in an election; after the
close the result pages show the count (STV stages and transfers) and the decisions."""

import copy
from datetime import timedelta

import pytest

from commonweal.core import clock
from commonweal.decisions.models import Decision
from commonweal.meetings import services
from commonweal.meetings.models import AgendaItem, Attendance, Meeting
from commonweal.organisation.models import BodyMembership, Mandate
from commonweal.policy import services as policy
from commonweal.policy.models import Approval, Policy
from commonweal.voting.models import OpenBallot, Vote, VoterRoll
from commonweal.voting.services import ballot_cast, vote_close

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def _rulebook_with_an_absolute_threshold():
    from commonweal.rulebook.selectors import current
    from commonweal.rulebook.services import rulebook_bring_into_force, rulebook_stage

    rules = copy.deepcopy(current().rules)
    rules["policy"].update(support_threshold_kind="absolute", support_threshold=3)
    rulebook_bring_into_force(version=rulebook_stage(rules=rules, staged_by=None))


def _policy_at_approval(org, chair, make_member):
    """A transport proposal taken through the process to its final draft, one amendment
    proposed, and the approval e-conference called by the section (the policy services)."""
    _rulebook_with_an_absolute_threshold()
    author = make_member(unit=org.leeds, full_name="Ana Costa")
    now = clock.now()
    with clock.frozen(now - timedelta(days=40)):
        proposal = _in_consultation(org, chair, author, make_member)
    # The consultation ran its course; the amendments have had the rulebook's shortest time.
    with clock.frozen(now - timedelta(days=8)):
        final = policy.final_draft(proposal=proposal, by=chair)
        policy.amendment_propose(
            paragraph=final.paragraphs.get(position=2),
            by=author,
            text="Night buses run every twenty minutes.",
            reason="Shift workers.",
        )
    return policy.approval_call(
        proposal=proposal,
        by=chair,
        amendments_close_at=now + timedelta(days=1),
        closes_at=now + timedelta(days=3),
        reason="The e-conference must finish before the regional conference.",
    )


def _in_consultation(org, chair, author, make_member):
    proposal = policy.proposal_create(
        author=author,
        section=org.transport,
        title="Buses for everyone",
        text="Our bus policy is out of date.",
        prompted_by="Better Buses campaign",
    )
    for _ in range(3):
        proposal = policy.proposal_support(proposal=proposal, member=make_member(unit=org.brighton))
    scope = policy.scope_propose(proposal=proposal, by=chair, areas="Fares; night buses.")
    policy.scope_answer(scope=scope, by=author, agree=True)
    proposal.refresh_from_db()
    contribution = policy.contribution_add(
        circulation=proposal.circulations.get(unit=org.leeds),
        author=make_member(unit=org.leeds),
        text="Free fares under 25.",
    )
    policy.drafting_start(proposal=proposal, by=chair, reason="Leeds has reported.")
    policy.draft_save(
        proposal=proposal,
        by=chair,
        paragraphs=[
            {"text": "Fares will be free for everyone under 25.", "cites": [contribution.pk]},
            {"text": "Night buses run hourly.", "cites": []},
        ],
    )
    return policy.consultation_open(proposal=proposal, by=chair)


def _open(page, base, path, axe):
    page.goto(f"{base}{path}")
    assert axe(page) == [], path


def _follow(page, item_title: str, link: str) -> None:
    """From the meeting page, follow an agenda item's link to its vote."""
    page.locator("article.agenda-item", has_text=item_title).get_by_role("link", name=link).click()
    page.wait_for_load_state()


def test_members_attend_vote_on_an_amendment_the_approval_and_an_election(
    live_server, page, axe, sign_in, org, make_member, make_officer, run_worker
):
    base = live_server.url
    chair = make_officer(body=org.transport, role="chair", unit=org.york, full_name="Maya Singh")
    approval = _policy_at_approval(org, chair, make_member)
    meeting = Meeting.objects.get(pk=approval.meeting_id)
    assert meeting.is_econference

    # The section adds an election to the e-conference's agenda with three candidates.
    election = services.agenda_item_add(
        meeting=meeting, kind="election", title="Transport section committee", added_by=chair
    )
    candidates = {
        name: make_member(unit=org.york, full_name=name) for name in ("Ada", "Bea", "Cal")
    }
    for candidate in candidates.values():
        services.candidate_nominate(item=election, candidate=candidate, nominated_by=chair)
    rita, sam = (make_member(unit=org.leeds, full_name=n) for n in ("Rita Quayle", "Sam Okoro"))

    # The policy process called the e-conference without a video link: the chair gives one.
    sign_in(page, base, chair.email)
    _open(page, base, f"/meetings/{meeting.pk}/", axe)
    page.get_by_text("Give the video link").click()
    page.get_by_label("Video conference link").fill("https://meet.jit.si/buses-for-everyone")
    page.get_by_role("button", name="Save the link").click()
    page.wait_for_load_state()
    assert "The video link is set" in page.inner_text("main")
    assert axe(page) == []
    page.context.clear_cookies()

    # Two members sign in, register as present and vote yes on the amendment.
    for member in (rita, sam):
        sign_in(page, base, member.email)
        _open(page, base, f"/meetings/{meeting.pk}/", axe)
        video = page.get_by_role("link", name="Join the video conference")
        assert video.get_attribute("href") == "https://meet.jit.si/buses-for-everyone"
        page.get_by_role("button", name="Register as present").click()
        page.wait_for_load_state()
        assert "You are registered as present." in page.inner_text("main")
        assert axe(page) == []
        _follow(page, "Amendment to paragraph 2", "The vote on this item")
        assert axe(page) == []
        page.get_by_label("Yes").check()
        page.get_by_role("button", name="Cast my vote").click()
        page.wait_for_selector("#cast p[role=status]")
        assert "Your vote has been recorded: yes" in page.inner_text("#cast")
        page.context.clear_cookies()
    assert set(
        Attendance.objects.filter(meeting=meeting).values_list("member__full_name", flat=True)
    ) == {
        "Rita Quayle",
        "Sam Okoro",
    }

    # The amendment's vote closes: carried, written into the final text, the approval opens.
    amendment_vote = Vote.objects.get(subject__startswith="policy.amendment:")
    vote_close(vote=amendment_vote)
    approval.refresh_from_db()
    assert approval.vote_id is not None
    # With a quorum present, the chair opens the election.
    services.election_open(
        item=election,
        chair=chair,
        office="Committee member",
        seats=2,
        closes_at=clock.now() + timedelta(days=2),
        secret=True,
        to_body=org.transport,
    )
    election.refresh_from_db()

    # Each member approves the policy and ranks the candidates.
    rankings = {rita: {"Ada": "1", "Bea": "2"}, sam: {"Cal": "1", "Bea": "2"}}
    receipts = {}
    for member, ranking in rankings.items():
        sign_in(page, base, member.email)
        _open(page, base, f"/meetings/{meeting.pk}/", axe)
        _follow(page, "Approve the policy", "The vote on this item")
        assert "Night buses run every twenty minutes." in page.inner_text("main")
        page.get_by_label("Yes").check()
        page.get_by_role("button", name="Cast my vote").click()
        page.wait_for_selector("#cast p[role=status]")
        page.goto(f"{base}/meetings/{meeting.pk}/")
        _follow(page, "Transport section committee", "The vote on this item")
        assert axe(page) == []
        for name, rank in ranking.items():
            page.get_by_label(name, exact=True).fill(rank)
        page.get_by_role("button", name="Cast my vote").click()
        page.wait_for_selector(".receipt-code code")
        receipts[member] = page.inner_text(".receipt-code code")
        assert axe(page) == []
        page.context.clear_cookies()
    approval_vote = Vote.objects.get(pk=approval.vote_id)
    assert OpenBallot.objects.filter(vote=approval_vote).count() == 2
    election_vote = Vote.objects.get(pk=election.vote_id)
    assert VoterRoll.objects.filter(vote=election_vote).count() == 2

    # More ballots in the election, so that a surplus and an exclusion are transferred.
    for voter, ranking in [
        (chair, ["Ada", "Cal"]),
        (candidates["Ada"], ["Ada", "Bea"]),
        (candidates["Bea"], ["Bea"]),
        (candidates["Cal"], ["Cal", "Ada"]),
        (approval.proposal.author, ["Ada", "Bea"]),
    ]:
        ballot_cast(vote=election_vote, voter=voter, ranking=ranking)
    vote_close(vote=approval_vote)
    vote_close(vote=election_vote)
    run_worker()

    # The result pages: the decision on the policy, the STV count with its transfers.
    policy_decision = Decision.objects.get(kind="policy")
    assert Policy.objects.filter(title="Buses for everyone").exists()
    sign_in(page, base, rita.email)
    _open(page, base, f"/votes/{approval_vote.pk}/result/", axe)
    text = page.inner_text("main")
    assert "Carried." in text
    page.get_by_role("link", name=policy_decision.title).click()
    page.wait_for_load_state()
    assert axe(page) == []
    assert "Night buses run every twenty minutes." in page.inner_text("main")

    _open(page, base, f"/votes/{election_vote.pk}/result/", axe)
    text = page.inner_text("main")
    assert "The count, stage by stage" in text
    assert "Quota: 3" in text
    assert "Surplus of Ada (1.00000) transferred at 0.25000" in text
    assert "+0.75000" in text  # Bea's share of the surplus
    assert "Bea excluded; their papers transferred" in text
    assert "Elected without reaching the quota: Cal" in text
    assert "Chosen: Ada, Cal" in text
    page.fill("#receipt", receipts[rita])
    page.click("form[action$='/result/'] button[type=submit]")
    page.wait_for_selector("p[role=status]")
    assert "Your ballot is in the count: Ada, Bea" in page.inner_text("main")
    election_decision = Decision.objects.get(kind="election")
    page.get_by_role("link", name=election_decision.title).click()
    page.wait_for_load_state()
    assert axe(page) == []
    assert "Ada, Cal" in page.inner_text("main")
    mandates = Mandate.objects.filter(body=org.transport, office="Committee member")
    assert {m.holder for m in mandates} == {candidates["Ada"], candidates["Cal"]}
    assert BodyMembership.objects.filter(
        body=org.transport, member=candidates["Cal"], until=None
    ).exists()
    assert AgendaItem.objects.filter(meeting=meeting, kind="policy_approval").count() == 1
    assert Approval.objects.get().proposal.stage == "published"
