"""Reading the policy process: the board, a proposal's page and timeline, published policies."""

import difflib
import html
from typing import Any

from django.db.models import Count, Prefetch, Q, QuerySet
from django.utils.safestring import SafeString, mark_safe

from commonweal.core import clock

from .models import (
    OPEN_STAGES,
    SECTION_STAGES,
    Approval,
    Circulation,
    Comment,
    Contribution,
    DraftVersion,
    Paragraph,
    Policy,
    PolicyVersion,
    Proposal,
    ScopeProposal,
    Stage,
    StageTransition,
    Support,
)


def board(
    *, section: Any = None, stage: str = "", unit: Any = None, query: str = ""
) -> QuerySet[Proposal]:
    """The bulletin board: newest first, filtered; one query per page whatever the size."""
    proposals = Proposal.objects.select_related("section", "author", "unit")
    if section is not None:
        proposals = proposals.filter(section=section)
    if stage == "open":
        proposals = proposals.filter(stage__in=OPEN_STAGES)
    elif stage:
        proposals = proposals.filter(stage=stage)
    if unit is not None:
        # The unit is the author's: while the author is hidden, so is where they are.
        proposals = proposals.filter(unit__path__startswith=unit.path).exclude(
            anonymous=True, stage=Stage.PROPOSED
        )
    if query:
        proposals = proposals.filter(Q(title__icontains=query) | Q(text__icontains=query))
    return proposals.order_by("-created_at", "-id")


def stalled() -> QuerySet[Proposal]:
    return (
        Proposal.objects.filter(stage__in=SECTION_STAGES, stalled_since__isnull=False)
        .select_related("section", "author", "unit")
        .order_by("stalled_since", "id")
    )


def supports(proposal: Proposal, member: Any) -> bool:
    return Support.objects.filter(proposal=proposal, member=member, withdrawn_at=None).exists()


def latest_draft(proposal: Proposal) -> DraftVersion | None:
    return proposal.drafts.order_by("-number").first()


def draft_with_paragraphs(version: DraftVersion) -> list[Paragraph]:
    """Paragraphs with their citations and comments, in three queries."""
    return list(
        version.paragraphs.prefetch_related(
            Prefetch(
                "citations",
                queryset=Contribution.objects.select_related(
                    "circulation__unit", "circulation__body"
                ),
            ),
            Prefetch(
                "comments",
                queryset=Comment.objects.select_related("author", "invitation"),
            ),
            "amendments",
        )
    )


def proposal_page(proposal: Proposal, member: Any) -> dict[str, Any]:
    """What the proposal page shows, whatever step it is at."""
    counts = dict(proposal.circulations.values_list("status").annotate(n=Count("id")).order_by())
    own = None
    if getattr(member, "unit_id", None):
        own = (
            proposal.circulations.filter(
                Q(unit=member.unit)
                | Q(body__memberships__member=member, body__memberships__until=None)
            )
            .select_related("unit", "body")
            .first()
        )
    scope = proposal.scopes.select_related("proposed_by").first()
    waiting_on_proposer = scope is not None and scope.answer == ScopeProposal.Answer.PENDING
    draft = latest_draft(proposal)
    approval = Approval.objects.filter(proposal=proposal).first()
    return {
        "supports": supports(proposal, member),
        "scope": scope,
        "waiting_on_proposer": waiting_on_proposer,
        "waiting_days": (clock.now() - scope.proposed_at).days if waiting_on_proposer else 0,
        "circulation_counts": {
            "silent": counts.get(Circulation.Status.SILENT, 0),
            "discussed": counts.get(Circulation.Status.DISCUSSED, 0),
            "no_view": counts.get(Circulation.Status.NO_VIEW, 0),
        },
        "own_circulation": own,
        "draft": draft,
        "drafts": list(proposal.drafts.values_list("number", flat=True)),
        "contribution_count": proposal.contributions.count(),
        "approval": approval,
        "amendments": list(
            proposal.amendments.select_related("paragraph", "proposed_by").order_by("id")
        )
        if proposal.stage in (Stage.APPROVAL, Stage.APPROVED, Stage.PUBLISHED, Stage.REJECTED)
        else [],
    }


def amendments_open(proposal: Proposal) -> bool:
    """Amendments to the final draft are taken until the approval e-conference is called."""
    return (
        proposal.stage == Stage.APPROVAL and not Approval.objects.filter(proposal=proposal).exists()
    )


def timeline(proposal: Proposal) -> list[dict[str, Any]]:
    """Every step: who, when, rulebook version, how long it took, and whether it stalled.

    While the author is hidden, so is the actor of every step they took (proposing,
    withdrawing): ``actor`` is None and ``actor_hidden`` True.
    """
    steps = list(proposal.transitions.select_related("actor"))
    now = clock.now()
    rows = []
    for i, step in enumerate(steps):
        ended = steps[i + 1].at if i + 1 < len(steps) else None
        current = ended is None
        hidden = proposal.author_hidden and step.actor_id == proposal.author_id
        rows.append(
            {
                "step": step,
                "actor": None if hidden else step.actor,
                "actor_hidden": hidden,
                "ended": ended,
                "duration": (ended or now) - step.at,
                "current": current,
                "stalled": current and proposal.stalled_since is not None,
                "late": step.deadline is not None and (ended or now) > step.deadline,
            }
        )
    return rows


def circulations(proposal: Proposal, *, status: str = "") -> QuerySet[Circulation]:
    rows = proposal.circulations.select_related("unit", "body", "reported_by").annotate(
        n_contributions=Count("contributions")
    )
    if status:
        rows = rows.filter(status=status)
    return rows.order_by("body__name", "unit__path")


def circulation_page(circulation: Circulation) -> dict[str, Any]:
    contributions = circulation.contributions.select_related("author").prefetch_related(
        Prefetch("cited_in", queryset=Paragraph.objects.select_related("version"))
    )
    return {"contributions": contributions}


def contributions_with_uptake(proposal: Proposal) -> QuerySet[Contribution]:
    """Every contribution, with the draft paragraphs that took it up (nothing disappears)."""
    return (
        proposal.contributions.select_related("author", "circulation__unit", "circulation__body")
        .prefetch_related(
            Prefetch(
                "cited_in",
                queryset=Paragraph.objects.select_related("version").order_by(
                    "-version__number", "position"
                ),
            )
        )
        .order_by("id")
    )


def _words(text: str) -> list[str]:
    return text.replace("\n", " \n ").split(" ")


def diff(old: str, new: str) -> tuple[SafeString, SafeString]:
    """A readable side-by-side word diff: deletions marked on the left, insertions on the right."""
    a, b = _words(old), _words(new)
    left: list[str] = []
    right: list[str] = []
    for op, i1, i2, j1, j2 in difflib.SequenceMatcher(a=a, b=b, autojunk=False).get_opcodes():
        old_part = html.escape(" ".join(a[i1:i2]))
        new_part = html.escape(" ".join(b[j1:j2]))
        if op == "equal":
            left.append(old_part)
            right.append(new_part)
            continue
        if old_part:
            left.append(f"<del>{old_part}</del>")
        if new_part:
            right.append(f"<ins>{new_part}</ins>")
    return (
        mark_safe(" ".join(left).replace(" \n ", "<br>")),
        mark_safe(" ".join(right).replace(" \n ", "<br>")),
    )


def draft_text(version: DraftVersion) -> str:
    return "\n\n".join(version.paragraphs.values_list("text", flat=True))


# ---------------------------------------------------------------- published policies


def published_policies() -> QuerySet[Policy]:
    return Policy.objects.select_related("section").order_by("title")


def policy_page(policy: Policy) -> dict[str, Any]:
    versions = list(policy.versions.select_related("decision", "proposal").order_by("-number"))
    current = versions[0] if versions else None
    previous = versions[1] if len(versions) > 1 else None
    left, right = diff(previous.text, current.text) if previous and current else ("", "")
    minority = (
        list(current.decision.minority_positions.filter(published_at__isnull=False))
        if current and current.decision
        else []
    )
    return {
        "current": current,
        "previous": previous,
        "versions": versions,
        "diff_left": left,
        "diff_right": right,
        "minority_positions": minority,
    }


def policy_version(policy: Policy, number: int) -> PolicyVersion | None:
    return policy.versions.filter(number=number).first()


def deadlines_for_member(member: Any) -> list[dict[str, Any]]:
    """Upcoming deadlines the member can act on: support, their unit's discussion, comments."""
    unit = getattr(member, "unit", None)
    if unit is None:
        return []
    now = clock.now()
    rows = []
    supporting = Proposal.objects.filter(
        stage=Stage.PROPOSED, supports__member=member, supports__withdrawn_at=None
    ).filter(stage_deadline__gt=now)
    for p in supporting.order_by("stage_deadline")[:20]:
        rows.append({"title": p.title, "due": p.stage_deadline, "url": p.get_absolute_url()})
    circulating = Circulation.objects.filter(
        unit=unit, proposal__stage=Stage.CIRCULATION, deadline__gt=now
    ).select_related("proposal")
    for c in circulating.order_by("deadline")[:20]:
        rows.append(
            {"title": c.proposal.title, "due": c.deadline, "url": c.proposal.get_absolute_url()}
        )
    consulting = Proposal.objects.filter(
        stage=Stage.CONSULTATION,
        stage_deadline__gt=now,
        section__unit__path__in=_ancestor_paths(unit),
    )
    for p in consulting.order_by("stage_deadline")[:20]:
        rows.append({"title": p.title, "due": p.stage_deadline, "url": p.get_absolute_url()})
    return sorted(rows, key=lambda row: row["due"])


def _ancestor_paths(unit: Any) -> list[str]:
    return [unit.path[: i * unit.steplen] for i in range(1, unit.depth + 1)]


def member_export(member: Any) -> dict[str, Any]:
    """What the policy process holds about the member, for their data export."""
    return {
        "proposals": list(
            Proposal.objects.filter(author=member).values("id", "title", "created_at", "stage")
        ),
        "supports": list(
            Support.objects.filter(member=member).values(
                "proposal_id", "created_at", "withdrawn_at"
            )
        ),
        "contributions": list(
            Contribution.objects.filter(author=member).values(
                "id", "proposal_id", "kind", "text", "created_at"
            )
        ),
        "comments": list(
            Comment.objects.filter(author=member).values("id", "paragraph_id", "text", "created_at")
        ),
        "timeline_steps": list(
            StageTransition.objects.filter(actor=member).values("proposal_id", "to_stage", "at")
        ),
    }


# What a line of the member's home never shows of a proposal.
_LONG_TEXT = ("text", "text_html", "scope_areas", "scope_areas_html")


def needs(seeker: Any) -> list[Any]:
    """What the policy process asks of the member: proposals in their sections (those they
    sit in or list among their interests) seeking their support, drafts of those sections
    open for comment, the scope the section put to them as proposer, their unit's or
    section's view on a circulated proposal (its report, for the unit's officers); for a
    section's officers, each step their section must take by its deadline; for national
    officers, how many steps have stalled across the organisation."""
    from django.urls import reverse
    from django.utils.translation import gettext as _

    from commonweal.members.needs import Need, listed

    member, now = seeker.member, seeker.now
    board_url = reverse("policy:board")
    interests = [str(i).lower() for i in getattr(member, "interests", []) or []]
    mine = Q(section_id__in=seeker.body_ids) | Q(section__subject__in=interests)
    in_scope = Q(section__unit__path__in=seeker.unit_line)

    def proposal_need(kind: str, title: str) -> Any:
        return lambda p: Need(
            kind=kind,
            title=title % {"title": p.title},
            detail=p.section.name,
            url=p.get_absolute_url(),
            nav="policy:board",
            due=p.stage_deadline,
        )

    def more(kind: str, title: str) -> Any:
        return lambda rest: Need(
            kind=kind, title=title, url=board_url, nav="policy:board", count=rest
        )

    seeking = (
        Proposal.objects.filter(mine, in_scope, stage=Stage.PROPOSED, stage_deadline__gt=now)
        .exclude(author=member)
        .exclude(pk__in=Support.objects.filter(member=member, withdrawn_at=None).values("proposal"))
        .select_related("section")
        .defer(*_LONG_TEXT)
        .order_by("stage_deadline", "pk")
    )
    found = listed(
        seeking,
        proposal_need("support", _("Seeking support: %(title)s")),
        more("support", _("More proposals seeking support in your sections")),
    )
    consulting = (
        Proposal.objects.filter(mine, in_scope, stage=Stage.CONSULTATION, stage_deadline__gt=now)
        .select_related("section")
        .defer(*_LONG_TEXT)
        .order_by("stage_deadline", "pk")
    )
    found += listed(
        consulting,
        proposal_need("consultation", _("Draft open for comment: %(title)s")),
        more("consultation", _("More drafts open for comment in your sections")),
    )
    scopes = (
        Proposal.objects.filter(
            author=member, stage=Stage.SCOPING, scopes__answer=ScopeProposal.Answer.PENDING
        )
        .select_related("section")
        .defer(*_LONG_TEXT)
        .distinct()
        .order_by("stage_deadline", "pk")
    )
    found += listed(
        scopes,
        proposal_need("scope", _("Answer the section's scope for your proposal: %(title)s")),
        more("scope", _("More scopes waiting for your answer")),
    )
    reporting = Q(unit__path__in=seeker.officer_unit_paths)
    circulated = (
        Circulation.objects.filter(
            Q(unit_id=member.unit_id) | Q(body_id__in=seeker.body_ids) | reporting,
            status=Circulation.Status.SILENT,
            proposal__stage=Stage.CIRCULATION,
        )
        .select_related("proposal", "unit", "body")
        .defer(*(f"proposal__{name}" for name in _LONG_TEXT))
        .order_by("deadline", "pk")
    )

    def circulation_need(c: Circulation) -> Any:
        reports = c.body_id is not None or c.unit.path in seeker.officer_unit_paths
        title = (
            _("Report %(recipient)s's view on: %(title)s")
            if reports
            else _("Give your view to %(recipient)s on: %(title)s")
        )
        return Need(
            kind="circulation_report" if reports else "circulation",
            title=title % {"recipient": c.recipient.name, "title": c.proposal.title},
            detail=c.recipient.name,
            url=reverse("policy:circulation", args=[c.pk]),
            nav="policy:board",
            due=c.deadline,
        )

    found += listed(
        circulated,
        circulation_need,
        more("circulation", _("More circulated proposals waiting for your unit's view")),
    )
    steps = (
        Proposal.objects.filter(section_id__in=seeker.officer_body_ids, stage__in=SECTION_STAGES)
        .select_related("section")
        .defer(*_LONG_TEXT)
        .order_by("stage_deadline", "pk")
    )
    found += listed(
        steps,
        lambda p: Need(
            kind="section_step",
            title=_("Your section's step (%(stage)s): %(title)s")
            % {"stage": p.get_stage_display(), "title": p.title},
            detail=p.section.name,
            url=p.get_absolute_url(),
            nav="policy:board",
            due=p.stage_deadline,
        ),
        more("section_step", _("More steps your sections must take")),
    )
    if seeker.national:
        found.append(
            Need(
                kind="stalled",
                title=_("Policy steps stalled across the organisation"),
                url=reverse("policy:stalled"),
                nav="policy:board",
                count=stalled().count(),
                overview=True,
            )
        )
    return found
