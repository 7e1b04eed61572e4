"""Every step of the policy process is one function here.

Each checks the permission predicate and the step the proposal is at, reads the
rulebook in force, changes state in one transaction with the proposal row
locked, appends to the record and notifies whoever is concerned.
"""

import hashlib
import math
import secrets
from collections.abc import Callable
from datetime import date, datetime, timedelta
from typing import Any, TypeVar

from django.db import IntegrityError, transaction
from django.utils.text import slugify
from django.utils.translation import gettext as _

from commonweal.core import clock
from commonweal.core.errors import Conflict, NotPermitted, Refused
from commonweal.core.markdown import clean_plain
from commonweal.core.ratelimit import check_rate
from commonweal.notifications.services import member_reach, notify
from commonweal.organisation.models import Body, Unit
from commonweal.organisation.selectors import member_count_in_scope
from commonweal.record.services import record_append, subject_of
from commonweal.rulebook.selectors import Rulebook, current
from commonweal.website.services import public_content_changed

from .models import (
    PROMPTED_BY_MAX,
    REASON_MAX,
    SECTION_STAGES,
    SHORT_TEXT_MAX,
    TEXT_MAX,
    TITLE_MAX,
    Amendment,
    Approval,
    Circulation,
    Comment,
    Contribution,
    DraftVersion,
    ExternalInvitation,
    Paragraph,
    Policy,
    PolicyVersion,
    Proposal,
    ScopeProposal,
    Stage,
    StageTransition,
    Support,
)

T = TypeVar("T")

# The rulebook's duration for each stage that has a deadline.
STAGE_DAYS = {
    Stage.PROPOSED: "support_days",
    Stage.SCOPING: "scoping_days",
    Stage.CIRCULATION: "circulation_days",
    Stage.DRAFTING: "drafting_days",
    Stage.CONSULTATION: "consultation_days",
    Stage.APPROVAL: "approval_days",
}

# Proposals and amendments one member may put, each telling a section (or its officers).
PROPOSE_RATE = "5/h"
AMEND_RATE = "20/h"


# ---------------------------------------------------------------- helpers


def _require(user: Any, perm: str, obj: Any, message: str) -> None:
    if user is None or not user.has_perm(perm, obj):
        raise NotPermitted(message)


def _text(value: str, *, field: str, limit: int, what: str) -> str:
    """Markdown text: stripped, required, bounded. Sanitising happens when it is rendered."""
    value = (value or "").strip()
    if not value:
        raise Refused(_("%(what)s cannot be empty.") % {"what": what}, field=field)
    if len(value) > limit:
        raise Refused(
            _("%(what)s is too long: at most %(limit)s characters (this has %(n)s).")
            % {"what": what, "limit": f"{limit:,}", "n": f"{len(value):,}"},
            field=field,
        )
    return value


def _line(value: str, *, field: str, limit: int, what: str, required: bool = True) -> str:
    value = clean_plain(value or "")
    if required and not value:
        raise Refused(_("%(what)s cannot be empty.") % {"what": what}, field=field)
    if len(value) > limit:
        raise Refused(
            _("%(what)s is too long: at most %(limit)s characters.")
            % {"what": what, "limit": limit},
            field=field,
        )
    return value


def _thread(proposal: Proposal) -> str:
    return f"policy.proposal:{proposal.pk}"


def _locked(proposal: Proposal, *stages: str) -> Proposal:
    """Lock the proposal row and refuse if it is not at one of the given steps."""
    locked = (
        Proposal.objects.select_for_update(of=("self",))
        .select_related("section__unit")
        .get(pk=proposal.pk)
    )
    if locked.stage not in stages:
        raise Conflict(
            _("This proposal is at the “%(now)s” step; that action belongs to “%(wanted)s”.")
            % {
                "now": locked.get_stage_display(),
                "wanted": ", ".join(str(Stage(s).label) for s in stages),
            }
        )
    return locked


def _move(
    proposal: Proposal, to: str, *, actor: Any, rulebook: Rulebook, note: str = ""
) -> StageTransition:
    """Move a locked proposal to its next step: timeline, deadline, record."""
    now = clock.now()
    days = STAGE_DAYS.get(Stage(to))
    deadline = now + timedelta(days=rulebook[f"policy.{days}"]) if days else None
    transition = StageTransition.objects.create(
        proposal=proposal,
        from_stage=proposal.stage,
        to_stage=to,
        actor=actor,
        at=now,
        deadline=deadline,
        rulebook_version=rulebook.version,
        note=note[:300],
    )
    proposal.stage = to
    proposal.stage_started_at = now
    proposal.stage_deadline = deadline
    proposal.stalled_since = None
    proposal.stall_notified_on = None
    proposal.save(
        update_fields=[
            "stage",
            "stage_started_at",
            "stage_deadline",
            "stalled_since",
            "stall_notified_on",
        ]
    )
    record_append(
        kind=f"policy.{to}",
        subject=proposal,
        actor=actor,
        payload={"proposal": proposal.pk, "from": transition.from_stage, "to": to},
        rulebook_version=rulebook.version,
    )
    return transition


def support_needed(section: Body, rulebook: Rulebook) -> int:
    """The rulebook's threshold: a number, or a share of the members in the section's scope."""
    threshold = rulebook["policy.support_threshold"]
    if rulebook["policy.support_threshold_kind"] == "absolute":
        needed = math.ceil(threshold)
    else:
        needed = math.ceil(threshold * member_count_in_scope(section.unit))
    return max(needed, rulebook["policy.support_minimum"])


# ---------------------------------------------------------------- 1. proposal


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
    title = _line(title, field="title", limit=TITLE_MAX, what=_("The title"))
    text = _text(text, field="text", limit=TEXT_MAX, what=_("The case for the proposal"))
    prompted_by = _line(
        prompted_by,
        field="prompted_by",
        limit=PROMPTED_BY_MAX,
        what=_("The outside group's name"),
        required=False,
    )
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


# ---------------------------------------------------------------- 2. support


# Supporting and withdrawing, counted together: a member clicking through the board stays
# well under these; a script flipping supports, or one address driving many accounts, does not.
SUPPORT_RATE_PER_ACCOUNT = "30/10m"
SUPPORT_RATE_PER_ADDRESS = "300/h"


def support_rate_check(*, member: Any, ip: str | None) -> None:
    """Refuse (429, with the wait) a member or an address that supports too often.

    Called by the page and the API before supporting or withdrawing support; the
    counters are shared by every web process (commonweal.core.ratelimit).
    """
    check_rate("policy.support", account=member, limit=SUPPORT_RATE_PER_ACCOUNT)
    check_rate("policy.support", ip=ip, limit=SUPPORT_RATE_PER_ADDRESS)


def proposal_support(*, proposal: Proposal, member: Any) -> Proposal:
    """Add a member's support; the one that reaches the threshold launches the process.

    The proposal row is locked, so however many supports arrive at once, exactly
    one of them sees the count cross the threshold and launches.
    """
    _require(
        member,
        "policy.support_proposal",
        proposal,
        _("Only members in the section's scope may support this proposal."),
    )
    rulebook = current()
    try:
        with transaction.atomic():
            proposal = Proposal.objects.select_for_update().get(pk=proposal.pk)
            if proposal.stage == Stage.WITHDRAWN:
                raise Conflict(_("This proposal has been withdrawn; it cannot be supported."))
            if proposal.stage == Stage.EXPIRED or (
                proposal.stage == Stage.PROPOSED and proposal.stage_deadline <= clock.now()
            ):
                raise Conflict(_("This proposal's time to gather support has run out."))
            if proposal.stage != Stage.PROPOSED:
                raise Conflict(_("This proposal has already been launched; support is closed."))
            if Support.objects.filter(proposal=proposal, member=member, withdrawn_at=None).exists():
                raise Conflict(_("You already support this proposal."))
            Support.objects.create(proposal=proposal, member=member, created_at=clock.now())
            proposal.support_count += 1
            proposal.save(update_fields=["support_count"])
            record_append(
                kind="policy.supported",
                subject=proposal,
                actor=member,
                payload={"proposal": proposal.pk, "count": proposal.support_count},
                rulebook_version=rulebook.version,
            )
            if proposal.support_count >= proposal.support_needed:
                _launch(proposal, rulebook=rulebook)
    except IntegrityError as exc:
        raise Conflict(_("You already support this proposal.")) from exc
    return proposal


def _launch(proposal: Proposal, *, rulebook: Rulebook) -> None:
    _move(
        proposal,
        Stage.SCOPING,
        actor=None,
        rulebook=rulebook,
        note=_("%(n)s supporters reached the threshold of %(needed)s")
        % {"n": proposal.support_count, "needed": proposal.support_needed},
    )
    proposal.launched_at = proposal.stage_started_at
    proposal.save(update_fields=["launched_at"])
    supporters = list(
        Support.objects.filter(proposal=proposal, withdrawn_at=None).values_list(
            "member_id", flat=True
        )
    )
    notify(
        kind="policy.launched",
        title=_("Launched: %(title)s has the support it needs; the section now scopes it.")
        % {"title": proposal.title},
        link=proposal.get_absolute_url(),
        members=[proposal.author_id, *supporters],
        bodies=[proposal.section_id],
        thread=_thread(proposal),
    )


def support_withdraw(*, proposal: Proposal, member: Any) -> Proposal:
    rulebook = current()
    with transaction.atomic():
        proposal = Proposal.objects.select_for_update().get(pk=proposal.pk)
        if proposal.stage != Stage.PROPOSED:
            raise Conflict(
                _("Support can only be withdrawn while the proposal is gathering support.")
            )
        updated = Support.objects.filter(
            proposal=proposal, member=member, withdrawn_at=None
        ).update(withdrawn_at=clock.now())
        if not updated:
            raise Refused(_("You do not support this proposal."))
        proposal.support_count -= 1
        proposal.save(update_fields=["support_count"])
        record_append(
            kind="policy.support_withdrawn",
            subject=proposal,
            actor=member,
            payload={"proposal": proposal.pk, "count": proposal.support_count},
            rulebook_version=rulebook.version,
        )
    return proposal


def proposal_expire(*, proposal: Proposal) -> bool:
    """Expire a proposal whose support deadline has passed; False if it has moved meanwhile."""
    rulebook = current()
    with transaction.atomic():
        proposal = Proposal.objects.select_for_update().get(pk=proposal.pk)
        if proposal.stage != Stage.PROPOSED or proposal.stage_deadline > clock.now():
            return False
        _move(
            proposal,
            Stage.EXPIRED,
            actor=None,
            rulebook=rulebook,
            note=_("%(n)s of %(needed)s supporters by the deadline")
            % {"n": proposal.support_count, "needed": proposal.support_needed},
        )
        notify(
            kind="policy.expired",
            title=_("Your proposal “%(title)s” expired with %(n)s of %(needed)s supporters.")
            % {
                "title": proposal.title,
                "n": proposal.support_count,
                "needed": proposal.support_needed,
            },
            link=proposal.get_absolute_url(),
            members=[proposal.author_id],
            thread=_thread(proposal),
        )
    return True


# ---------------------------------------------------------------- 3. scoping


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


# ---------------------------------------------------------------- 4. circulation


def _circulate(proposal: Proposal, *, actor: Any, rulebook: Rulebook) -> None:
    """Send the scoped proposal to the other sections and every basic unit in scope."""
    _move(proposal, Stage.CIRCULATION, actor=actor, rulebook=rulebook)
    deadline = proposal.stage_deadline
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


# ---------------------------------------------------------------- 5. drafting


def drafting_start(*, proposal: Proposal, by: Any) -> Proposal:
    """The section closes circulation and starts composing the draft."""
    _require(
        by,
        "policy.act_for_section",
        proposal,
        _("Only members of %(section)s may start drafting.") % {"section": proposal.section.name},
    )
    rulebook = current()
    with transaction.atomic():
        proposal = _locked(proposal, Stage.CIRCULATION)
        silent = proposal.circulations.filter(status=Circulation.Status.SILENT).count()
        _move(
            proposal,
            Stage.DRAFTING,
            actor=by,
            rulebook=rulebook,
            note=_("%(n)s recipients stayed silent") % {"n": silent},
        )
        notify(
            kind="policy.drafting",
            title=_("%(section)s is drafting “%(title)s” from your contributions.")
            % {"section": proposal.section.name, "title": proposal.title},
            link=proposal.get_absolute_url(),
            bodies=[proposal.section_id],
            members=[proposal.author_id],
            actor=by,
            thread=_thread(proposal),
        )
    return proposal


def draft_save(
    *, proposal: Proposal, by: Any, paragraphs: list[dict[str, Any]], note: str = ""
) -> DraftVersion:
    """Save a new version of the draft: paragraphs, each citing the contributions it drew on.

    `paragraphs` is `[{"text": str, "cites": [contribution ids]}]`.
    """
    _require(
        by,
        "policy.act_for_section",
        proposal,
        _("Only members of %(section)s may write the draft.") % {"section": proposal.section.name},
    )
    if not paragraphs:
        raise Refused(_("A draft needs at least one paragraph."), field="text")
    cleaned = []
    total = 0
    for position, paragraph in enumerate(paragraphs, start=1):
        text = _text(
            paragraph.get("text", ""),
            field="text",
            limit=TEXT_MAX,
            what=_("Paragraph %(n)s") % {"n": position},
        )
        total += len(text)
        cleaned.append((text, sorted({int(c) for c in paragraph.get("cites", [])})))
    if total > TEXT_MAX * 5:
        raise Refused(_("The draft is too long."), field="text")
    note = _line(note, field="note", limit=300, what=_("The note"), required=False)
    cited = {c for _text_, cites in cleaned for c in cites}
    # An id no database column can hold is simply unknown (SQLite raises on it, PostgreSQL too).
    storable = {c for c in cited if 0 < c < 2**63}
    known = set(
        Contribution.objects.filter(proposal=proposal, pk__in=storable).values_list("pk", flat=True)
    )
    if unknown := cited - known:
        raise Refused(
            _("These are not contributions to this proposal: %(ids)s")
            % {"ids": ", ".join(f"#{i}" for i in sorted(unknown))},
            field="text",
        )
    rulebook = current()
    with transaction.atomic():
        proposal = _locked(proposal, Stage.DRAFTING, Stage.CONSULTATION)
        last = proposal.drafts.order_by("-number").values_list("number", flat=True).first() or 0
        version = DraftVersion.objects.create(
            proposal=proposal,
            number=last + 1,
            note=note,
            created_by=by,
            created_at=clock.now(),
        )
        rows = Paragraph.objects.bulk_create(
            [
                Paragraph(version=version, position=i, text=text)
                for i, (text, _cites) in enumerate(cleaned, start=1)
            ]
        )
        Paragraph.citations.through.objects.bulk_create(
            [
                Paragraph.citations.through(paragraph_id=row.pk, contribution_id=c)
                for row, (_text_, cites) in zip(rows, cleaned, strict=True)
                for c in cites
            ]
        )
        record_append(
            kind="policy.draft_saved",
            subject=proposal,
            actor=by,
            payload={"proposal": proposal.pk, "draft": version.pk, "number": version.number},
            rulebook_version=rulebook.version,
        )
        notify(
            kind="policy.draft_saved",
            title=_("Draft %(n)s of “%(title)s”") % {"n": version.number, "title": proposal.title},
            link=proposal.get_absolute_url(),
            bodies=[proposal.section_id],
            members=[proposal.author_id],
            actor=by,
            thread=_thread(proposal),
        )
    return version


# ---------------------------------------------------------------- 6. wider consultation


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
            % {"title": proposal.title, "day": proposal.stage_deadline.date().isoformat()},
            link=proposal.get_absolute_url(),
            units=[proposal.section.unit_id],
            actor=by,
            thread=_thread(proposal),
        )
    return proposal


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
            expires_at=proposal.stage_deadline,
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
        from .tasks import email_invitation

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
    if invitation.expires_at <= clock.now():
        raise NotPermitted(
            _("This invitation expired on %(day)s, when the consultation closed.")
            % {"day": invitation.expires_at.date().isoformat()}
        )
    if invitation.proposal.stage != Stage.CONSULTATION:
        raise NotPermitted(_("The consultation this invitation was for has closed."))
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


# ---------------------------------------------------------------- stalls


def _chairs(section_id: int) -> list[int]:
    from commonweal.organisation.models import BodyMembership
    from commonweal.organisation.selectors import active_memberships

    return list(
        active_memberships(body_id=section_id, role=BodyMembership.Role.CHAIR).values_list(
            "member_id", flat=True
        )
    )


def proposals_sweep(*, now: datetime | None = None) -> dict[str, int]:
    """Expire unsupported proposals, flag stalled steps, remind chairs once a day.

    Safe to run any number of times: each proposal is changed under its own lock
    and a chair is reminded at most once per calendar day.
    """
    now = now or clock.now()
    today = now.date()
    done = {"expired": 0, "stalled": 0, "reminded": 0}
    due = Proposal.objects.filter(stage=Stage.PROPOSED, stage_deadline__lte=now)
    for proposal in due.only("pk").iterator(chunk_size=500):
        done["expired"] += proposal_expire(proposal=proposal)
    rulebook = current()
    late = Proposal.objects.filter(
        stage__in=SECTION_STAGES, stage_deadline__lte=now, stalled_since=None
    ).values_list("pk", flat=True)
    for pk in list(late):
        with transaction.atomic():
            proposal = Proposal.objects.select_for_update().get(pk=pk)
            if proposal.stage not in SECTION_STAGES or proposal.stalled_since is not None:
                continue
            proposal.stalled_since = proposal.stage_deadline
            proposal.save(update_fields=["stalled_since"])
            record_append(
                kind="policy.stalled",
                subject=proposal,
                payload={"proposal": proposal.pk, "stage": proposal.stage},
                rulebook_version=rulebook.version,
            )
            done["stalled"] += 1
    to_remind = (
        Proposal.objects.filter(stage__in=SECTION_STAGES, stalled_since__isnull=False)
        .exclude(stall_notified_on=today)
        .values_list("pk", flat=True)
    )
    for pk in list(to_remind):
        with transaction.atomic():
            proposal = (
                Proposal.objects.select_for_update(of=("self",))
                .select_related("section")
                .get(pk=pk)
            )
            if proposal.stalled_since is None or proposal.stall_notified_on == today:
                continue
            proposal.stall_notified_on = today
            proposal.save(update_fields=["stall_notified_on"])
            days = (now - proposal.stalled_since).days
            notify(
                kind="policy.stalled",
                title=_("Stalled for %(days)s days: “%(title)s” at the %(stage)s step")
                % {"days": days, "title": proposal.title, "stage": proposal.get_stage_display()},
                link=proposal.get_absolute_url(),
                members=_chairs(proposal.section_id),
                urgent=True,
                thread=_thread(proposal),
            )
            done["reminded"] += 1
    return done


# ---------------------------------------------------------------- 7. approval


def final_draft(*, proposal: Proposal, by: Any) -> DraftVersion:
    """Consultation ends: the latest draft becomes the final draft put to the members."""
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
        version = proposal.drafts.order_by("-number").first()
        version.is_final = True
        version.save(update_fields=["is_final"])
        _move(proposal, Stage.APPROVAL, actor=by, rulebook=rulebook)
        notify(
            kind="policy.final_draft",
            title=_("Final draft of “%(title)s”: amendments may be proposed before the vote.")
            % {"title": proposal.title},
            link=proposal.get_absolute_url(),
            units=[proposal.section.unit_id],
            actor=by,
            thread=_thread(proposal),
        )
    return version


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
) -> Approval:
    """Call the e-conference: amendments are voted first, then the final text.

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
    with transaction.atomic():
        proposal = _locked(proposal, Stage.APPROVAL)
        if Approval.objects.filter(proposal=proposal).exists():
            raise Conflict(_("The approval e-conference has already been called."))
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
            rulebook_version=current().version,
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
    final = proposal.drafts.order_by("-number").first()
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
    _open_final_vote(proposal, approval, Meeting.objects.get(pk=approval.meeting_id))


def _apply_carried(proposal: Proposal) -> None:
    """Write the carried amendments into a new final version of the draft."""
    carried = {
        a.paragraph_id: a.text for a in proposal.amendments.filter(status=Amendment.Status.CARRIED)
    }
    if not carried:
        return
    final = proposal.drafts.order_by("-number").first()
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
    final = proposal.drafts.order_by("-number").first()
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


# ---------------------------------------------------------------- 8. publication


def _publish(proposal: Proposal, *, text: str, decision: Any, rulebook: Rulebook) -> Policy:
    """A new version of the amended policy, or a new policy, on the public website."""
    now = clock.now()
    policy = proposal.amends
    if policy is None:
        base = slugify(proposal.title)[:100] or "policy"
        slug, n = base, 1
        while Policy.objects.filter(slug=slug).exists():
            n += 1
            slug = f"{base}-{n}"
        policy = Policy.objects.create(
            title=proposal.title,
            slug=slug,
            summary=clean_plain(proposal.scope_areas)[:500],
            section=proposal.section,
            published_at=now,
        )
    else:
        # An amendment changes the policy's text, not its name: the proposal's title
        # names the change, and stays visible through the version's decision.
        policy = Policy.objects.select_for_update().get(pk=policy.pk)
        policy.published_at = now
        policy.save(update_fields=["published_at"])
    last = policy.versions.order_by("-number").values_list("number", flat=True).first() or 0
    PolicyVersion.objects.create(
        policy=policy,
        number=last + 1,
        title=policy.title,
        text=text,
        published_at=now,
        proposal=proposal,
        decision=decision,
        rulebook_version=rulebook.version,
    )
    proposal.policy = policy
    proposal.save(update_fields=["policy"])
    record_append(
        kind="policy.published_version",
        subject=policy,
        payload={"policy": policy.pk, "version": last + 1, "decision": decision.pk},
        rulebook_version=rulebook.version,
    )
    transaction.on_commit(public_content_changed)
    return policy
