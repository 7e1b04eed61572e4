"""3. Scoping: the section says which areas need updating; the proposer agrees or not."""

from typing import Any

from django.db import transaction
from django.utils.translation import gettext as _

from commonweal.core import clock
from commonweal.core.errors import Conflict
from commonweal.notifications.services import notify
from commonweal.record.services import record_append
from commonweal.rulebook.selectors import current

from ..models import SHORT_TEXT_MAX, Proposal, ScopeProposal, Stage
from ._common import _locked, _require, _text, _thread
from .circulation import _circulate


def scope_propose(*, proposal: Proposal, by: Any, areas: str) -> ScopeProposal:
    """The section says which areas of policy need updating; the proposer answers."""
    _require(
        by,
        "policy.act_for_section",
        proposal,
        _("Only members of %(section)s may scope this proposal.")
        % {"section": proposal.section.name},
    )
    areas = _text(areas, field="areas", limit=SHORT_TEXT_MAX, what=_("The areas to update"))
    rulebook = current()
    with transaction.atomic():
        proposal = _locked(proposal, Stage.SCOPING)
        if proposal.scopes.filter(answer=ScopeProposal.Answer.PENDING).exists():
            raise Conflict(_("The proposer has not yet answered the section's last suggestion."))
        scope = ScopeProposal.objects.create(
            proposal=proposal, areas=areas, proposed_by=by, proposed_at=clock.now()
        )
        record_append(
            kind="policy.scope_proposed",
            subject=proposal,
            actor=by,
            payload={"proposal": proposal.pk, "scope": scope.pk},
            rulebook_version=rulebook.version,
        )
        notify(
            kind="policy.scope_proposed",
            title=_("%(section)s suggests the areas to update for “%(title)s”: do you agree?")
            % {"section": proposal.section.name, "title": proposal.title},
            link=proposal.get_absolute_url(),
            members=[proposal.author_id],
            actor=by,
            thread=_thread(proposal),
        )
    return scope


def scope_answer(*, scope: ScopeProposal, by: Any, agree: bool, text: str = "") -> ScopeProposal:
    """The proposer agrees (the proposal goes into circulation) or asks for changes."""
    proposal = scope.proposal
    _require(
        by,
        "policy.answer_scope",
        proposal,
        _("Only the member who made the proposal may answer."),
    )
    if not agree:
        text = _text(text, field="text", limit=SHORT_TEXT_MAX, what=_("What should change"))
    rulebook = current()
    with transaction.atomic():
        proposal = _locked(proposal, Stage.SCOPING)
        scope = ScopeProposal.objects.select_for_update().get(pk=scope.pk)
        if scope.answer != ScopeProposal.Answer.PENDING:
            raise Conflict(_("This suggestion has already been answered."))
        scope.answer = ScopeProposal.Answer.AGREED if agree else ScopeProposal.Answer.CHANGES
        scope.answer_text = "" if agree else text
        scope.answered_at = clock.now()
        scope.save(update_fields=["answer", "answer_text", "answered_at"])
        record_append(
            kind="policy.scope_answered",
            subject=proposal,
            actor=by,
            payload={"proposal": proposal.pk, "scope": scope.pk, "agreed": agree},
            rulebook_version=rulebook.version,
        )
        if agree:
            proposal.scope_areas = scope.areas
            proposal.save(update_fields=["scope_areas", "scope_areas_html"])
            _circulate(proposal, actor=by, rulebook=rulebook)
        else:
            notify(
                kind="policy.scope_changes",
                title=_("The proposer asks for changes to the scope of “%(title)s”.")
                % {"title": proposal.title},
                link=proposal.get_absolute_url(),
                bodies=[proposal.section_id],
                actor=by,
                thread=_thread(proposal),
            )
    return scope
