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


def _country_code(country: str) -> str:
    return (country or "").strip().upper()[:2]


def _struggles_in(country: str) -> Q:
    """Struggles in the country, or with an outside organisation from it involved."""
    # django-stubs types a many-to-many field's auto-created through model as Never.
    linked = Struggle.organisations.through.objects.filter(  # type: ignore[attr-defined]
        outsideorganisation__country=country
    ).values("struggle_id")
    return Q(country=country) | Q(pk__in=linked)


def _struggle_rows(
    user: Any, *, unit: Unit | None = None, status: str = "", country: str = ""
) -> QuerySet[Struggle]:
    rows = Struggle.objects.filter(visible_q(user))
    if unit is not None:
        rows = rows.filter(unit__path__startswith=unit.path)
    if status:
        rows = rows.filter(status=status)
    if country := _country_code(country):
        rows = rows.filter(_struggles_in(country))
    return rows


def struggles(
    user: Any, *, unit: Unit | None = None, status: str = "", country: str = ""
) -> QuerySet[Struggle]:
    rows = _struggle_rows(user, unit=unit, status=status, country=country)
    return (
        rows.select_related("unit")
        .annotate(n_interventions=Count("interventions"))
        .order_by("-since", "-pk")
    )


def interventions(
    user: Any,
    *,
    unit: Unit | None = None,
    status: str = "",
    struggle: Struggle | None = None,
    country: str = "",
) -> QuerySet[Intervention]:
    """Interventions the viewer may see; by `country`: those whose struggle is there or has
    an organisation from there involved, or with a partner from there."""
    rows = Intervention.objects.filter(visible_q(user)).select_related("unit", "body", "struggle")
    if unit is not None:
        rows = rows.filter(unit__path__startswith=unit.path)
    if status:
        rows = rows.filter(status=status)
    if struggle is not None:
        rows = rows.filter(struggle=struggle)
    if country := _country_code(country):
        partnered = Intervention.organisations.through.objects.filter(
            outsideorganisation__country=country
        ).values("intervention_id")
        in_struggles = Struggle.objects.filter(_struggles_in(country)).values("pk")
        rows = rows.filter(Q(struggle__in=in_struggles) | Q(pk__in=partnered))
    return rows


def _breakdown(rows: QuerySet, by: dict[str, str], counts: dict[str, Count]) -> list[dict]:
    """One grouped query: a row per value of `by` (label: lookup), with `counts`."""
    lookups = list(by.values())
    counted = rows.order_by().values(*lookups).annotate(**counts).order_by(*lookups)
    return [
        {**{label: row[lookup] for label, lookup in by.items()}, **{n: row[n] for n in counts}}
        for row in counted
    ]


INTERVENTION_COUNTS = {
    "total": Count("pk"),
    "assessed": Count("pk", filter=Q(status=Intervention.Status.ASSESSED)),
    "to_assess": Count("pk", filter=Q(status=Intervention.Status.CARRIED_OUT)),
}
STRUGGLE_COUNTS = {
    "total": Count("pk"),
    "ongoing": Count("pk", filter=Q(status=Struggle.Status.ONGOING)),
    "taking_part": Count("pk", filter=Q(involvement=Struggle.Involvement.TAKING_PART)),
}


def unit_breakdown(rows: QuerySet[Intervention]) -> list[dict[str, Any]]:
    """Per unit: how many interventions, assessed, and waiting for an assessment."""
    return _breakdown(rows, {"unit": "unit__name", "path": "unit__path"}, INTERVENTION_COUNTS)


def country_breakdown(rows: QuerySet[Intervention]) -> list[dict[str, Any]]:
    """Per country of the struggle: the same counts (one row per intervention)."""
    return _breakdown(rows, {"country": "struggle__country"}, INTERVENTION_COUNTS)


def struggle_breakdowns(
    user: Any, *, unit: Unit | None = None, status: str = "", country: str = ""
) -> dict[str, list[dict[str, Any]]]:
    """Per unit and per country (the struggle's own): how many, ongoing, taking part."""
    rows = _struggle_rows(user, unit=unit, status=status, country=country)
    return {
        "by_unit": _breakdown(rows, {"unit": "unit__name", "path": "unit__path"}, STRUGGLE_COUNTS),
        "by_country": _breakdown(rows, {"country": "country"}, STRUGGLE_COUNTS),
    }


def organisation_involvement(organisation: Any, viewer: Any) -> dict[str, Any]:
    """The struggles and interventions an outside organisation is in, that the viewer may
    see (for its page in the alliances app)."""
    return {
        "struggles": list(
            Struggle.objects.filter(visible_q(viewer), organisations=organisation)
            .select_related("unit")
            .order_by("-since", "-pk")[:50]
        ),
        "interventions": list(
            Intervention.objects.filter(visible_q(viewer), organisations=organisation)
            .select_related("unit", "struggle")
            .order_by("-planned_at", "-pk")[:50]
        ),
    }


def needs(seeker: Any) -> list[Any]:
    """For the officers of a responsible body: its interventions whose assessment is due
    within `interventions.assessment_reminder_days` or overdue, soonest first (members.needs:
    the home page's "What needs you")."""
    from datetime import timedelta

    from django.urls import reverse
    from django.utils import timezone
    from django.utils.translation import gettext as _

    from commonweal.members.needs import Need, day_end, listed
    from commonweal.rulebook.selectors import current as current_rulebook

    if not seeker.officer_body_ids:
        return []
    today = timezone.localdate(seeker.now)
    ahead = today + timedelta(
        days=int(current_rulebook()["interventions.assessment_reminder_days"])
    )
    due = (
        Intervention.objects.filter(body_id__in=seeker.officer_body_ids, assess_on__lte=ahead)
        .exclude(status__in=[Intervention.Status.ASSESSED, Intervention.Status.CANCELLED])
        .select_related("body")
        .order_by("assess_on", "pk")
    )

    def need(item: Intervention) -> Need:
        title = (
            _("Assessment overdue: %(title)s") if item.assess_on < today else _("Assess: %(title)s")
        )
        return Need(
            kind="intervention_assessment",
            title=title % {"title": item.title},
            detail=item.body.name,
            url=reverse("interventions:detail", args=[item.pk]),
            nav="interventions:struggles",
            due=day_end(item.assess_on),
        )

    return listed(
        due,
        need,
        lambda rest: Need(
            kind="intervention_assessment",
            title=_("More interventions to assess"),
            url=reverse("interventions:list") + "?status=carried_out",
            nav="interventions:struggles",
            count=rest,
        ),
    )


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
