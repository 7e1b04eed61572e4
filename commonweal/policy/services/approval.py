"""7. Approval: the final draft, amendments, and the e-conference that votes on them."""

from datetime import datetime
from functools import partial
from typing import Any

from django.db import transaction
from django.utils.translation import gettext as _

from commonweal.core import clock
from commonweal.core.errors import Conflict, Refused
from commonweal.core.ratelimit import check_rate
from commonweal.notifications.services import member_reach, notify
from commonweal.record.services import record_append, subject_of
from commonweal.rulebook.selectors import current

from ..models import (
    REASON_MAX,
    TEXT_MAX,
    Amendment,
    Approval,
    DraftVersion,
    EarlyEnd,
    Paragraph,
    Proposal,
    Stage,
)
from ._common import _early_text, _end_window, _locked, _move, _require, _text, _thread
from .publication import _publish

# Amendments one member may put, each telling a section (or its officers).
AMEND_RATE = "20/h"


def final_draft(*, proposal: Proposal, by: Any, reason: str = "") -> DraftVersion:
    """Consultation ends: the latest draft becomes the final draft put to the members.

    Never before the rulebook's shortest consultation; before its deadline only by an
    officer the rulebook names, with a reason, and every outside group whose invitation
    it cuts short is emailed when and why (their link then says so too).
    """
    _require(
        by,
        "policy.act_for_section",
        proposal,
        _("Only members of %(section)s may declare the final draft.")
        % {"section": proposal.section.name},
    )
    rulebook = current()
    with transaction.atomic():
        proposal = _locked(proposal, Stage.CONSULTATION)
        early = _end_window(proposal, by=by, reason=reason, rulebook=rulebook)
        if early is not None:
            _tell_invitees(proposal, early)
        version = proposal.drafts.latest("number")
        version.is_final = True
        version.save(update_fields=["is_final"])
        _move(proposal, Stage.APPROVAL, actor=by, rulebook=rulebook)
        notify(
            kind="policy.final_draft",
            title=_("Final draft of “%(title)s”: amendments may be proposed before the vote.")
            % {"title": proposal.title},
            text=_early_text(early),
            link=proposal.get_absolute_url(),
            units=[proposal.section.unit_id],
            actor=by,
            thread=_thread(proposal),
        )
    return version


def _tell_invitees(proposal: Proposal, early: EarlyEnd) -> None:
    """Email every invitee whose link the early close cuts short (those already sent one)."""
    from ..tasks import email_consultation_closed

    ids = list(
        proposal.invitations.filter(expires_at__gt=early.at, sent_at__isnull=False).values_list(
            "pk", flat=True
        )
    )
    for pk in ids:
        transaction.on_commit(partial(email_consultation_closed.enqueue, pk))


def amendment_propose(*, paragraph: Paragraph, by: Any, text: str, reason: str = "") -> Amendment:
    """A member proposes new text for one paragraph of the final draft."""
    proposal = paragraph.version.proposal
    _require(
        by,
        "policy.amend_draft",
        proposal,
        _("Only members in the section's scope may propose amendments."),
    )
    text = _text(text, field="text", limit=TEXT_MAX, what=_("The new text"))
    reason = (reason or "").strip()
    if len(reason) > REASON_MAX:
        raise Refused(
            _("The reason is too long: at most %(limit)s characters.")
            % {"limit": f"{REASON_MAX:,}"},
            field="reason",
        )
    check_rate("policy.amend", account=by, limit=AMEND_RATE)
    rulebook = current()
    with transaction.atomic():
        proposal = _locked(proposal, Stage.APPROVAL)
        if Approval.objects.filter(proposal=proposal).exists():
            raise Conflict(_("The approval vote has been called; amendments are closed."))
        if not paragraph.version.is_final:
            raise Conflict(_("Amendments are to the final draft only."))
        if text == paragraph.text:
            raise Refused(_("The amendment does not change the paragraph."), field="text")
        # The proposal row is locked, so two identical amendments sent at once are one.
        if proposal.amendments.filter(
            paragraph=paragraph, text=text, status=Amendment.Status.PROPOSED
        ).exists():
            raise Conflict(
                _(
                    "This amendment has already been proposed to paragraph %(n)s, word for "
                    "word; it will be put to the vote once."
                )
                % {"n": paragraph.position},
                field="text",
            )
        amendment = Amendment.objects.create(
            proposal=proposal,
            paragraph=paragraph,
            text=text,
            reason=reason,
            proposed_by=by,
            proposed_at=clock.now(),
        )
        record_append(
            kind="policy.amendment_proposed",
            subject=proposal,
            actor=by,
            payload={"proposal": proposal.pk, "amendment": amendment.pk},
            rulebook_version=rulebook.version,
        )
        notify(
            kind="policy.amendment_proposed",
            title=_("Amendment proposed to “%(title)s”") % {"title": proposal.title},
            link=proposal.get_absolute_url(),
            actor=by,
            thread=_thread(proposal),
            **member_reach(actor=by, bodies=[proposal.section]),
        )
    return amendment


def approval_call(
    *,
    proposal: Proposal,
    by: Any,
    closes_at: datetime,
    amendments_close_at: datetime | None = None,
    reason: str = "",
) -> Approval:
    """Call the e-conference: amendments are voted first, then the final text.

    It closes the amendments: never before the rulebook's shortest time for them, and
    before the step's deadline only by an officer the rulebook names, with a reason.

    Each proposed amendment gets a yes/no vote closing at `amendments_close_at`; when
    the last of them closes, the carried ones are written into the final text and the
    approval vote opens, closing at `closes_at`.
    """
    from commonweal.meetings.services import econference_call

    _require(
        by,
        "policy.act_for_section",
        proposal,
        _("Only members of %(section)s may call the approval e-conference.")
        % {"section": proposal.section.name},
    )
    now = clock.now()
    amendments = list(proposal.amendments.filter(status=Amendment.Status.PROPOSED))
    if amendments:
        if amendments_close_at is None or not now < amendments_close_at < closes_at:
            raise Refused(
                _("With amendments to vote on first, their vote must close before the final one."),
                field="amendments_close_at",
            )
    elif closes_at <= now:
        raise Refused(_("The vote must close in the future."), field="closes_at")
    rulebook = current()
    with transaction.atomic():
        proposal = _locked(proposal, Stage.APPROVAL)
        if Approval.objects.filter(proposal=proposal).exists():
            raise Conflict(_("The approval e-conference has already been called."))
        _end_window(proposal, by=by, reason=reason, rulebook=rulebook)
        meeting = econference_call(
            body=proposal.section,
            title=_("E-conference: approval of “%(title)s”") % {"title": proposal.title},
            opens_at=now,
            closes_at=closes_at,
            called_by=by,
            scope=proposal.section.unit,
            description=proposal.scope_areas,
        )
        approval = Approval.objects.create(
            proposal=proposal,
            meeting_id=meeting.pk,
            opens_at=now,
            amendments_close_at=amendments_close_at if amendments else None,
            closes_at=closes_at,
            called_by=by,
            called_at=now,
        )
        # With amendments, a missing closing time was refused above.
        if amendments_close_at is not None:
            for amendment in amendments:
                vote = _open_vote(
                    proposal,
                    meeting,
                    title=_("Amendment to paragraph %(n)s of “%(title)s”")
                    % {"n": amendment.paragraph.position, "title": proposal.title},
                    closes_at=amendments_close_at,
                    subject=f"policy.amendment:{amendment.pk}",
                    on_close="commonweal.policy.services.amendment_vote_closed",
                    kind="motion",
                    text=amendment.text,
                )
                amendment.vote_id = vote.pk
                amendment.status = Amendment.Status.VOTING
                amendment.save(update_fields=["vote_id", "status"])
        if not amendments:
            _open_final_vote(proposal, approval, meeting)
        record_append(
            kind="policy.approval_called",
            subject=proposal,
            actor=by,
            payload={"proposal": proposal.pk, "meeting": meeting.pk},
            rulebook_version=rulebook.version,
        )
    return approval


def _open_vote(
    proposal: Proposal,
    meeting: Any,
    *,
    title: str,
    closes_at: datetime,
    subject: str,
    on_close: str,
    kind: str,
    text: str,
) -> Any:
    from commonweal.meetings.services import agenda_item_add
    from commonweal.voting.services import vote_create, vote_open

    vote = vote_create(
        title=title[:200],
        body=proposal.section,
        method="majority",
        electorate=proposal.section.unit,
        opens_at=clock.now(),
        closes_at=closes_at,
        created_by=None,
        subject=subject,
        on_close=on_close,
        meeting=meeting,
    )
    agenda_item_add(
        meeting=meeting,
        kind=kind,
        title=title[:200],
        text=text,
        vote=vote,
        subject=subject,
        added_by=None,
    )
    return vote_open(vote=vote, opened_by=None)


def _open_final_vote(proposal: Proposal, approval: Approval, meeting: Any) -> None:
    final = proposal.drafts.latest("number")
    vote = _open_vote(
        proposal,
        meeting,
        title=_("Approve the policy “%(title)s”") % {"title": proposal.title},
        closes_at=approval.closes_at,
        subject=f"policy.proposal:{proposal.pk}",
        on_close="commonweal.policy.services.approval_vote_closed",
        kind="policy_approval",
        text=draft_text_of(final),
    )
    approval.vote_id = vote.pk
    approval.save(update_fields=["vote_id"])


def draft_text_of(version: DraftVersion) -> str:
    return "\n\n".join(version.paragraphs.order_by("position").values_list("text", flat=True))


def amendment_vote_closed(vote: Any) -> None:
    """Closing step of an amendment's vote: when the last one closes, the final vote opens."""
    from commonweal.meetings.models import Meeting

    amendment = Amendment.objects.select_related("proposal").get(vote_id=vote.pk)
    carried = bool(vote.result.get("effective")) and vote.outcome == "carried"
    amendment.status = Amendment.Status.CARRIED if carried else Amendment.Status.LOST
    amendment.save(update_fields=["status"])
    proposal = Proposal.objects.select_for_update().get(pk=amendment.proposal_id)
    record_append(
        kind="policy.amendment_decided",
        subject=proposal,
        payload={"proposal": proposal.pk, "amendment": amendment.pk, "carried": carried},
        rulebook_version=vote.rulebook_version,
    )
    if proposal.amendments.filter(status=Amendment.Status.VOTING).exists():
        return
    _apply_carried(proposal)
    approval = proposal.approval
    if approval.meeting_id is None:  # amendments are voted in the e-conference: never so
        raise Conflict(_("The approval e-conference has not been called."))
    _open_final_vote(proposal, approval, Meeting.objects.get(pk=approval.meeting_id))


def _apply_carried(proposal: Proposal) -> None:
    """Write the carried amendments into a new final version of the draft."""
    carried = {
        a.paragraph_id: a.text for a in proposal.amendments.filter(status=Amendment.Status.CARRIED)
    }
    if not carried:
        return
    final = proposal.drafts.latest("number")
    paragraphs = list(final.paragraphs.prefetch_related("citations"))
    version = DraftVersion.objects.create(
        proposal=proposal,
        number=final.number + 1,
        note=_("Final text with %(n)s carried amendments") % {"n": len(carried)},
        created_at=clock.now(),
        is_final=True,
    )
    for p in paragraphs:
        row = Paragraph.objects.create(
            version=version, position=p.position, text=carried.get(p.pk, p.text)
        )
        row.citations.set(p.citations.all())


def approval_vote_closed(vote: Any) -> None:
    """Closing step of the approval vote: approved policies are recorded and published."""
    from commonweal.decisions.services import decision_record

    approval = Approval.objects.get(vote_id=vote.pk)
    proposal = (
        Proposal.objects.select_for_update(of=("self",))
        .select_related("section", "amends")
        .get(pk=approval.proposal_id)
    )
    if proposal.stage != Stage.APPROVAL:
        return
    rulebook = current()
    if not vote.result.get("effective"):
        _approval_void(proposal, approval, vote)
        return
    carried = vote.outcome == "carried"
    if not carried:
        _move(proposal, Stage.REJECTED, actor=None, rulebook=rulebook, note=vote.outcome)
        notify(
            kind="policy.rejected",
            title=_("The e-conference did not approve “%(title)s”.") % {"title": proposal.title},
            link=proposal.get_absolute_url(),
            members=[proposal.author_id],
            bodies=[proposal.section_id],
            thread=_thread(proposal),
        )
        return
    final = proposal.drafts.latest("number")
    text = draft_text_of(final)
    decision = decision_record(
        kind="policy",
        title=_("Policy approved: %(title)s") % {"title": proposal.title},
        text=text,
        body=proposal.section,
        rulebook_version=vote.rulebook_version,
        vote=vote,
        meeting=approval.meeting_id,
        subject=subject_of(proposal),
        link=proposal.get_absolute_url(),
    )
    proposal.decision = decision
    proposal.save(update_fields=["decision"])
    _move(proposal, Stage.APPROVED, actor=None, rulebook=rulebook)
    policy = _publish(proposal, text=text, decision=decision, rulebook=rulebook)
    _move(proposal, Stage.PUBLISHED, actor=None, rulebook=rulebook)
    notify(
        kind="policy.published",
        title=_("Approved and published: %(title)s") % {"title": policy.title},
        link=policy.get_absolute_url(),
        members=[proposal.author_id],
        units=[proposal.section.unit_id],
        thread=_thread(proposal),
    )


def _approval_void(proposal: Proposal, approval: Approval, vote: Any) -> None:
    """Without a quorum the e-conference decided nothing: the proposal waits at the approval
    step and the section may call it again. The vote and the record keep what happened."""
    approval.delete()
    record_append(
        kind="policy.approval_void",
        subject=proposal,
        payload={"proposal": proposal.pk, "vote": vote.pk, "turnout": vote.turnout},
        rulebook_version=vote.rulebook_version,
    )
    notify(
        kind="policy.approval_void",
        title=_(
            "The e-conference on “%(title)s” had no quorum and decided nothing; "
            "the section can call it again."
        )
        % {"title": proposal.title},
        link=proposal.get_absolute_url(),
        members=[proposal.author_id],
        bodies=[proposal.section_id],
        thread=_thread(proposal),
    )
