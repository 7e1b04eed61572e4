"""4. Circulation: the other sections and every unit in scope discuss and report."""

from collections.abc import Callable
from datetime import date, datetime
from typing import Any

from django.db import transaction
from django.utils.translation import gettext as _

from commonweal.core import clock
from commonweal.core.errors import Conflict, Refused
from commonweal.notifications.services import notify
from commonweal.organisation.models import Body, Unit
from commonweal.record.services import record_append
from commonweal.rulebook.selectors import Rulebook, current

from ..models import TEXT_MAX, Circulation, Contribution, Proposal, Stage
from ._common import T, _deadline, _line, _locked, _move, _require, _text, _thread


def _circulate(proposal: Proposal, *, actor: Any, rulebook: Rulebook) -> None:
    """Send the scoped proposal to the other sections and every basic unit in scope."""
    _move(proposal, Stage.CIRCULATION, actor=actor, rulebook=rulebook)
    deadline = _deadline(proposal)
    sections = list(
        Body.objects.filter(kind=Body.Kind.POLICY_SECTION).exclude(pk=proposal.section_id)
    )
    Circulation.objects.bulk_create(
        [Circulation(proposal=proposal, body=body, deadline=deadline) for body in sections],
        batch_size=1000,
    )
    units = Unit.objects.filter(
        path__startswith=proposal.section.unit.path, kind=Unit.Kind.BRANCH
    ).values_list("pk", flat=True)
    batch: list[Circulation] = []
    for unit_id in units.iterator(chunk_size=5000):
        batch.append(Circulation(proposal=proposal, unit_id=unit_id, deadline=deadline))
        if len(batch) >= 5000:
            Circulation.objects.bulk_create(batch)
            batch = []
    Circulation.objects.bulk_create(batch)
    notify(
        kind="policy.circulated",
        title=_("For discussion in your unit by %(deadline)s: %(title)s")
        % {"title": proposal.title, "deadline": deadline.date().isoformat()},
        link=proposal.get_absolute_url(),
        bodies=[proposal.section_id, *(s.pk for s in sections)],
        units=[proposal.section.unit_id],
        actor=actor,
        thread=_thread(proposal),
    )


def _open_circulation(circulation: Circulation) -> Proposal:
    proposal = _locked(circulation.proposal, Stage.CIRCULATION)
    if circulation.deadline <= clock.now():
        raise Conflict(
            _("The deadline for this discussion passed on %(day)s.")
            % {"day": circulation.deadline.date().isoformat()}
        )
    return proposal


def _circulation_step(
    circulation: Circulation,
    *,
    by: Any,
    perm: str,
    refusal: str,
    record_kind: str,
    change: Callable[[Proposal, datetime], tuple[T, dict[str, Any]]],
) -> T:
    """One change to a circulated proposal's discussion: who may, the step, the record.

    `change(proposal, now)` runs with the proposal locked at the circulation step and
    before its deadline; it checks its input, makes the change and returns the result
    with what the record entry names besides the proposal.
    """
    _require(by, perm, circulation, refusal)
    rulebook = current()
    with transaction.atomic():
        proposal = _open_circulation(circulation)
        result, payload = change(proposal, clock.now())
        record_append(
            kind=record_kind,
            subject=proposal,
            actor=by,
            payload={"proposal": proposal.pk, **payload},
            rulebook_version=rulebook.version,
        )
    return result


def _contribution(
    circulation: Circulation, proposal: Proposal, now: datetime, **fields: Any
) -> tuple[Contribution, dict[str, Any]]:
    contribution = Contribution.objects.create(
        circulation=circulation, proposal=proposal, created_at=now, **fields
    )
    return contribution, {"contribution": contribution.pk}


def contribution_add(*, circulation: Circulation, author: Any, text: str) -> Contribution:
    """A member's contribution to their unit's (or section's) discussion."""

    def change(proposal: Proposal, now: datetime) -> tuple[Contribution, dict[str, Any]]:
        checked = _text(text, field="text", limit=TEXT_MAX, what=_("Your contribution"))
        return _contribution(
            circulation, proposal, now, kind=Contribution.Kind.MEMBER, author=author, text=checked
        )

    return _circulation_step(
        circulation,
        by=author,
        perm="policy.contribute_circulation",
        refusal=_("Only members of %(who)s may contribute to its discussion.")
        % {"who": circulation.recipient},
        record_kind="policy.contributed",
        change=change,
    )


def outside_consultation_add(
    *, circulation: Circulation, by: Any, who: str, on: date, text: str
) -> Contribution:
    """What the unit learnt from an outside body or person: who, when, what they said."""

    def change(proposal: Proposal, now: datetime) -> tuple[Contribution, dict[str, Any]]:
        outsider = _line(who, field="who", limit=200, what=_("Who you talked to"))
        said = _text(text, field="text", limit=TEXT_MAX, what=_("What they said"))
        if on is None or on > now.date():
            raise Refused(_("Give the day you talked to them (not in the future)."), field="on")
        return _contribution(
            circulation,
            proposal,
            now,
            kind=Contribution.Kind.OUTSIDE,
            author=by,
            text=said,
            outside_who=outsider,
            outside_on=on,
        )

    return _circulation_step(
        circulation,
        by=by,
        perm="policy.contribute_circulation",
        refusal=_("Only members of %(who)s may record its outside consultations.")
        % {"who": circulation.recipient},
        record_kind="policy.outside_consulted",
        change=change,
    )


def circulation_report(
    *, circulation: Circulation, by: Any, no_view: bool = False, summary: str = ""
) -> Circulation:
    """The unit's agreed summary of its discussion, or an explicit "no view"."""

    def change(proposal: Proposal, now: datetime) -> tuple[Circulation, dict[str, Any]]:
        agreed = (
            ""
            if no_view
            else _text(summary, field="summary", limit=TEXT_MAX, what=_("The agreed summary"))
        )
        locked = Circulation.objects.select_for_update().get(pk=circulation.pk)
        if locked.status != Circulation.Status.SILENT:
            raise Conflict(_("%(who)s has already reported.") % {"who": locked.recipient})
        if not no_view:
            _contribution(
                locked, proposal, now, kind=Contribution.Kind.SUMMARY, author=by, text=agreed
            )
        locked.status = Circulation.Status.NO_VIEW if no_view else Circulation.Status.DISCUSSED
        locked.reported_at = now
        locked.reported_by = by
        locked.save(update_fields=["status", "reported_at", "reported_by"])
        notify(
            kind="policy.circulation_reported",
            title=_("%(who)s has reported on “%(title)s”.")
            % {"who": locked.recipient, "title": proposal.title},
            link=proposal.get_absolute_url(),
            bodies=[proposal.section_id],
            actor=by,
            thread=_thread(proposal),
        )
        return locked, {"circulation": locked.pk, "status": locked.status}

    return _circulation_step(
        circulation,
        by=by,
        perm="policy.report_circulation",
        refusal=_("Only the officers of %(who)s may report its view.")
        % {"who": circulation.recipient},
        record_kind="policy.circulation_reported",
        change=change,
    )
