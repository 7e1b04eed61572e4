"""Reads for the struggles and interventions pages, each limited to what the viewer may see."""

from __future__ import annotations

from typing import Any

from django.db.models import Count, Q, QuerySet

from commonweal.decisions.models import Action, Decision
from commonweal.organisation.models import Unit
from commonweal.organisation.selectors import officer_unit_paths

from .models import Assessment, Intervention, Lesson, SpontaneousAction, Struggle, Tag


def _chain_paths(unit: Unit | None) -> list[str]:
    """The member's unit and every unit above it, as paths."""
    if unit is None:
        return []
    steps = len(unit.path) // Unit.steplen
    return [unit.path[: Unit.steplen * (i + 1)] for i in range(steps)]


def visible_q(user: Any, field: str = "unit") -> Q:
    """Rows whose unit is the viewer's own or above it, or below a unit they are an officer of."""
    if getattr(user, "is_superuser", False):
        return Q()
    if not getattr(user, "is_member", False):
        return Q(pk__in=[])
    q = Q(**{f"{field}__path__in": _chain_paths(getattr(user, "unit", None))})
    for path in officer_unit_paths(user):
        q |= Q(**{f"{field}__path__startswith": path})
    return q


def struggles(user: Any, *, unit: Unit | None = None, status: str = "") -> QuerySet[Struggle]:
    rows = Struggle.objects.filter(visible_q(user)).select_related("unit")
    if unit is not None:
        rows = rows.filter(unit__path__startswith=unit.path)
    if status:
        rows = rows.filter(status=status)
    return rows.annotate(n_interventions=Count("interventions")).order_by("-since", "-pk")


def interventions(
    user: Any, *, unit: Unit | None = None, status: str = "", struggle: Struggle | None = None
) -> QuerySet[Intervention]:
    rows = Intervention.objects.filter(visible_q(user)).select_related("unit", "body", "struggle")
    if unit is not None:
        rows = rows.filter(unit__path__startswith=unit.path)
    if status:
        rows = rows.filter(status=status)
    if struggle is not None:
        rows = rows.filter(struggle=struggle)
    return rows


def unit_breakdown(rows: QuerySet[Intervention]) -> list[dict[str, Any]]:
    """Per unit: how many interventions, assessed, and waiting for an assessment."""
    counted = (
        rows.order_by()
        .values("unit__name", "unit__path")
        .annotate(
            total=Count("pk"),
            assessed=Count("pk", filter=Q(status=Intervention.Status.ASSESSED)),
            to_assess=Count("pk", filter=Q(status=Intervention.Status.CARRIED_OUT)),
        )
        .order_by("unit__path")
    )
    return [
        {
            "unit": row["unit__name"],
            "total": row["total"],
            "assessed": row["assessed"],
            "to_assess": row["to_assess"],
        }
        for row in counted
    ]


def authorising_decision(intervention: Intervention) -> Decision | None:
    """The decision that authorised it: stored once work starts, else the carried motion whose
    subject is the intervention (meetings records it when the motion's vote closes)."""
    if intervention.decision_id:
        return intervention.decision
    return (
        Decision.objects.filter(subject=intervention.subject, kind=Decision.Kind.MOTION)
        .order_by("-decided_at")
        .first()
    )


def intervention_page(intervention: Intervention) -> dict[str, Any]:
    from commonweal.meetings.models import Motion

    decision = authorising_decision(intervention)
    motion = (
        Motion.objects.select_related("item__meeting").filter(pk=intervention.motion_id).first()
        if intervention.motion_id
        else None
    )
    actions = (
        list(
            Action.objects.filter(decision=decision)
            .select_related("owner_member", "owner_body")
            .prefetch_related("reports")
        )
        if decision
        else []
    )
    assessment = Assessment.objects.filter(intervention=intervention).first()
    return {
        "intervention": intervention,
        "decision": decision,
        "motion": motion,
        "actions": actions,
        "assessment": assessment,
        "lessons": list(intervention.lessons.prefetch_related("tags")),
    }


def reports_for(user: Any) -> QuerySet[SpontaneousAction]:
    """Reports the viewer may decide on, and their own."""
    if getattr(user, "is_superuser", False):
        return SpontaneousAction.objects.select_related("unit", "struggle")
    q = Q(reported_by=user)
    for path in officer_unit_paths(user):
        q |= Q(unit__path__startswith=path)
    return SpontaneousAction.objects.filter(q).select_related("unit", "struggle")


def lessons(user: Any, *, text: str = "", tag: str = "") -> QuerySet[Lesson]:
    """Lessons the viewer may see: shared ones, and those of interventions they may see."""
    if getattr(user, "is_superuser", False):
        rows = Lesson.objects.all()
    elif getattr(user, "is_member", False):
        rows = Lesson.objects.filter(Q(shared=True) | visible_q(user, "intervention__unit"))
    else:
        rows = Lesson.objects.none()
    for word in text.split()[:8]:
        rows = rows.filter(Q(title__icontains=word) | Q(text__icontains=word))
    if tag:
        rows = rows.filter(tags__name=tag.strip().lower())
    return rows.select_related("intervention", "intervention__unit").prefetch_related("tags")


def tags_in_use(user: Any) -> list[str]:
    """The tags of the lessons the viewer may see (another branch's tags tell of its work)."""
    seen = lessons(user).values("pk")
    return list(Tag.objects.filter(lessons__in=seen).distinct().values_list("name", flat=True))


def member_export(member: Any) -> dict[str, Any]:
    """The struggles a member is named in, and the spontaneous actions they reported."""
    return {
        "struggles_involved_in": [
            {"struggle": s.pk, "title": s.title}
            for s in Struggle.objects.filter(members=member).order_by("pk")
        ],
        "spontaneous_actions_reported": [
            {
                "unit": r.unit_id,
                "what": r.what,
                "seen_on": r.seen_on.isoformat(),
                "status": r.status,
                "reason": r.reason,
            }
            for r in SpontaneousAction.objects.filter(reported_by=member).order_by("pk")
        ],
    }
