"""The discussion API: the same services as the pages, refusals as 400/403/409."""

from datetime import datetime
from typing import Annotated

from django.http import Http404
from django.shortcuts import get_object_or_404
from ninja import Field, Router, Schema, Status
from ninja.pagination import paginate
from pydantic import BeforeValidator

from commonweal.config.api_errors import errors
from commonweal.core.pagination import LimitOffsetPagination
from commonweal.core.permissions import get_visible_or_404
from commonweal.organisation.models import Body, Unit

from . import selectors, services
from .models import (
    Appeal,
    Contribution,
    Debate,
    OpinionMap,
    Statement,
    TemperatureCheck,
    Tendency,
)

router = Router(tags=["discussion"])


class DebateIn(Schema):
    question: str
    description: str = ""
    body_id: int | None = None
    unit_id: int | None = None
    subject: str = ""


class DebateOut(Schema):
    id: int
    question: str
    description: str
    space: str
    subject: str
    status: str
    opened_at: datetime


class ContributionIn(Schema):
    stance: str = ""
    text: str
    parent_id: int | None = None


class ContributionEdit(Schema):
    text: str
    stance: str | None = None


class DebateContributionOut(Schema):
    id: int
    parent_id: int | None
    author: str
    stance: str
    text: str
    posted_at: datetime
    edited_at: datetime | None
    hidden: bool
    hidden_reason: str


class ReasonIn(Schema):
    reason: str


class AppealIn(Schema):
    grounds: str


class AppealDecisionIn(Schema):
    uphold: bool
    reason: str


class AppealOut(Schema):
    id: int
    contribution_id: int
    to_body_id: int
    status: str
    decision_reason: str


class CheckIn(Schema):
    statement: str
    body_id: int | None = None
    unit_id: int | None = None


class CheckOut(Schema):
    id: int
    statement: str
    space: str
    status: str


class ResponseIn(Schema):
    choice: str
    reason: str = ""


class StatementIn(Schema):
    text: str


class StatementOut(Schema):
    id: int
    text: str
    agree_count: int
    disagree_count: int
    pass_count: int


class StatementVoteIn(Schema):
    choice: str


class TendencyIn(Schema):
    name: str
    platform: str


class TendencyOut(Schema):
    id: int
    name: str
    slug: str
    platform: str
    member_count: int
    recognised: bool


class PositionIn(Schema):
    tendency_id: int
    subject: str
    text: str


class PositionOut(Schema):
    id: int
    tendency: str
    subject: str
    text: str
    submitted_at: datetime


class MinorityIn(Schema):
    decision_id: int
    text: str


class DiscussionProfileIn(Schema):
    consent: bool
    gender: str = ""
    age_band: str = ""
    occupation_group: str = ""
    region: str = ""


class ContributionThreadOut(DebateContributionOut):
    replies: list[DebateContributionOut]


class DebatePositionOut(Schema):
    tendency: str
    text: str
    submitted_at: datetime


class VoiceGroupOut(Schema):
    group: str
    contributors: int
    contributions: int
    share: float


class DebateDetailOut(Schema):
    debate: DebateOut
    for_: list[ContributionThreadOut] = Field(alias="for")
    against: list[ContributionThreadOut]
    neither: list[ContributionThreadOut]
    positions: list[DebatePositionOut]
    voice: dict[str, int | float | None]
    voice_by_group: dict[str, list[VoiceGroupOut]]


class ChoiceTallyOut(Schema):
    label: Annotated[str, BeforeValidator(str)]  # a translated choice label: a lazy string
    count: int
    reasons: list[str]


class CheckDetailOut(Schema):
    check: CheckOut
    by_choice: dict[str, ChoiceTallyOut]
    total: int


class CheckResponseOut(Schema):
    choice: str
    reason: str


class MapOpenedOut(Schema):
    id: int
    debate_id: int


class GroupFigureOut(Schema):
    label: str
    agree: float
    disagree: float
    seen: int


class MapStatementOut(Schema):
    id: int
    text: str
    groups: list[GroupFigureOut]


class MapGroupOut(Schema):
    label: str
    size: int
    distinctive: list[MapStatementOut]


class OpinionMapOut(Schema):
    participants: int
    statement_count: int
    computed_at: datetime | None
    next_publication: datetime
    common_ground: list[MapStatementOut]
    divisive: list[MapStatementOut]
    groups: list[MapGroupOut]
    my_group: str | None


class MinorityOut(Schema):
    id: int
    decision_id: int


class DiscussionProfileOut(Schema):
    consent: bool
    age_band: str


def _space(body_id: int | None, unit_id: int | None) -> dict:
    return {
        "space_body": get_object_or_404(Body, pk=body_id) if body_id else None,
        "space_unit": get_object_or_404(Unit, pk=unit_id) if unit_id else None,
    }


def _debate_out(debate: Debate) -> DebateOut:
    return DebateOut(
        id=debate.pk,
        question=debate.question,
        description=debate.description,
        space=debate.space_name,
        subject=debate.subject,
        status=debate.status,
        opened_at=debate.opened_at,
    )


def _contribution_out(c: Contribution, viewer, moderator: bool) -> DebateContributionOut:
    shown = not c.is_hidden or c.author_id == viewer.pk or moderator
    return DebateContributionOut(
        id=c.pk,
        parent_id=c.parent_id,
        author=c.author.display_name,
        stance=c.stance,
        text=c.text if shown else "",
        posted_at=c.posted_at,
        edited_at=c.edited_at,
        hidden=c.is_hidden,
        hidden_reason=c.hidden_reason if c.is_hidden and shown else "",
    )


def _debate(request, pk: int) -> Debate:
    return get_visible_or_404(request.auth, Debate, "discussion.view_debate", pk=pk)


def _contribution(request, pk: int) -> Contribution:
    contribution = get_object_or_404(Contribution.objects.select_related("debate"), pk=pk)
    if not request.auth.has_perm("discussion.view_debate", contribution.debate):
        raise Http404
    return contribution


def _map(request, debate_pk: int) -> OpinionMap:
    debate = _debate(request, debate_pk)
    return get_object_or_404(OpinionMap.objects.defer("model"), debate=debate)


def _statement(request, pk: int) -> Statement:
    statement = get_object_or_404(Statement.objects.select_related("opinion_map__debate"), pk=pk)
    if not request.auth.has_perm("discussion.view_debate", statement.opinion_map.debate):
        raise Http404
    return statement


@router.get("/debates", response=list[DebateOut], summary="Debates the member can see")
@paginate(LimitOffsetPagination)
def debate_list(request, subject: str = ""):
    debates = selectors.debates_for(request.auth)
    return [_debate_out(d) for d in (debates.filter(subject=subject) if subject else debates)]


@router.post("/debates", response={201: DebateOut, **errors(400, 403, 404, 429)})
def debate_create(request, data: DebateIn):
    debate = services.debate_open(
        **_space(data.body_id, data.unit_id),
        question=data.question,
        description=data.description,
        subject=data.subject,
        opened_by=request.auth,
    )
    return Status(201, _debate_out(debate))


# by_alias: the arguments for are under "for", which Python cannot name a field.
@router.get("/debates/{pk}", response={200: DebateDetailOut, **errors(404)}, by_alias=True)
def debate_detail(request, pk: int):
    """Arguments for, against and neither, tendency positions and the voice figures."""
    debate = _debate(request, pk)
    page = selectors.debate_page(debate, request.auth)
    moderator = request.auth.has_perm("discussion.moderate_debate", debate)

    def out(items):
        return [
            {
                **_contribution_out(c, request.auth, moderator).dict(),
                "replies": [
                    _contribution_out(r, request.auth, moderator).dict() for r in c.replies.all()
                ],
            }
            for c in items
        ]

    return {
        "debate": _debate_out(debate).dict(),
        "for": out(page["for_arguments"]),
        "against": out(page["against_arguments"]),
        "neither": out(page["neither_arguments"]),
        "positions": [
            {"tendency": p.tendency.name, "text": p.text, "submitted_at": p.submitted_at}
            for p in page["positions"]
        ],
        "voice": page["voice"],
        "voice_by_group": selectors.voice_by_group(debate),
    }


@router.post(
    "/debates/{pk}/contributions",
    response={201: DebateContributionOut, **errors(400, 403, 404, 409)},
)
def contribution_create(request, pk: int, data: ContributionIn):
    debate = _debate(request, pk)
    parent = get_object_or_404(Contribution, pk=data.parent_id) if data.parent_id else None
    contribution = services.contribution_post(
        debate=debate, author=request.auth, stance=data.stance, text=data.text, parent=parent
    )
    return Status(201, _contribution_out(contribution, request.auth, False))


@router.patch(
    "/contributions/{pk}", response={200: DebateContributionOut, **errors(400, 403, 404, 409)}
)
def contribution_edit(request, pk: int, data: ContributionEdit):
    contribution = services.contribution_edit(
        contribution=_contribution(request, pk),
        editor=request.auth,
        text=data.text,
        stance=data.stance,
    )
    return _contribution_out(contribution, request.auth, False)


@router.post(
    "/contributions/{pk}/hide", response={200: DebateContributionOut, **errors(400, 403, 404, 409)}
)
def contribution_hide(request, pk: int, data: ReasonIn):
    contribution = services.contribution_hide(
        contribution=_contribution(request, pk), moderator=request.auth, reason=data.reason
    )
    return _contribution_out(contribution, request.auth, True)


@router.post("/contributions/{pk}/appeal", response={201: AppealOut, **errors(400, 403, 404, 409)})
def contribution_appeal(request, pk: int, data: AppealIn):
    appeal = services.appeal_lodge(
        contribution=_contribution(request, pk), author=request.auth, grounds=data.grounds
    )
    return Status(201, appeal)


@router.get("/appeals", response=list[AppealOut], summary="Appeals waiting for you")
def appeal_list(request):
    return list(selectors.appeals_for(request.auth))


@router.post("/appeals/{pk}/decide", response={200: AppealOut, **errors(400, 403, 404, 409)})
def appeal_decide(request, pk: int, data: AppealDecisionIn):
    appeal = get_visible_or_404(request.auth, Appeal, "discussion.decide_appeal", pk=pk)
    return services.appeal_decide(
        appeal=appeal, decided_by=request.auth, uphold=data.uphold, reason=data.reason
    )


def _check_out(check: TemperatureCheck) -> CheckOut:
    return CheckOut(
        id=check.pk, statement=check.statement, space=check.space_name, status=check.status
    )


@router.get("/checks", response=list[CheckOut])
@paginate(LimitOffsetPagination)
def check_list(request):
    return [_check_out(c) for c in selectors.checks_for(request.auth)]


@router.post("/checks", response={201: CheckOut, **errors(400, 403, 404, 429)})
def check_create(request, data: CheckIn):
    check = services.check_open(
        **_space(data.body_id, data.unit_id), statement=data.statement, opened_by=request.auth
    )
    return Status(201, _check_out(check))


@router.get(
    "/checks/{pk}",
    response={200: CheckDetailOut, **errors(404)},
    summary="Results with reasons grouped by stance",
)
def check_detail(request, pk: int):
    check = get_visible_or_404(request.auth, TemperatureCheck, "discussion.view_check", pk=pk)
    return {"check": _check_out(check).dict(), **selectors.check_results(check)}


@router.post(
    "/checks/{pk}/responses", response={200: CheckResponseOut, **errors(400, 403, 404, 409)}
)
def check_respond(request, pk: int, data: ResponseIn):
    check = get_visible_or_404(request.auth, TemperatureCheck, "discussion.view_check", pk=pk)
    response = services.check_respond(
        check=check, member=request.auth, choice=data.choice, reason=data.reason
    )
    return {"choice": response.choice, "reason": response.reason}


@router.post("/checks/{pk}/close", response={200: CheckOut, **errors(403, 404, 409)})
def check_close(request, pk: int):
    check = get_visible_or_404(request.auth, TemperatureCheck, "discussion.view_check", pk=pk)
    return _check_out(services.check_close(check=check, closed_by=request.auth))


@router.post("/debates/{pk}/map", response={201: MapOpenedOut, **errors(403, 404, 409)})
def map_open(request, pk: int):
    opinion_map = services.opinion_map_open(debate=_debate(request, pk), opened_by=request.auth)
    return Status(201, {"id": opinion_map.pk, "debate_id": pk})


@router.get(
    "/debates/{pk}/map",
    response={200: OpinionMapOut, **errors(404)},
    summary="The last published groups and statements, and when the next batch is due",
)
def map_detail(request, pk: int):
    opinion_map = _map(request, pk)
    page = selectors.opinion_map_page(opinion_map)

    def rows(items):
        return [
            {"id": r["statement"].pk, "text": r["statement"].text, "groups": r["groups"]}
            for r in items
        ]

    return {
        "participants": page["participants"],
        "statement_count": page["statement_count"],
        "computed_at": opinion_map.computed_at,
        "next_publication": selectors.next_publication(),
        "common_ground": rows(page["common"]),
        "divisive": rows(page["divisive"]),
        "groups": [
            {"label": g["label"], "size": g["size"], "distinctive": rows(g["distinctive"])}
            for g in page["groups"]
        ],
        "my_group": selectors.own_group(opinion_map, request.auth),
    }


@router.get(
    "/debates/{pk}/map/next",
    response={200: list[StatementOut], **errors(404)},
    summary="Statements to vote on",
)
def map_next(request, pk: int, limit: int = 3):
    return selectors.next_statements(_map(request, pk), request.auth, limit=min(max(limit, 1), 20))


@router.post(
    "/debates/{pk}/map/statements", response={201: StatementOut, **errors(400, 403, 404, 409)}
)
def statement_create(request, pk: int, data: StatementIn):
    statement = services.statement_add(
        opinion_map=_map(request, pk), author=request.auth, text=data.text
    )
    return Status(201, statement)


@router.post(
    "/statements/{pk}/vote",
    response={200: StatementOut, **errors(400, 403, 404, 409)},
    summary="Vote; again replaces it",
)
def statement_vote(request, pk: int, data: StatementVoteIn):
    statement = _statement(request, pk)
    services.statement_vote(statement=statement, member=request.auth, choice=data.choice)
    statement.refresh_from_db()
    return statement


@router.post("/statements/{pk}/hide", response={200: StatementOut, **errors(400, 403, 404, 409)})
def statement_hide(request, pk: int, data: ReasonIn):
    return services.statement_hide(
        statement=_statement(request, pk), moderator=request.auth, reason=data.reason
    )


def _tendency_out(tendency: Tendency) -> TendencyOut:
    return TendencyOut(
        id=tendency.pk,
        name=tendency.name,
        slug=tendency.slug,
        platform=tendency.platform,
        member_count=tendency.member_count,
        recognised=selectors.is_recognised(tendency),
    )


def _tendency(request, slug: str) -> Tendency:
    return get_visible_or_404(request.auth, Tendency, "discussion.view_tendency", slug=slug)


@router.get("/tendencies", response=list[TendencyOut])
@paginate(LimitOffsetPagination)
def tendency_list(request):
    if not request.auth.has_perm("discussion.view_tendency"):
        return []
    return [_tendency_out(t) for t in selectors.tendencies()]


@router.post("/tendencies", response={201: TendencyOut, **errors(400, 403, 409)})
def tendency_create(request, data: TendencyIn):
    tendency = services.tendency_form(
        name=data.name, platform=data.platform, founded_by=request.auth
    )
    return Status(201, _tendency_out(tendency))


@router.get("/tendencies/{slug}", response={200: TendencyOut, **errors(404)})
def tendency_detail(request, slug: str):
    return _tendency_out(_tendency(request, slug))


@router.get("/tendencies/{slug}/members", response={200: list[str], **errors(403, 404)})
def tendency_members(request, slug: str):
    """Those who belong whose profile you may see, by name.

    Each member chooses who may see their profile; the tendency's member_count less the
    length of this list is how many are not listed.
    """
    listing = selectors.tendency_members(_tendency(request, slug), request.auth)
    if listing is None:
        return Status(
            403, {"detail": "The rulebook lets only officers see who belongs to a tendency."}
        )
    members, _not_listed = listing
    return [m.display_name for m in members]


@router.post("/tendencies/{slug}/join", response={200: TendencyOut, **errors(403, 404, 409)})
def tendency_join(request, slug: str):
    tendency = _tendency(request, slug)
    services.tendency_join(tendency=tendency, member=request.auth)
    tendency.refresh_from_db()
    return _tendency_out(tendency)


@router.post("/tendencies/{slug}/leave", response={200: TendencyOut, **errors(404, 409)})
def tendency_leave(request, slug: str):
    tendency = _tendency(request, slug)
    services.tendency_leave(tendency=tendency, member=request.auth)
    tendency.refresh_from_db()
    return _tendency_out(tendency)


@router.get("/positions", response=list[PositionOut], summary="Tendency positions on a subject")
def position_list(request, subject: str):
    """Only on a subject you may see: positions follow the visibility of what they are about."""
    return [
        PositionOut(
            id=p.pk,
            tendency=p.tendency.name,
            subject=p.subject,
            text=p.text,
            submitted_at=p.submitted_at,
        )
        for p in selectors.positions_about(subject, request.auth)
    ]


@router.post("/positions", response={201: PositionOut, **errors(400, 403, 404, 429)})
def position_create(request, data: PositionIn):
    tendency = get_visible_or_404(
        request.auth, Tendency, "discussion.view_tendency", pk=data.tendency_id
    )
    position = services.tendency_position_submit(
        tendency=tendency, subject=data.subject, text=data.text, submitted_by=request.auth
    )
    return Status(
        201,
        PositionOut(
            id=position.pk,
            tendency=tendency.name,
            subject=position.subject,
            text=position.text,
            submitted_at=position.submitted_at,
        ),
    )


@router.post(
    "/tendencies/{slug}/minority-positions", response={201: MinorityOut, **errors(400, 403, 404)}
)
def minority_create(request, slug: str, data: MinorityIn):
    from commonweal.decisions.models import Decision

    position = services.tendency_minority_position_submit(
        tendency=_tendency(request, slug),
        decision=get_object_or_404(Decision, pk=data.decision_id),
        text=data.text,
        submitted_by=request.auth,
    )
    return Status(201, {"id": position.pk, "decision_id": data.decision_id})


@router.put(
    "/profile",
    response={200: DiscussionProfileOut, **errors(400)},
    summary="Your self-description (optional)",
)
def profile_save(request, data: DiscussionProfileIn):
    profile = services.discussion_profile_save(member=request.auth, **data.dict())
    return {"consent": profile.consent, "age_band": profile.age_band}
