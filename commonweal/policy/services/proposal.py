"""1. Proposal: a member posts the case for a policy; the author may withdraw it."""

from datetime import timedelta
from typing import Any

from django.db import transaction
from django.utils.translation import gettext as _

from commonweal.core import clock
from commonweal.core.errors import Refusals, Refused
from commonweal.core.ratelimit import check_rate
from commonweal.notifications.services import member_reach, notify
from commonweal.organisation.models import Body
from commonweal.record.services import record_append
from commonweal.rulebook.selectors import current
from commonweal.search.services import index as search_index

from ..models import PROMPTED_BY_MAX, TEXT_MAX, TITLE_MAX, Policy, Proposal, Stage, StageTransition
from ._common import _line, _locked, _move, _require, _text, _thread, support_needed

# Proposals one member may put, each telling a section (or its officers).
PROPOSE_RATE = "5/h"


def proposal_create(
    *,
    author: Any,
    section: Body,
    title: str,
    text: str,
    amends: Policy | None = None,
    prompted_by: str = "",
) -> Proposal:
    """Post the preliminary case for a new or amended policy on the bulletin board."""
    if section is None or section.kind != Body.Kind.POLICY_SECTION:
        raise Refused(_("Address the proposal to a policy section."), field="section")
    _require(
        author,
        "policy.add_proposal",
        section,
        _("Only members in the scope of %(section)s may propose policy to it.")
        % {"section": section.name},
    )
    # Every field's problem is found before any is refused, so the form shows them together.
    found = Refusals()
    with found:
        title = _line(title, field="title", limit=TITLE_MAX, what=_("The title"))
    with found:
        text = _text(text, field="text", limit=TEXT_MAX, what=_("The case for the proposal"))
    with found:
        prompted_by = _line(
            prompted_by,
            field="prompted_by",
            limit=PROMPTED_BY_MAX,
            what=_("The outside group's name"),
            required=False,
        )
    found.raise_any()
    check_rate("policy.propose", account=author, limit=PROPOSE_RATE)
    rulebook = current()
    now = clock.now()
    with transaction.atomic():
        proposal = Proposal.objects.create(
            title=title,
            text=text,
            author=author,
            unit=author.unit,
            section=section,
            amends=amends,
            prompted_by=prompted_by,
            anonymous=rulebook["policy.anonymous_until_launch"],
            stage=Stage.PROPOSED,
            stage_started_at=now,
            stage_deadline=now + timedelta(days=rulebook["policy.support_days"]),
            support_needed=support_needed(section, rulebook),
            created_at=now,
            rulebook_version=rulebook.version,
        )
        StageTransition.objects.create(
            proposal=proposal,
            from_stage="",
            to_stage=Stage.PROPOSED,
            actor=author,
            at=now,
            deadline=proposal.stage_deadline,
            rulebook_version=rulebook.version,
        )
        search_index("policy.proposal", proposal.pk)
        record_append(
            kind="policy.proposed",
            subject=proposal,
            actor=author,
            payload={"proposal": proposal.pk, "section": section.pk},
            rulebook_version=rulebook.version,
        )
        notify(
            kind="policy.proposed",
            title=_("New policy proposal for %(section)s: %(title)s")
            % {"section": section.name, "title": title},
            link=proposal.get_absolute_url(),
            actor=author,
            thread=_thread(proposal),
            **member_reach(actor=author, bodies=[section]),
        )
    return proposal


def proposal_withdraw(*, proposal: Proposal, by: Any) -> Proposal:
    """The author takes back a proposal that has not been launched."""
    _require(by, "policy.withdraw_proposal", proposal, _("Only the author may withdraw it."))
    rulebook = current()
    with transaction.atomic():
        proposal = _locked(proposal, Stage.PROPOSED)
        _move(proposal, Stage.WITHDRAWN, actor=by, rulebook=rulebook)
        notify(
            kind="policy.withdrawn",
            title=_("Proposal withdrawn: %(title)s") % {"title": proposal.title},
            link=proposal.get_absolute_url(),
            bodies=[proposal.section],
            actor=by,
            thread=_thread(proposal),
        )
    return proposal
