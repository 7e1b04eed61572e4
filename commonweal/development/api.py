"""Development plans and mentoring, with the pages' permissions."""

from datetime import date

from django.http import Http404
from django.shortcuts import get_object_or_404
from ninja import Router, Schema, Status

from commonweal.config.api_errors import errors
from commonweal.members.models import Member

from . import selectors, services
from .models import Goal, Mentoring, Plan, Step

router = Router(tags=["development"])


class PlanStepOut(Schema):
    id: int
    title: str
    due_on: date | None
    done_on: date | None


class PlanGoalOut(Schema):
    id: int
    title: str
    steps: list[PlanStepOut]


class PlanOut(Schema):
    id: int
    member_id: int
    aims: str
    share_with_officers: bool
    reviewed_on: date | None
    review_due_on: date
    goals: list[PlanGoalOut]
    steps_done: int
    steps: int


class DevelopmentPlanIn(Schema):
    aims: str = ""
    share_with_officers: bool = False


class GoalIn(Schema):
    title: str


class PlanStepIn(Schema):
    title: str
    due_on: date | None = None


class StepMarkIn(Schema):
    done: bool


def _plan_out(plan: Plan) -> PlanOut:
    page = selectors.plan_page(plan)
    return PlanOut(
        id=plan.pk,
        member_id=plan.member_id,
        aims=plan.aims,
        share_with_officers=plan.share_with_officers,
        reviewed_on=plan.reviewed_on,
        review_due_on=plan.review_due_on,
        goals=[
            PlanGoalOut(
                id=goal.pk,
                title=goal.title,
                steps=[
                    PlanStepOut(id=s.pk, title=s.title, due_on=s.due_on, done_on=s.done_on)
                    for s in goal.steps.all()
                ],
            )
            for goal in page["goals"]
        ],
        steps_done=page["done"],
        steps=page["total"],
    )


def _keeper(request) -> Member:
    if not request.auth.has_perm("development.keep_plan"):
        raise Http404
    return request.auth


@router.get("/plan", response={200: PlanOut, **errors(404)}, summary="My development plan")
def my_plan(request):
    plan = selectors.plan_of(_keeper(request))
    if plan is None:
        raise Http404
    return _plan_out(plan)


@router.put("/plan", response={200: PlanOut, **errors(400, 404)}, summary="Start or change it")
def plan_save(request, data: DevelopmentPlanIn):
    member = _keeper(request)
    return _plan_out(
        services.plan_save(
            member=member, aims=data.aims, share_with_officers=data.share_with_officers
        )
    )


@router.post("/plan/goals", response={201: PlanOut, **errors(400, 404, 409)})
def goal_add(request, data: GoalIn):
    member = _keeper(request)
    plan = get_object_or_404(Plan, member=member)
    services.goal_add(member=member, plan=plan, title=data.title)
    return Status(201, _plan_out(plan))


@router.post("/goals/{goal_id}/steps", response={201: PlanOut, **errors(400, 404, 409)})
def step_add(request, goal_id: int, data: PlanStepIn):
    member = _keeper(request)
    goal = get_object_or_404(Goal.objects.select_related("plan"), pk=goal_id, plan__member=member)
    services.step_add(member=member, goal=goal, title=data.title, due_on=data.due_on)
    return Status(201, _plan_out(goal.plan))


@router.post("/steps/{step_id}/mark", response={200: PlanOut, **errors(404)})
def step_mark(request, step_id: int, data: StepMarkIn):
    member = _keeper(request)
    step = get_object_or_404(
        Step.objects.select_related("goal__plan"), pk=step_id, goal__plan__member=member
    )
    services.step_mark(member=member, step=step, done=data.done)
    return _plan_out(step.goal.plan)


def _visible_plan(request, plan_id: int) -> Plan:
    plan = get_object_or_404(Plan.objects.select_related("member__unit"), pk=plan_id)
    if not request.auth.has_perm("development.view_plan", plan):
        raise Http404
    return plan


@router.get(
    "/plans/{plan_id}",
    response={200: PlanOut, **errors(404)},
    summary="A plan: one's own, a mentor's or mentee's, or shared with one's officers",
)
def plan_detail(request, plan_id: int):
    plan = _visible_plan(request, plan_id)
    if plan.member_id != request.auth.pk:
        from commonweal.members.services import profile_viewed

        profile_viewed(viewer=request.auth, subject=plan.member, what="api development plan")
    return _plan_out(plan)


@router.post("/plans/{plan_id}/review", response={200: PlanOut, **errors(403, 404)})
def plan_review(request, plan_id: int):
    plan = _visible_plan(request, plan_id)
    return _plan_out(services.plan_review(actor=request.auth, plan=plan))


class MentoringOut(Schema):
    id: int
    mentee_id: int
    mentor_id: int | None
    status: str


class MentoringAskIn(Schema):
    note: str = ""


class MentorAssignIn(Schema):
    mentor_id: int


class MentoringAnswerIn(Schema):
    accept: bool


def _mentoring_out(m: Mentoring) -> MentoringOut:
    return MentoringOut(id=m.pk, mentee_id=m.mentee_id, mentor_id=m.mentor_id, status=m.status)


@router.get("/mentoring", response=list[MentoringOut], summary="My mentoring, either side")
def mentoring_list(request):
    member = request.auth
    mine = selectors.open_mentoring_of(member)
    return [_mentoring_out(m) for m in ([mine] if mine else [])] + [
        _mentoring_out(m) for m in selectors.mentoring_as_mentor(member)
    ]


@router.get(
    "/mentoring/requests",
    response=list[MentoringOut],
    summary="Members looking for a mentor whom I may help (first 100)",
)
def mentoring_requests(request):
    return [_mentoring_out(m) for m in selectors.mentoring_requests_for(request.auth)[:100]]


@router.post("/mentoring", response={201: MentoringOut, **errors(400, 404, 409)})
def mentoring_ask(request, data: MentoringAskIn):
    return Status(
        201, _mentoring_out(services.mentoring_ask(member=_keeper(request), note=data.note))
    )


def _mentoring(request, mentoring_id: int, perm: str) -> Mentoring:
    found = get_object_or_404(Mentoring.objects.select_related("mentee__unit"), pk=mentoring_id)
    if not request.auth.has_perm(perm, found):
        raise Http404
    return found


@router.post(
    "/mentoring/{mentoring_id}/assign", response={200: MentoringOut, **errors(400, 404, 409)}
)
def mentor_assign(request, mentoring_id: int, data: MentorAssignIn):
    found = _mentoring(request, mentoring_id, "development.assign_mentor")
    mentor = get_object_or_404(Member, pk=data.mentor_id)
    return _mentoring_out(
        services.mentor_assign(mentoring=found, mentor=mentor, officer=request.auth)
    )


@router.post(
    "/mentoring/{mentoring_id}/offer", response={200: MentoringOut, **errors(400, 404, 409)}
)
def mentor_offer(request, mentoring_id: int):
    found = _mentoring(request, mentoring_id, "development.offer_to_mentor")
    return _mentoring_out(services.mentor_offer(mentoring=found, mentor=request.auth))


@router.post("/mentoring/{mentoring_id}/answer", response={200: MentoringOut, **errors(404, 409)})
def mentoring_answer(request, mentoring_id: int, data: MentoringAnswerIn):
    found = _mentoring(request, mentoring_id, "development.accept_mentoring")
    return _mentoring_out(
        services.mentoring_accept(mentoring=found, mentor=request.auth, accept=data.accept)
    )


@router.post("/mentoring/{mentoring_id}/end", response={200: MentoringOut, **errors(404, 409)})
def mentoring_end(request, mentoring_id: int):
    found = _mentoring(request, mentoring_id, "development.end_mentoring")
    return _mentoring_out(services.mentoring_end(mentoring=found, member=request.auth))
