"""Which units and bodies a member may see figures for."""

from datetime import timedelta

from django.db.models import Max, Q, QuerySet, Sum
from django.db.models.functions import Substr

from commonweal.core import clock
from commonweal.members.models import Member
from commonweal.organisation.models import Body, Unit
from commonweal.organisation.selectors import bodies_of, officer_unit_paths

from .aggregates import ACTIVITIES, FIGURES, month_of
from .models import BodyMonth, UnitMonth


def visible_units(member: Member) -> QuerySet[Unit]:
    """Their basic unit and the units above it; for officers, every unit in their scope too."""
    if member.is_superuser:
        return Unit.objects.all()
    where = Q(pk__in=[])
    if member.unit is not None:
        path, step = member.unit.path, Unit.steplen
        where |= Q(path__in=[path[:end] for end in range(step, len(path) + 1, step)])
    for path in officer_unit_paths(member):
        where |= Q(path__startswith=path)
    return Unit.objects.filter(where)


def may_see_unit(member: Member, unit: Unit) -> bool:
    return visible_units(member).filter(pk=unit.pk).exists()


def visible_bodies(member: Member) -> QuerySet[Body]:
    """Bodies they belong to, and for officers every body of a unit in their scope."""
    if member.is_superuser:
        return Body.objects.all()
    where = Q(pk__in=bodies_of(member).values("pk"))
    for path in officer_unit_paths(member):
        where |= Q(unit__path__startswith=path)
    return Body.objects.filter(where)


def may_see_body(member: Member, body: Body) -> bool:
    return visible_bodies(member).filter(pk=body.pk).exists()


def _series(rows) -> list[dict]:
    return [dict(row) for row in rows]


def unit_series(unit: Unit, months: int = 24) -> list[dict]:
    """The unit's subtree, month by month: its units' rows summed in one indexed query."""
    rows = (
        UnitMonth.objects.filter(unit__path__startswith=unit.path, month__gte=_since(months))
        .values("month")
        .annotate(**{figure: Sum(figure) for figure in FIGURES})
        .order_by("month")
    )
    return _series(rows)


def body_series(body: Body, months: int = 24) -> list[dict]:
    rows = BodyMonth.objects.filter(body=body, month__gte=_since(months)).order_by("month")
    return _series(rows.values("month", *FIGURES))


def organisation_latest() -> dict | None:
    """The whole organisation's figures for the last month counted."""
    latest = UnitMonth.objects.aggregate(latest=Max("month"))["latest"]
    if latest is None:
        return None
    totals = UnitMonth.objects.filter(month=latest).aggregate(
        **{figure: Sum(figure) for figure in FIGURES}
    )
    return {"month": latest, **totals}


def siblings_latest(unit: Unit) -> list[dict]:
    """The unit and its siblings, each with its subtree's figures for the last month counted."""
    parent = unit.path[: -Unit.steplen]
    latest = UnitMonth.objects.aggregate(latest=Max("month"))["latest"]
    if not parent or latest is None:
        return []
    siblings = list(children(parent, unit.depth - 1))
    depth_len = len(unit.path)
    rows = (
        UnitMonth.objects.filter(unit__path__startswith=parent, month=latest)
        .exclude(unit__path=parent)
        .annotate(branch=Substr("unit__path", 1, depth_len))
        .values("branch")
        .annotate(**{figure: Sum(figure) for figure in FIGURES})
    )
    by_path = {row["branch"]: row for row in rows}
    empty = dict.fromkeys(FIGURES, 0)
    return [
        {"unit": sibling, "month": latest, **by_path.get(sibling.path, empty)}
        for sibling in siblings
    ]


def children(path: str, depth: int) -> QuerySet[Unit]:
    return Unit.objects.filter(path__startswith=path, depth=depth + 1).order_by("name")


def shares(figures: dict) -> dict[str, float | None]:
    """Each activity as a share of the members in good standing (None with no members)."""
    members = figures.get("members") or 0
    return {
        figure: (figures.get(figure) or 0) / members if members else None for figure in ACTIVITIES
    }


def _since(months: int):
    today = month_of(clock.now())
    for _ in range(months - 1):
        today = (today - timedelta(days=1)).replace(day=1)
    return today
