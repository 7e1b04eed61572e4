"""The policy process over the API: the same services, the same permission checks."""

from datetime import date, datetime

from django.shortcuts import get_object_or_404
from ninja import Router, Schema, Status
from ninja.errors import HttpError
from ninja.pagination import paginate

from commonweal.config.api_errors import errors
from commonweal.core.pagination import LimitOffsetPagination
from commonweal.core.ratelimit import client_ip
from commonweal.organisation.models import Body, Unit

from . import selectors, services
from .models import (
    Approval,
    Circulation,
    DraftVersion,
    Paragraph,
    Policy,
    Proposal,
    ScopeProposal,
)

router = Router(tags=["policy"])


class ProposalOut(Schema):
    id: int
    title: str
    text: str
    section_id: int
    unit_id: int | None
    author_id: int | None
    amends_id: int | None
    prompted_by: str
    stage: str
    stage_started_at: datetime
    stage_deadline: datetime | None
    support_count: int
    support_needed: int
    stalled_since: datetime | None
    rulebook_version: int
    scope_areas: str
    policy_id: int | None
    decision_id: int | None

    @staticmethod
    def resolve_author_id(obj: Proposal) -> int | None:
        return None if obj.author_hidden else obj.author_id

    @staticmethod
    def resolve_unit_id(obj: Proposal) -> int | None:
        """The author's unit, hidden with the author."""
        return None if obj.author_hidden else obj.unit_id


class ProposalIn(Schema):
    section_id: int
    title: str
    text: str
    amends_id: int | None = None
    prompted_by: str = ""


class StepOut(Schema):
    from_stage: str
    to_stage: str
    actor_id: int | None
    at: datetime
    deadline: datetime | None
    rulebook_version: int
    note: str
    duration_seconds: int
    stalled: bool


class AreasIn(Schema):
    areas: str


class ScopeOut(Schema):
    id: int
    areas: str
    answer: str
    answer_text: str


class AnswerIn(Schema):
    agree: bool
    text: str = ""


class CirculationOut(Schema):
    id: int
    unit_id: int | None
    body_id: int | None
    status: str
    deadline: datetime
    reported_at: datetime | None


class TextIn(Schema):
    text: str


class OutsideIn(Schema):
    who: str
    on: date
    text: str


class ReportIn(Schema):
    no_view: bool = False
    summary: str = ""


class ContributionOut(Schema):
    id: int
    circulation_id: int
    kind: str
    text: str
    outside_who: str
    outside_on: date | None
    created_at: datetime


class ParagraphIn(Schema):
    text: str
    cites: list[int] = []


class DraftIn(Schema):
    paragraphs: list[ParagraphIn]
    note: str = ""


class ParagraphOut(Schema):
    id: int
    position: int
    text: str
    cites: list[int]


class DraftOut(Schema):
    id: int
    number: int
    note: str
    is_final: bool
    created_at: datetime
    paragraphs: list[ParagraphOut]


class InviteIn(Schema):
    name: str
    email: str


class InvitationOut(Schema):
    id: int
    name: str
    expires_at: datetime


class CommentOut(Schema):
    id: int
    paragraph_id: int
    text: str
    external: bool
    created_at: datetime


class ExternalCommentIn(Schema):
    token: str
    paragraph_id: int
    text: str


class AmendmentIn(Schema):
    text: str
    reason: str = ""


class AmendmentOut(Schema):
    id: int
    paragraph_id: int
    text: str
    reason: str
    status: str
    vote_id: int | None
    proposed_at: datetime


class StepEndIn(Schema):
    """Why a step ends before its deadline (needed then, and only from an officer the
    rulebook names); may be left out once the deadline has passed."""

    reason: str = ""


class ApprovalIn(Schema):
    closes_at: datetime
    amendments_close_at: datetime | None = None
    reason: str = ""


class ApprovalOut(Schema):
    id: int
    meeting_id: int | None
    vote_id: int | None
    opens_at: datetime
    amendments_close_at: datetime | None
    closes_at: datetime
    amendments: list[AmendmentOut]

    @staticmethod
    def resolve_amendments(obj: Approval) -> list:
        return list(obj.proposal.amendments.order_by("id"))


class PolicyOut(Schema):
    title: str
    slug: str
    summary: str
    published_at: datetime
    url: str

    @staticmethod
    def resolve_url(obj: Policy) -> str:
        return obj.get_absolute_url()


class PolicyVersionOut(Schema):
    number: int
    title: str
    text: str
    published_at: datetime
    decision_id: int | None


class PolicyDetailOut(PolicyOut):
    versions: list[PolicyVersionOut]

    @staticmethod
    def resolve_versions(obj: Policy) -> list:
        return list(obj.versions.order_by("-number"))


def _proposal(request, pk: int) -> Proposal:
    proposal = get_object_or_404(
        Proposal.objects.select_related("section__unit", "author", "unit"), pk=pk
    )
    if not request.auth.has_perm("policy.view_proposal", proposal):
        raise HttpError(404, "Not found.")
    return proposal


def _circulation(request, pk: int) -> Circulation:
    circulation = get_object_or_404(
        Circulation.objects.select_related("proposal__section__unit", "unit", "body"), pk=pk
    )
    if not request.auth.has_perm("policy.view_proposal", circulation.proposal):
        raise HttpError(404, "Not found.")
    return circulation


def _draft_out(version: DraftVersion) -> DraftOut:
    paragraphs = selectors.draft_with_paragraphs(version)
    return DraftOut(
        id=version.pk,
        number=version.number,
        note=version.note,
        is_final=version.is_final,
        created_at=version.created_at,
        paragraphs=[
            ParagraphOut(
                id=p.pk, position=p.position, text=p.text, cites=[c.pk for c in p.citations.all()]
            )
            for p in paragraphs
        ],
    )


# ---------------------------------------------------------------- steps 1 and 2


@router.get(
    "/proposals",
    response={200: list[ProposalOut], **errors(403, 404)},
    summary="The bulletin board",
)
@paginate(LimitOffsetPagination)
def board(
    request,
    section: str | None = None,
    stage: str = "",
    unit: str | None = None,
    q: str = "",
):
    if not request.auth.has_perm("policy.view_proposal"):
        raise HttpError(403, "Only members may see the bulletin board.")
    return selectors.board(
        section=get_object_or_404(Body, slug=section) if section else None,
        stage=stage,
        unit=get_object_or_404(Unit, slug=unit) if unit else None,
        query=q[:200],
    )


@router.post(
    "/proposals",
    response={201: ProposalOut, **errors(400, 403, 404, 429)},
    summary="Make a proposal",
)
def propose(request, data: ProposalIn):
    section = get_object_or_404(Body, pk=data.section_id)
    amends = get_object_or_404(Policy, pk=data.amends_id) if data.amends_id else None
    proposal = services.proposal_create(
        author=request.auth,
        section=section,
        title=data.title,
        text=data.text,
        amends=amends,
        prompted_by=data.prompted_by,
    )
    return Status(201, proposal)


@router.get("/proposals/{pk}", response={200: ProposalOut, **errors(404)})
def proposal(request, pk: int):
    return _proposal(request, pk)


@router.get(
    "/proposals/{pk}/timeline",
    response={200: list[StepOut], **errors(404)},
    summary="Every step, timed",
)
def timeline(request, pk: int):
    return [
        StepOut(
            from_stage=row["step"].from_stage,
            to_stage=row["step"].to_stage,
            actor_id=None if row["actor_hidden"] else row["step"].actor_id,
            at=row["step"].at,
            deadline=row["step"].deadline,
            rulebook_version=row["step"].rulebook_version,
            note=row["step"].note,
            duration_seconds=int(row["duration"].total_seconds()),
            stalled=row["stalled"],
        )
        for row in selectors.timeline(_proposal(request, pk))
    ]


@router.post(
    "/proposals/{pk}/support",
    response={200: ProposalOut, **errors(403, 404, 409, 429)},
    summary="Support a proposal",
)
def support(request, pk: int):
    proposal = _proposal(request, pk)
    services.support_rate_check(member=request.auth, ip=client_ip(request))
    return services.proposal_support(proposal=proposal, member=request.auth)


@router.delete(
    "/proposals/{pk}/support",
    response={200: ProposalOut, **errors(400, 404, 409, 429)},
    summary="Withdraw your support",
)
def support_withdraw(request, pk: int):
    proposal = _proposal(request, pk)
    services.support_rate_check(member=request.auth, ip=client_ip(request))
    return services.support_withdraw(proposal=proposal, member=request.auth)


@router.post(
    "/proposals/{pk}/withdraw",
    response={200: ProposalOut, **errors(403, 404, 409)},
    summary="Withdraw your proposal",
)
def withdraw(request, pk: int):
    return services.proposal_withdraw(proposal=_proposal(request, pk), by=request.auth)


# ---------------------------------------------------------------- steps 3 and 4


@router.post(
    "/proposals/{pk}/scope",
    response={201: ScopeOut, **errors(400, 403, 404, 409)},
    summary="Suggest the scope",
)
def scope(request, pk: int, data: AreasIn):
    return Status(
        201,
        services.scope_propose(proposal=_proposal(request, pk), by=request.auth, areas=data.areas),
    )


@router.post(
    "/scopes/{pk}/answer",
    response={200: ScopeOut, **errors(400, 403, 404, 409)},
    summary="The proposer answers the scope",
)
def scope_answer(request, pk: int, data: AnswerIn):
    scope_row = get_object_or_404(ScopeProposal.objects.select_related("proposal"), pk=pk)
    _proposal(request, scope_row.proposal_id)
    return services.scope_answer(scope=scope_row, by=request.auth, agree=data.agree, text=data.text)


@router.get("/proposals/{pk}/circulations", response={200: list[CirculationOut], **errors(404)})
@paginate(LimitOffsetPagination)
def circulations(request, pk: int, status: str = ""):
    return selectors.circulations(_proposal(request, pk), status=status)


@router.get(
    "/circulations/{pk}/contributions", response={200: list[ContributionOut], **errors(404)}
)
@paginate(LimitOffsetPagination)
def contributions(request, pk: int):
    return _circulation(request, pk).contributions.order_by("id")


@router.post(
    "/circulations/{pk}/contributions",
    response={201: ContributionOut, **errors(400, 403, 404, 409)},
)
def contribute(request, pk: int, data: TextIn):
    return Status(
        201,
        services.contribution_add(
            circulation=_circulation(request, pk), author=request.auth, text=data.text
        ),
    )


@router.post(
    "/circulations/{pk}/outside", response={201: ContributionOut, **errors(400, 403, 404, 409)}
)
def outside(request, pk: int, data: OutsideIn):
    return Status(
        201,
        services.outside_consultation_add(
            circulation=_circulation(request, pk),
            by=request.auth,
            who=data.who,
            on=data.on,
            text=data.text,
        ),
    )


@router.post(
    "/circulations/{pk}/report",
    response={200: CirculationOut, **errors(400, 403, 404, 409)},
    summary="Report a unit's view",
)
def report(request, pk: int, data: ReportIn):
    return services.circulation_report(
        circulation=_circulation(request, pk),
        by=request.auth,
        no_view=data.no_view,
        summary=data.summary,
    )


# ---------------------------------------------------------------- steps 5 and 6


@router.post(
    "/proposals/{pk}/drafting",
    response={200: ProposalOut, **errors(400, 403, 404, 409)},
    summary="Close circulation and start drafting",
)
def drafting(request, pk: int, data: StepEndIn | None = None):
    return services.drafting_start(
        proposal=_proposal(request, pk), by=request.auth, reason=data.reason if data else ""
    )


@router.post(
    "/proposals/{pk}/drafts",
    response={201: DraftOut, **errors(400, 403, 404, 409)},
    summary="Save a draft version",
)
def draft_save(request, pk: int, data: DraftIn):
    version = services.draft_save(
        proposal=_proposal(request, pk),
        by=request.auth,
        paragraphs=[p.dict() for p in data.paragraphs],
        note=data.note,
    )
    return Status(201, _draft_out(version))


@router.get("/proposals/{pk}/drafts/{number}", response={200: DraftOut, **errors(404)})
def draft(request, pk: int, number: int):
    return _draft_out(
        get_object_or_404(DraftVersion, proposal=_proposal(request, pk), number=number)
    )


@router.post(
    "/proposals/{pk}/consultation",
    response={200: ProposalOut, **errors(403, 404, 409)},
    summary="Open consultation",
)
def consultation(request, pk: int):
    return services.consultation_open(proposal=_proposal(request, pk), by=request.auth)


@router.post(
    "/proposals/{pk}/invitations", response={201: InvitationOut, **errors(400, 403, 404, 409)}
)
def invite(request, pk: int, data: InviteIn):
    invitation = services.external_invite(
        proposal=_proposal(request, pk), by=request.auth, name=data.name, email=data.email
    )
    return Status(201, invitation)


@router.post("/paragraphs/{pk}/comments", response={201: CommentOut, **errors(400, 403, 404, 409)})
def comment(request, pk: int, data: TextIn):
    paragraph = get_object_or_404(Paragraph.objects.select_related("version"), pk=pk)
    _proposal(request, paragraph.version.proposal_id)
    return Status(
        201, services.comment_add(paragraph=paragraph, author=request.auth, text=data.text)
    )


@router.post(
    "/external/comments",
    response={201: CommentOut, **errors(400, 403, 404, 409)},
    auth=None,
    summary="An invited outside participant comments (the token is their access)",
)
def external_comment(request, data: ExternalCommentIn):
    """The invitation token travels in the body: a URL would leave it in access logs."""
    invitation = services.external_access(data.token)
    paragraph = get_object_or_404(
        Paragraph, pk=data.paragraph_id, version__proposal=invitation.proposal
    )
    return Status(
        201, services.comment_add(paragraph=paragraph, invitation=invitation, text=data.text)
    )


# ---------------------------------------------------------------- step 7


@router.post(
    "/proposals/{pk}/final",
    response={200: DraftOut, **errors(400, 403, 404, 409)},
    summary="Close the consultation and declare the final draft",
)
def final_draft(request, pk: int, data: StepEndIn | None = None):
    return _draft_out(
        services.final_draft(
            proposal=_proposal(request, pk), by=request.auth, reason=data.reason if data else ""
        )
    )


@router.get("/proposals/{pk}/amendments", response={200: list[AmendmentOut], **errors(404)})
def amendments(request, pk: int):
    return list(_proposal(request, pk).amendments.order_by("id"))


@router.post(
    "/paragraphs/{pk}/amendments",
    response={201: AmendmentOut, **errors(400, 403, 404, 409, 429)},
    summary="Propose an amendment to a paragraph of the final draft",
)
def amend(request, pk: int, data: AmendmentIn):
    paragraph = get_object_or_404(Paragraph.objects.select_related("version"), pk=pk)
    _proposal(request, paragraph.version.proposal_id)
    return Status(
        201,
        services.amendment_propose(
            paragraph=paragraph, by=request.auth, text=data.text, reason=data.reason
        ),
    )


@router.post(
    "/proposals/{pk}/approval",
    response={201: ApprovalOut, **errors(400, 403, 404, 409)},
    summary="Call the approval e-conference (amendments are voted on first)",
)
def approval_call(request, pk: int, data: ApprovalIn):
    return Status(
        201,
        services.approval_call(
            proposal=_proposal(request, pk),
            by=request.auth,
            closes_at=data.closes_at,
            amendments_close_at=data.amendments_close_at,
            reason=data.reason,
        ),
    )


@router.get(
    "/proposals/{pk}/approval",
    response={200: ApprovalOut, **errors(404)},
    summary="The approval votes",
)
def approval(request, pk: int):
    return get_object_or_404(Approval, proposal=_proposal(request, pk))


# ---------------------------------------------------------------- published policies


@router.get("/policies", response=list[PolicyOut], auth=None, summary="Published policies")
@paginate(LimitOffsetPagination)
def policies(request):
    return selectors.published_policies()


@router.get("/policies/{slug}", response={200: PolicyDetailOut, **errors(404)}, auth=None)
def policy(request, slug: str):
    return get_object_or_404(Policy, slug=slug)
