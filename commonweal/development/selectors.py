"""Reading plans and mentoring."""

from typing import Any

from django.db.models import Q, QuerySet

from commonweal.core import clock
from commonweal.organisation.selectors import officer_unit_paths

from .models import Mentoring, Plan, Step


def plan_of(member: Any) -> Plan | None:
    return Plan.objects.filter(member=member).first()


def plan_page(plan: Plan) -> dict[str, Any]:
    """The plan's goals with their steps (two queries) and its progress."""
    goals = list(plan.goals.prefetch_related("steps"))
    steps = [step for goal in goals for step in goal.steps.all()]
    done = sum(1 for step in steps if step.done_on)
    return {
        "plan": plan,
        "goals": goals,
        "done": done,
        "total": len(steps),
        "percent": round(100 * done / len(steps)) if steps else 0,
        "review_due": plan.review_due_on <= clock.now().date(),
    }


def progress_of(plan_ids: list[int]) -> dict[int, tuple[int, int]]:
    """(steps done, steps) per plan, in one query."""
    from django.db.models import Count

    rows = (
        Step.objects.filter(goal__plan_id__in=plan_ids)
        .values("goal__plan_id")
        .annotate(total=Count("id"), done=Count("id", filter=Q(done_on__isnull=False)))
    )
    return {row["goal__plan_id"]: (row["done"], row["total"]) for row in rows}


def open_mentoring_of(member: Any) -> Mentoring | None:
    """The member's request for a mentor or mentoring under way, if any."""
    return (
        Mentoring.objects.filter(mentee=member)
        .exclude(status=Mentoring.Status.ENDED)
        .select_related("mentor")
        .first()
    )


def mentoring_as_mentor(member: Any) -> QuerySet[Mentoring]:
    """Those the member mentors or is asked to mentor."""
    return (
        Mentoring.objects.filter(
            mentor=member, status__in=[Mentoring.Status.PROPOSED, Mentoring.Status.ACTIVE]
        )
        .select_related("mentee")
        .order_by("status", "-asked_at")
    )


def active_partner_ids(member: Any) -> set[int]:
    """The members `member` mentors or is mentored by, in active mentoring."""
    rows = Mentoring.objects.filter(
        Q(mentor_id=member.pk) | Q(mentee_id=member.pk), status=Mentoring.Status.ACTIVE
    ).values_list("mentor_id", "mentee_id")
    return {other for pair in rows for other in pair if other != member.pk}


def mentoring_requests_for(viewer: Any) -> QuerySet[Mentoring]:
    """Members looking for a mentor whom the viewer may help: for officers, those in
    the units they are officers of and below; for other members, their own branch."""
    if not getattr(viewer, "is_member", False):
        return Mentoring.objects.none()
    within = Q(mentee__unit_id=viewer.unit_id) if viewer.unit_id else Q(pk__in=[])
    for path in officer_unit_paths(viewer):
        within |= Q(mentee__unit__path__startswith=path)
    return (
        Mentoring.objects.filter(within, status=Mentoring.Status.ASKED)
        .exclude(mentee=viewer)
        .select_related("mentee__unit")
        .order_by("asked_at")
    )


def shared_plans_for(viewer: Any) -> QuerySet[Plan]:
    """Plans their members share with the officers of the viewer's units."""
    paths = officer_unit_paths(viewer) if getattr(viewer, "is_member", False) else []
    if not paths:
        return Plan.objects.none()
    within = Q()
    for path in paths:
        within |= Q(member__unit__path__startswith=path)
    return (
        Plan.objects.filter(within, share_with_officers=True)
        .select_related("member__unit")
        .order_by("review_due_on", "pk")
    )


def member_export(member: Any) -> dict[str, Any]:
    """The member's plan, steps and mentoring, for their data download."""
    plan = plan_of(member)
    return {
        "plan": None
        if plan is None
        else {
            "aims": plan.aims,
            "share_with_officers": plan.share_with_officers,
            "reviewed_on": plan.reviewed_on.isoformat() if plan.reviewed_on else None,
            "review_due_on": plan.review_due_on.isoformat(),
            "goals": [
                {
                    "goal": goal.title,
                    "steps": [
                        {
                            "step": step.title,
                            "due_on": step.due_on.isoformat() if step.due_on else None,
                            "done_on": step.done_on.isoformat() if step.done_on else None,
                        }
                        for step in goal.steps.all()
                    ],
                }
                for goal in plan.goals.prefetch_related("steps")
            ],
        },
        "mentoring": [
            {
                "role": "mentee" if m.mentee_id == member.pk else "mentor",
                "with": (m.mentor_id if m.mentee_id == member.pk else m.mentee_id),
                "status": m.status,
                "note": m.note if m.mentee_id == member.pk else "",
                "asked_at": m.asked_at.isoformat(),
            }
            for m in Mentoring.objects.filter(Q(mentee=member) | Q(mentor=member))
        ],
    }
