"""Reading the policy process: the board, a proposal's page and timeline, published policies."""

import difflib
import html
from dataclasses import dataclass
from datetime import datetime
from enum import StrEnum
from typing import TYPE_CHECKING, Any

from django.db.models import Count, Prefetch, Q, QuerySet
from django.urls import reverse
from django.utils import timezone
from django.utils.formats import date_format
from django.utils.safestring import SafeString, mark_safe
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy, ngettext

from commonweal.core import clock

if TYPE_CHECKING:  # django-stubs is a development dependency
    from django_stubs_ext import StrOrPromise

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


def _own_circulation(proposal: Proposal, member: Any) -> Circulation | None:
    """The discussion of the member's unit (or of the other section they sit on)."""
    if not getattr(member, "unit_id", None):
        return None
    return (
        proposal.circulations.filter(
            Q(unit=member.unit) | Q(body__memberships__member=member, body__memberships__until=None)
        )
        .select_related("unit", "body")
        .first()
    )


def proposal_page(proposal: Proposal, member: Any) -> dict[str, Any]:
    """What the proposal page shows, whatever step it is at."""
    counts = dict(proposal.circulations.values_list("status").annotate(n=Count("id")).order_by())
    own = _own_circulation(proposal, member)
    scope = proposal.scopes.select_related("proposed_by").first()
    waiting_on_proposer = scope is not None and scope.answer == ScopeProposal.Answer.PENDING
    draft = latest_draft(proposal)
    approval = Approval.objects.filter(proposal=proposal).first()
    return {
        "supports": supports(proposal, member),
        "scope": scope,
        "waiting_on_proposer": waiting_on_proposer,
        "waiting_days": (
            (clock.now() - scope.proposed_at).days
            if scope is not None and waiting_on_proposer
            else 0
        ),
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


# ---------------------------------------------------------------- where a proposal stands


class StepState(StrEnum):
    DONE = "done"
    CURRENT = "current"
    TO_COME = "to_come"
    ENDED = "ended"  # the process stopped at this step: expired, withdrawn or not approved
    NOT_REACHED = "not_reached"  # a step after the one where the process stopped


STEP_STATE_WORDS = {
    StepState.DONE: gettext_lazy("done"),
    StepState.CURRENT: gettext_lazy("current step"),
    StepState.TO_COME: gettext_lazy("to come"),
    StepState.ENDED: gettext_lazy("ended here"),
    StepState.NOT_REACHED: gettext_lazy("not reached"),
}

# The seed's eight steps and the stages a proposal is at during each.
PROCESS_STEPS: "tuple[tuple[StrOrPromise, tuple[str, ...]], ...]" = (
    (gettext_lazy("Proposal"), ()),
    (gettext_lazy("Support"), (Stage.PROPOSED, Stage.EXPIRED, Stage.WITHDRAWN)),
    (gettext_lazy("Scoping"), (Stage.SCOPING,)),
    (gettext_lazy("Circulation"), (Stage.CIRCULATION,)),
    (gettext_lazy("Drafting"), (Stage.DRAFTING,)),
    (gettext_lazy("Wider consultation"), (Stage.CONSULTATION,)),
    (gettext_lazy("Approval"), (Stage.APPROVAL, Stage.REJECTED)),
    (gettext_lazy("Publication"), (Stage.APPROVED, Stage.PUBLISHED)),
)
STEP_OF_STAGE = {stage: n for n, (_name, stages) in enumerate(PROCESS_STEPS, 1) for stage in stages}
# Stages that end a step (and, but for publication, the process) when a proposal reaches them.
ENDING_STAGES = (Stage.EXPIRED, Stage.WITHDRAWN, Stage.REJECTED, Stage.PUBLISHED)
STOPPED_STAGES = (Stage.EXPIRED, Stage.WITHDRAWN, Stage.REJECTED)


@dataclass(frozen=True)
class ProcessStep:
    """One of the eight steps as a proposal has lived it, or will."""

    number: int
    name: str
    state: StepState
    started: datetime | None = None
    ended: datetime | None = None
    deadline: datetime | None = None
    days: int | None = None  # the rulebook's time for a step still to come
    late: bool = False
    stalled_since: datetime | None = None

    @property
    def state_words(self) -> str:
        return str(STEP_STATE_WORDS[self.state])

    @property
    def is_current(self) -> bool:
        return self.state == StepState.CURRENT


@dataclass(frozen=True)
class Action:
    """What the viewing member may do now: a link, or a button that posts (`post`)."""

    label: str
    url: str
    post: bool = False


@dataclass(frozen=True)
class Standing:
    """Where a proposal stands: its eight steps, what happens next, and why it stopped."""

    steps: list[ProcessStep]
    step: ProcessStep  # the step it is at, or stopped at
    summary: str
    next: str
    why: str
    actions: list[Action]


def day_words(moment: datetime, *, time: bool = False) -> str:
    """A day as people say it ("3 January", with the year when it is not this one)."""
    local = timezone.localtime(moment)
    this_year = local.year == timezone.localtime(clock.now()).year
    fmt = "j F" if this_year else "j F Y"
    return date_format(local, f"{fmt} H:i" if time else fmt)


def step_words(proposal: Proposal) -> str:
    """The proposal's step in one line for lists, from its own row (no query)."""
    n = STEP_OF_STAGE[proposal.stage]
    name = str(PROCESS_STEPS[n - 1][0]).lower()
    if proposal.stage == Stage.EXPIRED:
        return _("Expired on %(day)s with %(n)s of %(needed)s supporters") % {
            "day": day_words(proposal.stage_started_at),
            "n": proposal.support_count,
            "needed": proposal.support_needed,
        }
    if proposal.stage == Stage.WITHDRAWN:
        return _("Withdrawn by its author on %(day)s") % {
            "day": day_words(proposal.stage_started_at)
        }
    if proposal.stage == Stage.REJECTED:
        return _("Not approved by the e-conference on %(day)s") % {
            "day": day_words(proposal.stage_started_at)
        }
    if proposal.stage in (Stage.APPROVED, Stage.PUBLISHED):
        return _("Approved and published on %(day)s") % {
            "day": day_words(proposal.stage_started_at)
        }
    where = _("Step %(n)s of 8, %(name)s") % {"n": n, "name": name}
    if proposal.stalled_since is not None:
        return _("%(where)s: stalled since %(day)s") % {
            "where": where,
            "day": day_words(proposal.stalled_since),
        }
    if proposal.stage_deadline is None:
        return where
    if proposal.stage == Stage.PROPOSED:
        more = max(proposal.support_needed - proposal.support_count, 0)
        return ngettext(
            "%(where)s: needs %(more)s more support by %(day)s",
            "%(where)s: needs %(more)s more supports by %(day)s",
            more,
        ) % {"where": where, "more": more, "day": day_words(proposal.stage_deadline)}
    return _("%(where)s, due by %(day)s") % {
        "where": where,
        "day": day_words(proposal.stage_deadline),
    }


def _step_dates(proposal: Proposal) -> tuple[dict[int, StageTransition], dict[int, datetime]]:
    """When each step was entered (its first transition) and when it was left."""
    transitions = list(proposal.transitions.all())
    entered: dict[int, StageTransition] = {}
    left: dict[int, datetime] = {}
    for i, move in enumerate(transitions):
        n = STEP_OF_STAGE[move.to_stage]
        if move.to_stage in ENDING_STAGES:
            left[n] = move.at
        entered.setdefault(n, move)
        following = transitions[i + 1] if i + 1 < len(transitions) else None
        if following is not None and STEP_OF_STAGE[following.to_stage] != n:
            left[n] = following.at
    return entered, left


def _steps(proposal: Proposal) -> list[ProcessStep]:
    from commonweal.rulebook.selectors import current as rulebook

    from .services import STAGE_DAYS

    rules = rulebook()
    now = clock.now()
    at = STEP_OF_STAGE[proposal.stage]
    entered, left = _step_dates(proposal)
    steps = [
        ProcessStep(
            number=1,
            name=str(PROCESS_STEPS[0][0]),
            state=StepState.DONE,
            started=proposal.created_at,
            ended=proposal.created_at,
        )
    ]
    for n, (name, stages) in enumerate(PROCESS_STEPS[1:], start=2):
        if n < at or proposal.stage == Stage.PUBLISHED:
            state = StepState.DONE
        elif n == at:
            state = StepState.ENDED if proposal.stage in STOPPED_STAGES else StepState.CURRENT
        else:
            stopped = proposal.stage in STOPPED_STAGES
            state = StepState.NOT_REACHED if stopped else StepState.TO_COME
        move = entered.get(n)
        started = move.at if move else None
        deadline = move.deadline if move else None
        if state == StepState.CURRENT:
            started = started or proposal.stage_started_at
            deadline = proposal.stage_deadline
        days_rule = STAGE_DAYS.get(Stage(stages[0])) if stages else None
        ended = left.get(n)
        steps.append(
            ProcessStep(
                number=n,
                name=str(name),
                state=state,
                started=started if state != StepState.TO_COME else None,
                ended=ended,
                deadline=deadline if state in (StepState.DONE, StepState.CURRENT) else None,
                days=rules[f"policy.{days_rule}"]
                if days_rule and state == StepState.TO_COME
                else None,
                late=bool(deadline and (ended or now) > deadline),
                stalled_since=proposal.stalled_since if state == StepState.CURRENT else None,
            )
        )
    return steps


def _next_words(proposal: Proposal, member: Any, *, own: Circulation | None) -> str:
    """What happens next, in words, for the step the proposal is at."""
    section = proposal.section.name
    words: dict[str, Any] = {"section": section}
    deadline = proposal.stage_deadline
    if deadline is not None:
        words["day"] = day_words(deadline)
    stage = proposal.stage
    if stage == Stage.PROPOSED:
        words.update(n=proposal.support_count, needed=proposal.support_needed)
        if deadline is not None and deadline <= clock.now():
            return (
                _(
                    "Its time to gather support ran out on %(day)s with %(n)s of %(needed)s "
                    "supporters."
                )
                % words
            )
        more = max(proposal.support_needed - proposal.support_count, 0)
        words["more"] = more
        if getattr(member, "pk", None) == proposal.author_id:
            needs = ngettext(
                "Your proposal needs %(more)s more support by %(day)s.",
                "Your proposal needs %(more)s more supports by %(day)s.",
                more,
            )
        else:
            needs = ngettext(
                "This proposal needs %(more)s more support by %(day)s.",
                "This proposal needs %(more)s more supports by %(day)s.",
                more,
            )
        return " ".join(
            [
                needs % words,
                _("With them the policy change process is launched and %(section)s scopes it.")
                % words,
            ]
        )
    if stage == Stage.SCOPING:
        scope = proposal.scopes.first()
        if scope is None:
            return (
                _(
                    "%(section)s is to suggest the areas of policy that need updating by %(day)s; "
                    "then the proposer agrees or asks for changes."
                )
                % words
            )
        words["asked"] = day_words(scope.answered_at or scope.proposed_at)
        if scope.answer == ScopeProposal.Answer.CHANGES:
            return (
                _(
                    "The proposer asked for changes on %(asked)s; %(section)s is to suggest "
                    "the areas again by %(day)s."
                )
                % words
            )
        if getattr(member, "pk", None) == proposal.author_id:
            return (
                _(
                    "%(section)s suggested the areas to update on %(asked)s: agree and your "
                    "proposal goes to the units for discussion, or ask for changes."
                )
                % words
            )
        return (
            _(
                "Waiting for the proposer to agree to the areas %(section)s suggested on "
                "%(asked)s; then the proposal goes to the units for discussion."
            )
            % words
        )
    if stage == Stage.CIRCULATION:
        counts = proposal.circulations.aggregate(
            total=Count("id"), reported=Count("id", filter=~Q(status=Circulation.Status.SILENT))
        )
        words.update(counts)
        sentence = (
            ngettext(
                "Circulation closes on %(day)s; %(reported)s of %(total)s unit and section "
                "has reported.",
                "Circulation closes on %(day)s; %(reported)s of %(total)s units and sections "
                "have reported.",
                counts["total"],
            )
            % words
        )
        if own is not None and own.status == Circulation.Status.SILENT:
            sentence += " " + _("%(who)s has not reported yet.") % {"who": own.recipient}
        return f"{sentence} " + _("Then %(section)s drafts the policy from what they sent.") % words
    if stage == Stage.DRAFTING:
        words["n"] = proposal.contributions.count()
        draft = latest_draft(proposal)
        if draft is None:
            return (
                ngettext(
                    "%(section)s is writing the draft from %(n)s contribution, due by %(day)s; "
                    "then the draft is opened for comments.",
                    "%(section)s is writing the draft from %(n)s contributions, due by %(day)s; "
                    "then the draft is opened for comments.",
                    words["n"],
                )
                % words
            )
        words["number"] = draft.number
        return (
            _(
                "Draft %(number)s is written; %(section)s is to open the draft for comments "
                "by %(day)s."
            )
            % words
        )
    if stage == Stage.CONSULTATION:
        return (
            _(
                "The draft is open for comments until %(day)s; then %(section)s declares the "
                "final draft and members may propose amendments to it."
            )
            % words
        )
    if stage == Stage.APPROVAL:
        approval = Approval.objects.filter(proposal=proposal).first()
        if approval is None:
            return (
                _(
                    "Members may propose amendments to the final draft until %(section)s calls "
                    "the e-conference, due by %(day)s."
                )
                % words
            )
        words["closes"] = day_words(approval.closes_at, time=True)
        # No final vote yet: there were amendments, so they close at a time.
        if approval.vote_id is None and approval.amendments_close_at is not None:
            words["amendments"] = day_words(approval.amendments_close_at, time=True)
            return (
                _(
                    "The amendments are voted on until %(amendments)s; then the final text is "
                    "put to the vote, until %(closes)s."
                )
                % words
            )
        return (
            _(
                "The e-conference votes on the final text until %(closes)s; if it is approved, "
                "the policy is published on the website."
            )
            % words
        )
    return ""


def _why_words(proposal: Proposal) -> str:
    """Why the process stopped or is stuck, in words; empty while it runs on time."""
    words = {
        "day": day_words(proposal.stage_started_at),
        "n": proposal.support_count,
        "needed": proposal.support_needed,
        "section": proposal.section.name,
    }
    if proposal.stage == Stage.EXPIRED:
        return (
            _(
                "Expired on %(day)s: it had %(n)s of the %(needed)s supporters it needed by its "
                "deadline, so the policy change process was not launched."
            )
            % words
        )
    if proposal.stage == Stage.WITHDRAWN:
        return _("Withdrawn by its author on %(day)s, before it was launched.") % words
    if proposal.stage == Stage.REJECTED:
        return (
            _("The e-conference did not approve this policy; its vote closed on %(day)s.") % words
        )
    if proposal.stage == Stage.APPROVAL and not Approval.objects.filter(proposal=proposal).exists():
        from commonweal.voting.models import Vote

        last = (
            Vote.objects.filter(subject=f"policy.proposal:{proposal.pk}", state=Vote.State.CLOSED)
            .order_by("-closed_at")
            .first()
        )
        if last is not None and not last.effective:
            words["closed"] = day_words(last.closed_at or last.closes_at)
            return (
                _(
                    "The e-conference's vote on the final text closed on %(closed)s without a "
                    "quorum and decided nothing; %(section)s may call the e-conference again."
                )
                % words
            )
    if proposal.stalled_since is not None and proposal.stage in SECTION_STAGES:
        words["since"] = day_words(proposal.stalled_since)
        return (
            _(
                "Stalled since %(since)s: this step is past its deadline. The chairs of "
                "%(section)s are reminded every day until it moves on."
            )
            % words
        )
    return ""


def _actions(proposal: Proposal, member: Any, *, own: Circulation | None) -> list[Action]:
    """What the viewing member may do now, asked of the permissions the pages use."""
    from commonweal.voting.models import Vote
    from commonweal.voting.selectors import has_voted, may_vote

    page = proposal.get_absolute_url()
    stage = proposal.stage
    for_section = member.has_perm("policy.act_for_section", proposal)
    # Ending circulation, the consultation or the amendments: the section after the deadline,
    # before it only the officers the rulebook names (the forms ask the same permission).
    ends_step = member.has_perm("policy.end_step", proposal)
    actions: list[Action] = []
    if stage == Stage.PROPOSED:
        if (
            proposal.stage_deadline is not None
            and proposal.stage_deadline > clock.now()
            and member.has_perm("policy.support_proposal", proposal)
            and not supports(proposal, member)
        ):
            url = reverse("policy:support", args=[proposal.pk])
            actions.append(Action(_("Support this proposal"), url, post=True))
    elif stage == Stage.SCOPING:
        scope = proposal.scopes.first()
        pending = scope is not None and scope.answer == ScopeProposal.Answer.PENDING
        if pending and member.has_perm("policy.answer_scope", proposal):
            actions.append(Action(_("Answer the section's suggestion"), f"{page}#scope-h"))
        if not pending and for_section:
            actions.append(Action(_("Suggest the areas to update"), f"{page}#scope-h"))
    elif stage == Stage.CIRCULATION:
        if own is not None and own.status == Circulation.Status.SILENT:
            url = reverse("policy:circulation", args=[own.pk])
            if member.has_perm("policy.report_circulation", own):
                label = _("Report the view of %(who)s") % {"who": own.recipient}
                actions.append(Action(label, url))
            elif member.has_perm("policy.contribute_circulation", own):
                label = _("Take part in the discussion in %(who)s") % {"who": own.recipient}
                actions.append(Action(label, url))
        if ends_step:
            actions.append(Action(_("Close circulation and start drafting"), f"{page}#circ-h"))
    elif stage in (Stage.DRAFTING, Stage.CONSULTATION):
        draft = latest_draft(proposal)  # one exists from the consultation on
        if (
            stage == Stage.CONSULTATION
            and draft is not None
            and member.has_perm("policy.comment_draft", proposal)
        ):
            url = reverse("policy:draft", args=[proposal.pk, draft.number])
            actions.append(Action(_("Read and comment on the draft"), url))
        if for_section:
            url = reverse("policy:draft_edit", args=[proposal.pk])
            actions.append(Action(_("Write the draft from the contributions"), url))
        if stage == Stage.CONSULTATION and ends_step:
            actions.append(Action(_("Declare the final draft"), f"{page}#draft-h"))
    elif stage == Stage.APPROVAL:
        approval = Approval.objects.filter(proposal=proposal).first()
        draft = latest_draft(proposal)
        if approval is None:
            if draft is not None and member.has_perm("policy.amend_draft", proposal):
                url = reverse("policy:draft", args=[proposal.pk, draft.number])
                actions.append(Action(_("Propose amendments to the final draft"), url))
            if ends_step:
                actions.append(Action(_("Call the e-conference"), f"{page}#approval-h"))
        else:
            voted = [approval.vote_id, *proposal.amendments.values_list("vote_id", flat=True)]
            vote_ids = [pk for pk in voted if pk is not None]
            for vote in Vote.objects.filter(pk__in=vote_ids, state=Vote.State.OPEN):
                if (
                    clock.now() < vote.closes_at
                    and may_vote(member, vote)
                    and not has_voted(member, vote)
                ):
                    url = reverse("voting:detail", args=[vote.pk])
                    actions.append(Action(_("Vote: %(title)s") % {"title": vote.title}, url))
    elif stage == Stage.PUBLISHED and proposal.policy is not None:
        actions.append(Action(_("Read the published policy"), proposal.policy.get_absolute_url()))
    return actions


def proposal_standing(proposal: Proposal, member: Any) -> Standing:
    """Where the proposal stands for this member: steps, next, why, and what they may do now."""
    steps = _steps(proposal)
    step = steps[STEP_OF_STAGE[proposal.stage] - 1]
    own = _own_circulation(proposal, member) if proposal.stage == Stage.CIRCULATION else None
    if proposal.stage == Stage.PUBLISHED:
        summary = _("Published: all eight steps are done.")
    elif proposal.stage in STOPPED_STAGES:
        summary = _("Stopped at step %(n)s of 8, %(name)s.") % {
            "n": step.number,
            "name": step.name.lower(),
        }
    else:
        summary = _("Step %(n)s of 8: %(name)s.") % {"n": step.number, "name": step.name.lower()}
    return Standing(
        steps=steps,
        step=step,
        summary=summary,
        next=_next_words(proposal, member, own=own),
        why=_why_words(proposal),
        actions=_actions(proposal, member, own=own) if member.is_authenticated else [],
    )


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
        reports = c.body_id is not None or (
            c.unit is not None and c.unit.path in seeker.officer_unit_paths
        )
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
