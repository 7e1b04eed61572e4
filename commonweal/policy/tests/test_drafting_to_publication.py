"""Steps 5 to 8: drafting with citations, consultation with outsiders, approval, publication."""

import re
from datetime import timedelta

import pytest
from django.core import mail

from commonweal.core import clock
from commonweal.core.errors import Conflict, NotPermitted, Refused
from commonweal.members.models import Member
from commonweal.notifications.models import Event
from commonweal.policy import selectors, services
from commonweal.policy.models import (
    Amendment,
    Comment,
    Policy,
    PolicyVersion,
    Proposal,
    Stage,
)
from commonweal.record.models import Entry

pytestmark = pytest.mark.django_db


def test_the_draft_cites_contributions_and_each_shows_where_it_was_taken_up(
    drafting, chair, contributions, write_draft
):
    a, b, c = contributions
    version = write_draft(drafting, chair, a, b)
    uptake = {
        x.pk: [p.position for p in x.cited_in.all()]
        for x in selectors.contributions_with_uptake(drafting)
    }
    assert uptake == {a.pk: [1], b.pk: [2], c.pk: []}
    assert version.number == 1


def test_citing_something_that_is_not_a_contribution_to_this_proposal_is_refused(
    drafting, chair, contributions
):
    with pytest.raises(Refused, match="#999"):
        services.draft_save(proposal=drafting, by=chair, paragraphs=[{"text": "x", "cites": [999]}])
    with pytest.raises(Refused, match="at least one paragraph"):
        services.draft_save(proposal=drafting, by=chair, paragraphs=[])
    assert not drafting.drafts.exists()


def test_only_the_section_drafts_and_only_at_the_drafting_step(
    circulating, chair, contributions, author, write_draft
):
    a, b, _c = contributions
    with pytest.raises(Conflict, match="circulation"):
        write_draft(circulating, chair, a, b)
    services.drafting_start(proposal=circulating, by=chair, reason="All have reported.")
    with pytest.raises(NotPermitted):
        write_draft(circulating, author, a, b)


def test_two_versions_compare_side_by_side(drafting, chair, contributions, write_draft):
    a, b, _c = contributions
    first = write_draft(drafting, chair, a, b)
    second = write_draft(drafting, chair, a, b, extra="Night buses run every half hour.")
    left, right = selectors.diff(selectors.draft_text(first), selectors.draft_text(second))
    assert "<del>hourly.</del>" in left
    assert "<ins>every half hour.</ins>" in right


def test_the_diff_escapes_markup(drafting):
    left, right = selectors.diff("<b>old</b>", "<script>x</script>")
    assert "<b>" not in left
    assert "<script>" not in right
    assert "&lt;script&gt;" in right


def test_consultation_needs_awrite_draft(drafting, chair):
    with pytest.raises(Conflict, match="Write a draft"):
        services.consultation_open(proposal=drafting, by=chair)


def test_members_comment_on_paragraphs_of_the_latest_draft(consulting, org, make_member):
    paragraph = consulting.drafts.get().paragraphs.get(position=1)
    member = make_member(unit=org.brighton)
    services.comment_add(paragraph=paragraph, author=member, text="Include students.")
    with pytest.raises(Refused, match="too long"):
        services.comment_add(paragraph=paragraph, author=member, text="x" * 5001)
    applicant = make_member(unit=org.brighton, status=Member.Status.APPLICANT)
    with pytest.raises(NotPermitted, match="invited outside participants"):
        services.comment_add(paragraph=paragraph, author=applicant, text="Hi")
    assert Comment.objects.count() == 1


def test_an_invited_group_gets_an_email_and_comments_as_external_until_expiry(
    consulting, chair, run_worker
):
    invitation = services.external_invite(
        proposal=consulting, by=chair, name="Better Buses", email="hello@betterbuses.example"
    )
    run_worker()
    assert mail.outbox[-1].to == ["hello@betterbuses.example"]
    token = re.search(r"/policy/external/([^/\s]+)", mail.outbox[-1].body).group(1)
    assert services.external_access(token) == invitation
    paragraph = consulting.drafts.get().paragraphs.get(position=2)
    comment = services.comment_add(paragraph=paragraph, invitation=invitation, text="Yes!")
    assert comment.external
    with clock.frozen(invitation.expires_at + timedelta(seconds=1)):
        with pytest.raises(NotPermitted, match="as planned"):
            services.external_access(token)
        with pytest.raises(NotPermitted, match="expired"):
            services.comment_add(paragraph=paragraph, invitation=invitation, text="Late")
    with pytest.raises(NotPermitted, match="not valid"):
        services.external_access("made-up-token")
    assert Comment.objects.filter(external=True).count() == 1


def test_the_invitation_email_is_plain_text_with_the_names_as_typed(consulting, chair, run_worker):
    services.external_invite(
        proposal=consulting, by=chair, name="Leeds Bus Users' Campaign", email="bus@leeds.example"
    )
    run_worker()
    body = mail.outbox[-1].body
    assert "Dear Leeds Bus Users' Campaign," in body
    assert "&#x27;" not in body


def test_a_bad_email_address_is_refused(consulting, chair):
    with pytest.raises(Refused, match="valid email") as refusal:
        services.external_invite(proposal=consulting, by=chair, name="X", email="not-an-email")
    assert refusal.value.field == "email"
    assert not consulting.invitations.exists()


@pytest.fixture
def econference(set_rules):
    """Every member in scope votes; a small organisation needs a low quorum to be realistic."""
    return set_rules()


def test_amendments_are_voted_first_and_carried_ones_go_into_the_approved_text(
    consulting, chair, org, make_member, run_worker, vote_all, days_pass
):
    from commonweal.voting.models import Vote
    from commonweal.voting.services import vote_close

    days_pass(22)
    final = services.final_draft(proposal=consulting, by=chair)
    paragraph = final.paragraphs.get(position=2)
    voters = [make_member(unit=org.leeds) for _ in range(6)]
    amendment = services.amendment_propose(
        paragraph=paragraph, by=voters[0], text="Night buses run every twenty minutes."
    )
    with pytest.raises(Refused, match="does not change"):
        services.amendment_propose(paragraph=paragraph, by=voters[0], text=paragraph.text)
    with pytest.raises(Refused, match="reason is too long"):
        services.amendment_propose(paragraph=paragraph, by=voters[0], text="x", reason="y" * 2001)
    now = days_pass(15)
    approval = services.approval_call(
        proposal=consulting,
        by=chair,
        amendments_close_at=now + timedelta(days=3),
        closes_at=now + timedelta(days=7),
    )
    with pytest.raises(Conflict, match="amendments are closed"):
        services.amendment_propose(paragraph=paragraph, by=voters[1], text="Other.")
    amendment.refresh_from_db()
    assert approval.vote_id is None
    amendment_vote = Vote.objects.get(pk=amendment.vote_id)
    vote_all(amendment_vote, voters, "yes")
    vote_close(vote=amendment_vote)
    amendment.refresh_from_db()
    approval.refresh_from_db()
    assert amendment.status == Amendment.Status.CARRIED
    final_vote = Vote.objects.get(pk=approval.vote_id)
    vote_all(final_vote, voters, "yes")
    vote_close(vote=final_vote)
    consulting.refresh_from_db()
    assert consulting.stage == Stage.PUBLISHED
    policy = Policy.objects.get()
    current = policy.versions.get()
    assert "every twenty minutes" in current.text
    assert current.decision == consulting.decision
    assert consulting.decision.vote_id == final_vote.pk
    assert policy in selectors.published_policies()


def test_a_rejected_final_vote_publishes_nothing(
    consulting, chair, org, make_member, vote_all, days_pass
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
    assert consulting.stage == Stage.REJECTED
    assert not Policy.objects.exists()


def test_an_approval_vote_without_quorum_decides_nothing_and_can_be_called_again(
    consulting, chair, org, make_member, vote_all, days_pass
):
    from commonweal.voting.models import Vote
    from commonweal.voting.services import vote_close

    members = [make_member(unit=org.leeds) for _ in range(30)]
    days_pass(22)
    services.final_draft(proposal=consulting, by=chair)
    days_pass(15)
    approval = services.approval_call(
        proposal=consulting, by=chair, closes_at=clock.now() + timedelta(days=7)
    )
    vote = Vote.objects.get(pk=approval.vote_id)
    vote_all(vote, members[:1], "no")
    vote_close(vote=vote)

    consulting.refresh_from_db()
    assert consulting.stage == Stage.APPROVAL
    assert not Policy.objects.exists()
    assert Entry.objects.filter(kind="policy.approval_void").count() == 1
    told = Event.objects.get(kind="policy.approval_void")
    assert "no quorum" in told.title
    again = services.approval_call(
        proposal=consulting, by=chair, closes_at=clock.now() + timedelta(days=7)
    )
    vote_all(Vote.objects.get(pk=again.vote_id), members, "yes")
    vote_close(vote=Vote.objects.get(pk=again.vote_id))
    consulting.refresh_from_db()
    assert consulting.stage == Stage.PUBLISHED


def test_the_approval_vote_cannot_be_called_twice_or_before_the_final_draft(
    consulting, chair, days_pass
):
    with pytest.raises(Conflict, match="wider consultation"):
        services.approval_call(
            proposal=consulting, by=chair, closes_at=clock.now() + timedelta(days=7)
        )
    days_pass(22)
    services.final_draft(proposal=consulting, by=chair)
    days_pass(15)
    services.approval_call(proposal=consulting, by=chair, closes_at=clock.now() + timedelta(days=7))
    with pytest.raises(Conflict, match="already been called"):
        services.approval_call(
            proposal=consulting, by=chair, closes_at=clock.now() + timedelta(days=7)
        )


def test_an_amended_policy_keeps_its_name_and_gets_a_new_version_with_a_diff(
    consulting, chair, org, make_member, vote_all, days_pass
):
    from commonweal.voting.models import Vote
    from commonweal.voting.services import vote_close

    existing = Policy.objects.create(
        title="Transport", slug="transport", section=org.transport, published_at=clock.now()
    )
    PolicyVersion.objects.create(
        policy=existing,
        number=1,
        title="Transport",
        text="Fares will be set by the operators.\n\nNight buses run hourly.",
        published_at=clock.now(),
    )
    Proposal.objects.filter(pk=consulting.pk).update(amends=existing)
    days_pass(22)
    services.final_draft(proposal=consulting, by=chair)
    days_pass(15)
    approval = services.approval_call(
        proposal=consulting, by=chair, closes_at=clock.now() + timedelta(days=7)
    )
    vote = Vote.objects.get(pk=approval.vote_id)
    vote_all(vote, [make_member(unit=org.york) for _ in range(6)], "yes")
    vote_close(vote=vote)
    policy = Policy.objects.get()
    assert policy == existing
    assert policy.title == "Transport"
    page = selectors.policy_page(policy)
    assert [v.number for v in page["versions"]] == [2, 1]
    assert page["current"].decision.title == "Policy approved: A transport policy for the 2030s"
    assert "<del>set by the operators.</del>" in page["diff_left"]
    assert "<ins>free for everyone under 25.</ins>" in page["diff_right"]
    assert policy.get_absolute_url() == "/policies/transport/"
