from datetime import UTC, datetime, timedelta

import pytest

from commonweal.core import clock
from commonweal.core.errors import Conflict, NotPermitted, Refused
from commonweal.discussion import selectors, services
from commonweal.discussion.models import Appeal, Contribution, Debate
from commonweal.notifications.models import Event

pytestmark = pytest.mark.django_db

T0 = datetime(2026, 3, 2, 10, 0, tzinfo=UTC)


def post(debate, author, stance="for", text="Free buses cut car journeys.", **kw):
    return services.contribution_post(debate=debate, author=author, stance=stance, text=text, **kw)


def test_a_member_outside_the_body_cannot_post_and_nothing_changes(debate, make_member, org):
    outsider = make_member(unit=org.leeds)
    with pytest.raises(NotPermitted, match="Only members of Transport Section"):
        post(debate, outsider)
    assert not Contribution.objects.exists()


def test_a_member_outside_the_unit_cannot_post_in_a_branch_debate(org, make_member):
    leeds_member = make_member(unit=org.leeds)
    debate = services.debate_open(
        space_unit=org.leeds, question="Stall on Saturday?", opened_by=leeds_member
    )
    with pytest.raises(NotPermitted):
        post(debate, make_member(unit=org.york))
    assert post(debate, make_member(unit=org.leeds)).pk


def test_an_outsider_cannot_open_a_debate_in_a_body(org, make_member):
    with pytest.raises(NotPermitted):
        services.debate_open(space_body=org.transport, question="?", opened_by=make_member())
    assert not Debate.objects.exists()


def test_unknown_stance_and_empty_text_are_refused(debate, section_member):
    author = section_member()
    with pytest.raises(Refused) as refusal:
        post(debate, author, stance="maybe")
    assert refusal.value.field == "stance"
    with pytest.raises(Refused) as refusal:
        post(debate, author, text="   ")
    assert refusal.value.field == "text"
    assert not Contribution.objects.exists()


def test_closed_debate_refuses_contributions(debate, section_member):
    debate = services.debate_close(debate=debate, closed_by=debate.opened_by)
    with pytest.raises(Conflict, match="closed"):
        post(debate, section_member())


def test_replies_nest_one_level_only(debate, section_member):
    top = post(debate, section_member())
    reply = post(debate, section_member(), stance="", text="But who pays?", parent=top)
    deeper = post(debate, section_member(), stance="", text="Fares do today.", parent=reply)
    assert reply.parent_id == top.pk
    assert deeper.parent_id == top.pk


def test_edits_within_the_window_are_silent(debate, section_member):
    author = section_member()
    with clock.frozen(T0):
        contribution = post(debate, author)
    with clock.frozen(T0 + services.EDIT_WINDOW - timedelta(seconds=1)):
        services.contribution_edit(contribution=contribution, editor=author, text="Typo fixed.")
    contribution.refresh_from_db()
    assert contribution.text == "Typo fixed."
    assert contribution.edited_at is None
    assert not contribution.versions.exists()


def test_later_edits_are_marked_and_keep_the_earlier_text(debate, section_member):
    author = section_member()
    with clock.frozen(T0):
        contribution = post(debate, author, text="First thoughts.")
    later = T0 + services.EDIT_WINDOW + timedelta(minutes=1)
    with clock.frozen(later):
        services.contribution_edit(
            contribution=contribution, editor=author, text="Second thoughts.", stance="against"
        )
    contribution.refresh_from_db()
    assert contribution.edited_at == later
    assert contribution.stance == "against"
    [version] = contribution.versions.all()
    assert (version.text, version.stance) == ("First thoughts.", "for")


def test_only_the_author_may_edit(debate, section_member):
    contribution = post(debate, section_member())
    with pytest.raises(NotPermitted):
        services.contribution_edit(
            contribution=contribution, editor=section_member(), text="Hijacked"
        )
    contribution.refresh_from_db()
    assert contribution.text == "Free buses cut car journeys."


def test_moderation_hides_with_a_reason_the_author_is_told(
    debate, section_member, make_officer, org
):
    author = section_member()
    contribution = post(debate, author)
    chair = make_officer(body=org.transport)
    services.contribution_hide(contribution=contribution, moderator=chair, reason="Personal attack")
    contribution.refresh_from_db()
    assert contribution.is_hidden
    assert Contribution.objects.filter(pk=contribution.pk).exists()
    event = Event.objects.get(kind="discussion.contribution_hidden")
    assert event.member_ids == [author.pk]
    assert event.text == "Personal attack"


def test_moderation_needs_a_reason_and_an_officer(debate, section_member, make_officer, org):
    contribution = post(debate, section_member())
    with pytest.raises(NotPermitted):
        services.contribution_hide(
            contribution=contribution, moderator=section_member(), reason="x"
        )
    chair = make_officer(body=org.transport)
    with pytest.raises(Refused) as refusal:
        services.contribution_hide(contribution=contribution, moderator=chair, reason=" ")
    assert refusal.value.field == "reason"
    contribution.refresh_from_db()
    assert not contribution.is_hidden


def test_appeal_goes_to_the_body_above_and_upheld_restores(
    debate, section_member, make_officer, org
):
    author = section_member()
    contribution = post(debate, author)
    chair = make_officer(body=org.transport)
    services.contribution_hide(contribution=contribution, moderator=chair, reason="Off topic")
    with pytest.raises(NotPermitted):
        services.appeal_lodge(contribution=contribution, author=section_member(), grounds="Unfair")
    appeal = services.appeal_lodge(
        contribution=contribution, author=author, grounds="It is on topic"
    )
    assert appeal.to_body == org.leadership
    with pytest.raises(Conflict):
        services.appeal_lodge(contribution=contribution, author=author, grounds="Again")
    with pytest.raises(NotPermitted):
        services.appeal_decide(appeal=appeal, decided_by=chair, uphold=True, reason="I say so")
    leader = make_officer(body=org.leadership)
    services.appeal_decide(appeal=appeal, decided_by=leader, uphold=True, reason="It is on topic")
    contribution.refresh_from_db()
    appeal.refresh_from_db()
    assert not contribution.is_hidden
    assert appeal.status == Appeal.Status.UPHELD
    assert Event.objects.filter(kind="discussion.appeal_decided", member_ids=[author.pk]).exists()


def test_rejected_appeal_keeps_it_hidden_and_cannot_be_decided_twice(
    debate, section_member, make_officer, org
):
    author = section_member()
    contribution = post(debate, author)
    services.contribution_hide(
        contribution=contribution, moderator=make_officer(body=org.transport), reason="Spam"
    )
    appeal = services.appeal_lodge(contribution=contribution, author=author, grounds="Not spam")
    leader = make_officer(body=org.leadership)
    services.appeal_decide(appeal=appeal, decided_by=leader, uphold=False, reason="It is spam")
    with pytest.raises(Conflict):
        services.appeal_decide(appeal=appeal, decided_by=leader, uphold=True, reason="Changed mind")
    contribution.refresh_from_db()
    assert contribution.is_hidden


def test_a_branch_debate_appeals_to_the_region(org, make_member, make_officer):
    member = make_member(unit=org.leeds)
    debate = services.debate_open(space_unit=org.leeds, question="Stall?", opened_by=member)
    assert selectors.appeal_body_for(debate).unit == org.north


def test_voice_figures_show_how_concentrated_writing_is(debate, section_member):
    loud = section_member()
    for i in range(8):
        post(debate, loud, text=f"Point {i}")
    quiet = [section_member() for _ in range(9)]
    for member in quiet:
        post(debate, member, stance="against", text="One point")
    voice = selectors.voice_figures(debate)
    assert voice["contributors"] == 10
    assert voice["contributions"] == 17
    assert voice["top_tenth"] == 1
    assert voice["top_tenth_share"] == pytest.approx(8 / 17)
    assert 0.3 < voice["gini"] < 0.5


def test_group_figures_suppress_small_groups(debate, section_member):
    for i in range(7):
        member = section_member()
        services.discussion_profile_save(
            member=member, consent=True, gender="woman" if i < 5 else "man", age_band="25_39"
        )
        post(debate, member, text=f"Point {i}")
    hidden = section_member()
    services.discussion_profile_save(member=hidden, consent=False, gender="woman")
    post(debate, hidden)
    groups = selectors.voice_by_group(debate)
    assert groups["gender"] == [
        {"group": "woman", "contributors": 5, "contributions": 5, "share": 1.0}
    ]
    assert groups["age_band"][0]["contributors"] == 7


def test_debates_about_a_subject(org, section_member):
    opener = section_member()
    debate = services.debate_open(
        space_body=org.transport, question="Q", opened_by=opener, subject="policy.proposal:12"
    )
    assert list(selectors.debates_about("policy.proposal:12")) == [debate]
    assert not selectors.debates_about("policy.proposal:13").exists()


def test_erasure_keeps_contributions_as_a_former_member(debate, section_member):
    from commonweal.members.services import member_erase

    author = section_member()
    services.discussion_profile_save(member=author, consent=True, gender="woman")
    contribution = post(debate, author)
    member_erase(member=author, requested_by=author)
    contribution.refresh_from_db()
    assert contribution.author.display_name == "former member"
    assert not hasattr(type(author).objects.get(pk=author.pk), "discussion_profile") or not (
        selectors.DiscussionProfile.objects.filter(member=author).exists()
    )


def test_an_email_reply_becomes_a_contribution(debate, section_member, make_member):
    from commonweal.notifications import replies

    handler = replies.handler_for(f"discussion:{debate.pk}")
    member = section_member()
    contribution = handler(member=member, thread=f"discussion:{debate.pk}", text="By email.")
    assert (contribution.author, contribution.stance, contribution.text) == (
        member,
        "neither",
        "By email.",
    )
    with pytest.raises(NotPermitted):
        handler(
            member=make_member(unit=debate.space_body.unit),
            thread=f"discussion:{debate.pk}",
            text="x",
        )
    assert debate.contributions.count() == 1
