"""Steps 1 and 2: proposing, supporting, launching, withdrawing, expiring."""

from datetime import timedelta

import pytest

from commonweal.core import clock
from commonweal.core.errors import Conflict, NotPermitted, Refused
from commonweal.core.markdown import render
from commonweal.members.models import Member
from commonweal.notifications.models import Notification
from commonweal.organisation.models import Body
from commonweal.organisation.services import body_create
from commonweal.policy import selectors, services
from commonweal.policy.models import TEXT_MAX, Proposal, Stage, StageTransition, Support
from commonweal.record.models import Entry

pytestmark = pytest.mark.django_db


def test_a_proposal_is_posted_on_the_board_gathering_support(org, propose):
    proposal = propose()
    assert proposal.stage == Stage.PROPOSED
    assert proposal.unit == org.leeds
    assert proposal.prompted_by == "Better Buses campaign"
    assert list(selectors.board(stage=Stage.PROPOSED)) == [proposal]
    assert Entry.objects.filter(kind="policy.proposed", subject=f"policy.proposal:{proposal.pk}")
    assert proposal.transitions.get().to_stage == Stage.PROPOSED


def test_the_deadline_and_threshold_come_from_the_rulebook(org, propose, set_rules, make_member):
    Member.objects.bulk_create(
        [
            Member(email=f"m{i}@example.org", unit=org.york, status=Member.Status.MEMBER)
            for i in range(450)
        ]
    )
    rulebook = set_rules(support_threshold_kind="share", support_threshold=0.02, support_days=10)
    now = clock.now()
    with clock.frozen(now):
        proposal = propose()
    # 451 members in scope (450 + the author): 2% is 9.02, so ten supporters.
    assert proposal.support_needed == 10
    assert proposal.stage_deadline == now + timedelta(days=10)
    assert proposal.rulebook_version == rulebook.number


def test_the_minimum_applies_to_a_small_scope(propose):
    assert propose().support_needed == 3


@pytest.mark.parametrize(
    ("fields", "field", "message"),
    [
        ({"title": "   "}, "title", "title cannot be empty"),
        ({"title": "x" * 201}, "title", "too long"),
        ({"text": ""}, "text", "cannot be empty"),
        ({"text": "x" * (TEXT_MAX + 1)}, "text", "too long"),
        ({"prompted_by": "y" * 201}, "prompted_by", "too long"),
    ],
)
def test_empty_or_oversized_texts_are_refused_and_nothing_is_posted(
    propose, fields, field, message
):
    with pytest.raises(Refused, match=message) as refusal:
        propose(**fields)
    assert refusal.value.field == field
    assert not Proposal.objects.exists()


def test_a_proposal_must_go_to_a_policy_section(org, propose):
    with pytest.raises(Refused, match="policy section") as refusal:
        propose(section=org.leadership)
    assert refusal.value.field == "section"
    assert not Proposal.objects.exists()


def test_a_non_member_cannot_propose(org, propose, make_member):
    applicant = make_member(unit=org.leeds, status=Member.Status.APPLICANT)
    with pytest.raises(NotPermitted):
        propose(author=applicant)
    assert not Proposal.objects.exists()


def test_a_member_outside_a_sections_scope_cannot_propose_to_it(org, propose, make_member):
    southern = body_create(
        name="South Transport", kind=Body.Kind.POLICY_SECTION, unit=org.south, subject="transport"
    )
    with pytest.raises(NotPermitted, match="scope"):
        propose(section=southern, author=make_member(unit=org.leeds))


def test_title_markup_is_stripped_and_text_markdown_is_sanitised_when_shown(propose):
    proposal = propose(
        title="<b>Buses</b><script>alert(1)</script>",
        text='Hi <img src=x onerror="alert(1)"> <a href="javascript:alert(1)" onclick="x()">'
        "link</a><script>alert(2)</script>",
    )
    assert "<" not in proposal.title
    shown = render(proposal.text)
    assert "<script" not in shown
    assert "onerror" not in shown
    assert "onclick" not in shown
    assert "javascript:" not in shown


def test_reaching_the_threshold_launches_exactly_once_and_tells_the_author(
    threshold, propose, make_member, org, author, run_worker
):
    proposal = propose()
    for _ in range(2):
        proposal = services.proposal_support(proposal=proposal, member=make_member(unit=org.york))
    assert proposal.stage == Stage.PROPOSED
    proposal = services.proposal_support(proposal=proposal, member=make_member(unit=org.york))
    assert proposal.stage == Stage.SCOPING
    assert proposal.launched_at is not None
    assert proposal.stage_deadline is not None
    assert StageTransition.objects.filter(proposal=proposal, to_stage=Stage.SCOPING).count() == 1
    with pytest.raises(Conflict, match="already been launched"):
        services.proposal_support(proposal=proposal, member=make_member(unit=org.york))
    assert StageTransition.objects.filter(proposal=proposal, to_stage=Stage.SCOPING).count() == 1
    run_worker()
    assert Notification.objects.filter(recipient=author, event__kind="policy.launched").exists()


def test_supporting_twice_is_refused_and_counted_once(threshold, propose, make_member, org):
    proposal = propose()
    member = make_member(unit=org.york)
    services.proposal_support(proposal=proposal, member=member)
    with pytest.raises(Conflict, match="already support"):
        services.proposal_support(proposal=proposal, member=member)
    proposal.refresh_from_db()
    assert proposal.support_count == 1
    assert Support.objects.filter(proposal=proposal).count() == 1


def test_withdrawing_support_while_open_lowers_the_count_and_allows_supporting_again(
    threshold, propose, make_member, org
):
    proposal = propose()
    member = make_member(unit=org.york)
    services.proposal_support(proposal=proposal, member=member)
    proposal = services.support_withdraw(proposal=proposal, member=member)
    assert proposal.support_count == 0
    assert not selectors.supports(proposal, member)
    with pytest.raises(Refused, match="do not support"):
        services.support_withdraw(proposal=proposal, member=member)
    proposal = services.proposal_support(proposal=proposal, member=member)
    assert proposal.support_count == 1


def test_support_cannot_be_withdrawn_after_launch(launched):
    supporter = launched.supports.first().member
    with pytest.raises(Conflict, match="gathering support"):
        services.support_withdraw(proposal=launched, member=supporter)
    launched.refresh_from_db()
    assert launched.support_count == 3


def test_supporting_ones_own_withdrawn_proposal_is_refused(propose, author):
    proposal = propose()
    services.proposal_withdraw(proposal=proposal, by=author)
    with pytest.raises(Conflict, match="withdrawn"):
        services.proposal_support(proposal=proposal, member=author)
    proposal.refresh_from_db()
    assert proposal.stage == Stage.WITHDRAWN
    assert proposal.support_count == 0


def test_only_the_author_may_withdraw_and_only_before_launch(launched, author, make_member, org):
    with pytest.raises(NotPermitted):
        services.proposal_withdraw(proposal=launched, by=make_member(unit=org.leeds))
    with pytest.raises(Conflict, match="scoping"):
        services.proposal_withdraw(proposal=launched, by=author)


def test_a_non_member_cannot_support(propose, make_member, org):
    proposal = propose()
    with pytest.raises(NotPermitted):
        services.proposal_support(
            proposal=proposal, member=make_member(unit=org.york, status=Member.Status.SUSPENDED)
        )
    proposal.refresh_from_db()
    assert proposal.support_count == 0


def test_support_after_the_deadline_is_refused(propose, make_member, org):
    proposal = propose()
    with (
        clock.frozen(proposal.stage_deadline + timedelta(minutes=1)),
        pytest.raises(Conflict, match="run out"),
    ):
        services.proposal_support(proposal=proposal, member=make_member(unit=org.york))


def test_author_is_hidden_until_launch_when_the_rulebook_says_so(
    set_rules, propose, make_member, org
):
    set_rules(anonymous_until_launch=True, support_threshold_kind="absolute", support_threshold=3)
    proposal = propose()
    assert proposal.author_hidden
    for _ in range(3):
        proposal = services.proposal_support(proposal=proposal, member=make_member(unit=org.york))
    assert not proposal.author_hidden


def test_authors_are_shown_when_the_switch_is_off(propose):
    assert not propose().author_hidden
