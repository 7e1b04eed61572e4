"""Step 7 on the pages: final draft, amendments, the e-conference, its votes and the decision."""

from datetime import timedelta

import pytest
from django.test import Client
from django.urls import reverse
from django.utils import timezone

from commonweal.policy.models import Amendment, Approval, Stage
from commonweal.voting.models import Vote
from commonweal.voting.services import vote_close

pytestmark = pytest.mark.django_db


def _local(moment):
    """How a datetime-local field sends a moment: the organisation's wall time, no zone."""
    return timezone.localtime(moment).strftime("%Y-%m-%dT%H:%M")


def test_the_section_declares_the_final_draft_members_amend_and_the_econference_is_called(
    consulting, org, chair, make_member, client_of, vote_all, days_pass
):
    section = client_of(chair)
    member = make_member(unit=org.brighton)
    members = client_of(member)
    page = reverse("policy:proposal", args=[consulting.pk])
    final = reverse("policy:final_draft", args=[consulting.pk])

    days_pass(15)
    assert "Declare draft 1 the final draft" not in members.get(page).content.decode()
    assert members.post(final, {"confirm": "on", "reason": "Mine."}).status_code == 302
    consulting.refresh_from_db()
    assert consulting.stage == Stage.CONSULTATION
    assert "Declare draft 1 the final draft" in section.get(page).content.decode()
    asked = section.post(final).content.decode()
    assert "Ending it now is ending it early" in asked
    assert "members in the section&#x27;s scope have not commented" in asked
    consulting.refresh_from_db()
    assert consulting.stage == Stage.CONSULTATION
    section.post(final, {"confirm": "on", "reason": "Every branch has had its say."})
    consulting.refresh_from_db()
    assert consulting.stage == Stage.APPROVAL

    overview = members.get(page).content.decode()
    assert "propose amendments to its paragraphs" in overview
    assert "Call the e-conference" not in overview
    draft = members.get(reverse("policy:draft", args=[consulting.pk, 1])).content.decode()
    assert "Propose an amendment to paragraph 2" in draft
    paragraph = consulting.drafts.get().paragraphs.get(position=2)
    members.post(
        reverse("policy:amend", args=[paragraph.pk]),
        {"text": "Night buses every twenty minutes.", "reason": "Shift workers."},
    )
    unchanged = members.post(
        reverse("policy:amend", args=[paragraph.pk]), {"text": paragraph.text}, follow=True
    )
    assert "does not change the paragraph" in unchanged.content.decode()
    [amendment] = Amendment.objects.all()
    assert amendment.proposed_by == member

    now = days_pass(8)
    assert "Call the e-conference" in section.get(page).content.decode()
    url = reverse("policy:approval_call", args=[consulting.pk])
    refused = section.post(
        url, {"closes_at": _local(now + timedelta(days=7)), "confirm": "on", "reason": "Soon."}
    )
    assert "their vote must close before the final one" in refused.content.decode()
    assert not Approval.objects.exists()
    dates = {
        "amendments_close_at": _local(now + timedelta(days=2)),
        "closes_at": _local(now + timedelta(days=7)),
    }
    assert members.post(url, {**dates, "confirm": "on"}).status_code == 302
    assert not Approval.objects.exists()
    asked = section.post(url, dates)
    assert asked.status_code == 200
    assert "1 amendment has been proposed" in asked.content.decode()
    assert not Approval.objects.exists()
    unsaid = section.post(url, {**dates, "confirm": "on"})
    assert "Say why the time for amendments ends before its deadline" in unsaid.content.decode()
    called = section.post(
        url, {**dates, "confirm": "on", "reason": "The conference is on the 9th."}
    )
    assert called.status_code == 302
    amendment.refresh_from_db()
    overview = members.get(page).content.decode()
    assert reverse("voting:detail", args=[amendment.vote_id]) in overview
    assert reverse("meetings:detail", args=[Approval.objects.get().meeting_id]) in overview
    assert "the vote on the final text opens when their votes close" in overview
    draft = members.get(reverse("policy:draft", args=[consulting.pk, 1])).content.decode()
    assert "Propose an amendment" not in draft

    voters = [make_member(unit=org.york) for _ in range(4)]
    vote_all(Vote.objects.get(pk=amendment.vote_id), voters, "yes")
    vote_close(vote=Vote.objects.get(pk=amendment.vote_id))
    approval = Approval.objects.get()
    overview = members.get(page).content.decode()
    assert reverse("voting:detail", args=[approval.vote_id]) in overview
    assert "Vote on the final text" in overview

    dissenter = make_member(unit=org.leeds)
    vote_all(Vote.objects.get(pk=approval.vote_id), voters, "yes")
    vote_all(Vote.objects.get(pk=approval.vote_id), [dissenter], "no")
    vote_close(vote=Vote.objects.get(pk=approval.vote_id))
    consulting.refresh_from_db()
    assert consulting.stage == Stage.PUBLISHED
    overview = members.get(page).content.decode()
    assert reverse("decisions:detail", args=[consulting.decision_id]) in overview
    assert "Attach a minority position" in overview
    public = Client().get(consulting.policy.get_absolute_url()).content.decode()
    assert "every twenty minutes" in public
    assert consulting.decision.title in public
    assert "Minority position" not in public

    client_of(dissenter).post(
        reverse("decisions:minority", args=[consulting.decision_id]),
        {"text": "Free fares first, night buses later."},
    )
    public = Client().get(consulting.policy.get_absolute_url()).content.decode()
    assert 'class="side-by-side positions"' in public
    assert public.count('class="card position"') == 2
    assert "Free fares first, night buses later." in public
