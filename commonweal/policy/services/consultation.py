"""6. Wider consultation: members and invited outside groups comment on the draft."""

import hashlib
import secrets
from typing import Any

from django.db import transaction
from django.utils.translation import gettext as _

from commonweal.core import clock
from commonweal.core.errors import Conflict, NotPermitted, Refused
from commonweal.notifications.services import notify
from commonweal.record.services import record_append
from commonweal.rulebook.selectors import current

from ..models import SHORT_TEXT_MAX, Comment, ExternalInvitation, Paragraph, Proposal, Stage
from ..windows import closed_notice, when
from ._common import _deadline, _line, _locked, _move, _require, _text, _thread


def consultation_open(*, proposal: Proposal, by: Any) -> Proposal:
    _require(
        by,
        "policy.act_for_section",
        proposal,
        _("Only members of %(section)s may open the consultation.")
        % {"section": proposal.section.name},
    )
    rulebook = current()
    with transaction.atomic():
        proposal = _locked(proposal, Stage.DRAFTING)
        if not proposal.drafts.exists():
            raise Conflict(_("Write a draft before opening it for consultation."))
        _move(proposal, Stage.CONSULTATION, actor=by, rulebook=rulebook)
        notify(
            kind="policy.consultation",
            title=_("The draft of “%(title)s” is open for your comments until %(day)s.")
            % {"title": proposal.title, "day": _deadline(proposal).date().isoformat()},
            link=proposal.get_absolute_url(),
            units=[proposal.section.unit_id],
            actor=by,
            thread=_thread(proposal),
        )
    return proposal


class ConsultationClosed(NotPermitted):
    """An invitation whose consultation has closed: says when, and why if it closed early."""

    def __init__(self, invitation: ExternalInvitation, notice: dict[str, Any]) -> None:
        self.invitation = invitation
        self.notice = notice
        if notice["early"]:
            message = _(
                "The consultation on “%(title)s” closed on %(day)s, before the %(planned)s "
                "your invitation named. The reason given: %(reason)s"
            ) % {
                "title": invitation.proposal.title,
                "day": when(notice["closed_at"]),
                "planned": when(invitation.expires_at),
                "reason": notice["reason"],
            }
        else:
            message = _("The consultation on “%(title)s” closed on %(day)s, as planned.") % {
                "title": invitation.proposal.title,
                "day": when(notice["closed_at"]),
            }
        super().__init__(message)


def token_hash(token: str) -> str:
    return hashlib.sha256(token.encode()).hexdigest()


def external_invite(*, proposal: Proposal, by: Any, name: str, email: str) -> ExternalInvitation:
    """Invite an outside group to read and comment on this one draft until consultation ends.

    The worker makes the link's token as it emails it (`invitation_token_issue`), so the
    token is never in the task queue's arguments (stored in the database); only its hash
    is kept. Until then the invitation's hash is one of a token nobody has.
    """
    from django.core.exceptions import ValidationError
    from django.core.validators import validate_email

    _require(
        by,
        "policy.act_for_section",
        proposal,
        _("Only members of %(section)s may invite outside participants.")
        % {"section": proposal.section.name},
    )
    name = _line(name, field="name", limit=200, what=_("The group's or person's name"))
    email = (email or "").strip().lower()
    try:
        validate_email(email)
    except ValidationError as exc:
        raise Refused(_("Enter a valid email address."), field="email") from exc
    rulebook = current()
    with transaction.atomic():
        proposal = _locked(proposal, Stage.CONSULTATION)
        invitation = ExternalInvitation.objects.create(
            proposal=proposal,
            name=name,
            email=email,
            token_hash=token_hash(secrets.token_urlsafe(32)),
            expires_at=_deadline(proposal),
            invited_by=by,
            created_at=clock.now(),
        )
        record_append(
            kind="policy.external_invited",
            subject=proposal,
            actor=by,
            payload={"proposal": proposal.pk, "invitation": invitation.pk},
            rulebook_version=rulebook.version,
        )
        from ..tasks import email_invitation

        transaction.on_commit(lambda: email_invitation.enqueue(invitation.pk))
    return invitation


def invitation_token_issue(invitation: ExternalInvitation) -> str:
    """A new token for the invitation's link, for its email; any earlier link stops working."""
    token = secrets.token_urlsafe(32)
    ExternalInvitation.objects.filter(pk=invitation.pk).update(token_hash=token_hash(token))
    return token


def external_access(token: str) -> ExternalInvitation:
    """The invitation behind a link, refused with a clear reason when it no longer works."""
    invitation = (
        ExternalInvitation.objects.select_related("proposal__section")
        .filter(token_hash=token_hash(token or ""))
        .first()
    )
    if invitation is None:
        raise NotPermitted(_("This invitation link is not valid."))
    if (notice := closed_notice(invitation)) is not None:
        raise ConsultationClosed(invitation, notice)
    return invitation


def comment_add(
    *,
    paragraph: Paragraph,
    text: str,
    author: Any = None,
    invitation: ExternalInvitation | None = None,
) -> Comment:
    """A comment on one paragraph of the draft under consultation, by a member or an invitee."""
    proposal = paragraph.version.proposal
    if invitation is not None:
        if invitation.proposal_id != proposal.pk:
            raise NotPermitted(_("Your invitation is for another draft."))
        if invitation.expires_at <= clock.now():
            raise NotPermitted(
                _("Your invitation expired on %(day)s, when the consultation closed.")
                % {"day": invitation.expires_at.date().isoformat()}
            )
    else:
        _require(
            author,
            "policy.comment_draft",
            proposal,
            _("Only members in the section's scope, or invited outside participants, may comment."),
        )
    text = _text(text, field="text", limit=SHORT_TEXT_MAX, what=_("Your comment"))
    rulebook = current()
    with transaction.atomic():
        proposal = _locked(proposal, Stage.CONSULTATION)
        latest = proposal.drafts.order_by("-number").values_list("pk", flat=True).first()
        if paragraph.version_id != latest:
            raise Conflict(_("This paragraph belongs to an older draft; comment on the latest."))
        comment = Comment.objects.create(
            paragraph=paragraph,
            author=author if invitation is None else None,
            invitation=invitation,
            external=invitation is not None,
            text=text,
            created_at=clock.now(),
        )
        record_append(
            kind="policy.commented",
            subject=proposal,
            actor=author if invitation is None else None,
            payload={
                "proposal": proposal.pk,
                "comment": comment.pk,
                "invitation": getattr(invitation, "pk", None),
            },
            rulebook_version=rulebook.version,
        )
    return comment
