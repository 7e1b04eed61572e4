"""Keeping the participation tables: a month is recounted from that month's raw rows only.

`refresh()` (the task worker, every 15 minutes) recounts every month from the one last
counted (the high-water mark: the newest `computed_at`) to the current one, so a worker
that was down catches up and a month that has just ended is finished. Changes dated in an
older month (a member moved to another unit, a list of members imported with their dates
of joining) mark their buckets stale (`signals.py`); `drain()` recounts those buckets
only. `rebuild()` recounts every month since the first member joined.

Who counts where: a member counts in their basic unit as it is now, and in every body
they belonged to at some time in the month. The roll of a vote says who voted and nothing
of what: a secret ballot is never read.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable
from datetime import date, datetime, time, timedelta

from django.db import transaction
from django.db.models import Min, Q
from django.utils import timezone

from commonweal.core import clock
from commonweal.discussion.models import Contribution as DebateContribution
from commonweal.meetings.models import Attendance
from commonweal.members.models import Member
from commonweal.organisation.models import BodyMembership
from commonweal.policy.models import Amendment, Proposal, Support
from commonweal.policy.models import Contribution as ProposalContribution
from commonweal.record.models import Entry
from commonweal.training.models import Enrolment
from commonweal.voting.models import OpenBallot, VoterRoll

from .models import BodyMonth, StaleBucket, UnitMonth

ACTIVITIES = ("supported", "contributed", "voted", "attended", "trained")
FIGURES = ("members", "joined", "left", *ACTIVITIES)

# (figure, model, member field, time field): the raw rows each activity is counted from.
SOURCES = (
    ("supported", Support, "member", "created_at"),
    ("contributed", DebateContribution, "author", "posted_at"),
    ("contributed", ProposalContribution, "author", "created_at"),
    ("contributed", Proposal, "author", "created_at"),
    ("contributed", Amendment, "proposed_by", "proposed_at"),
    # Who voted, from the roll (secret votes) and the roll call (open votes), in the month
    # the vote opened: the roll has no time, and must not get one.
    ("voted", VoterRoll, "member", "vote__opened_at"),
    ("voted", OpenBallot, "voter", "vote__opened_at"),
    ("attended", Attendance, "member", "arrived_at"),
    ("trained", Enrolment, "member", "enrolled_at"),
)

# The record's entries that change a member's standing, and the standing after each.
STANDING = {
    "member.left": False,
    "member.suspended": False,
    "member.erased": False,
    "member.reinstated": True,
}
MEMBER_SUBJECT = f"{Member._meta.label_lower}:"


def month_of(moment: datetime | date) -> date:
    if isinstance(moment, datetime):
        moment = timezone.localtime(moment)
    return date(moment.year, moment.month, 1)


def next_month(month: date) -> date:
    return (month + timedelta(days=32)).replace(day=1)


def bounds(month: date) -> tuple[datetime, datetime]:
    """The month's first moment and the next month's, in the organisation's time zone."""
    zone = timezone.get_current_timezone()
    start = timezone.make_aware(datetime.combine(month, time()), zone)
    return start, timezone.make_aware(datetime.combine(next_month(month), time()), zone)


def months_between(first: date, last: date) -> list[date]:
    months = []
    while first <= last:
        months.append(first)
        first = next_month(first)
    return months


def _member_id(subject: str) -> int | None:
    return int(subject.removeprefix(MEMBER_SUBJECT)) if subject.startswith(MEMBER_SUBJECT) else None


def _out_of_standing(end: datetime) -> set[int]:
    """Members whose last change of standing before `end` took them out of good standing."""
    last: dict[int, bool] = {}
    entries = Entry.objects.filter(
        kind__in=STANDING, subject__startswith=MEMBER_SUBJECT, created_at__lt=end
    ).order_by("created_at", "pk")
    for subject, kind in entries.values_list("subject", "kind").iterator(chunk_size=5000):
        if (member := _member_id(subject)) is not None:
            last[member] = STANDING[kind]
    return {member for member, good in last.items() if not good}


def _left_in(start: datetime, end: datetime) -> set[int]:
    subjects = Entry.objects.filter(
        kind="member.left", created_at__gte=start, created_at__lt=end
    ).values_list("subject", flat=True)
    return {m for m in map(_member_id, subjects) if m is not None}


def _active(start: datetime, end: datetime) -> dict[str, set[int]]:
    """For each activity, the members who did it in the month."""
    active: dict[str, set[int]] = {figure: set() for figure in ACTIVITIES}
    for figure, model, member, moment in SOURCES:
        rows = model.objects.filter(**{f"{moment}__gte": start, f"{moment}__lt": end})
        active[figure].update(rows.values_list(member, flat=True).distinct().iterator())
    return active


def _zeros() -> dict[str, int]:
    return dict.fromkeys(FIGURES, 0)


def count_month(month: date) -> tuple[dict[int, dict], dict[int, dict]]:
    """Every unit's and every body's figures for the month, from the raw rows."""
    start, end = bounds(month)
    first_day, last_day = month, next_month(month) - timedelta(days=1)
    out = _out_of_standing(end)
    left = _left_in(start, end)
    active = _active(start, end)
    units: dict[int, dict] = defaultdict(
        lambda: dict.fromkeys(("members", "joined", "left", *ACTIVITIES), 0)
    )
    home: dict[int, int] = {}
    joined_rows = Member.objects.filter(joined_at__lt=end, unit__isnull=False)
    for member, unit, joined in joined_rows.values_list("pk", "unit_id", "joined_at").iterator(
        chunk_size=20000
    ):
        home[member] = unit
        if member not in out:
            units[unit]["members"] += 1
        if joined is not None and joined >= start:
            units[unit]["joined"] += 1
    for member in left:
        if member in home:
            units[home[member]]["left"] += 1
    for figure, members in active.items():
        for member in members:
            if member in home:
                units[home[member]][figure] += 1
    bodies: dict[int, dict] = defaultdict(
        lambda: dict.fromkeys(("members", "joined", "left", *ACTIVITIES), 0)
    )
    belonged = BodyMembership.objects.filter(
        Q(until__isnull=True) | Q(until__gte=first_day), since__lte=last_day
    ).values_list("body_id", "member_id", "since", "until")
    seen: set[tuple[int, int]] = set()
    for body, member, since, until in belonged.iterator(chunk_size=20000):
        figures = bodies[body]
        if since >= first_day:
            figures["joined"] += 1
        if until is not None and until <= last_day:
            figures["left"] += 1
        if (body, member) in seen:
            continue
        seen.add((body, member))
        if until is None or until > last_day:
            figures["members"] += 1
        for figure, members in active.items():
            if member in members:
                figures[figure] += 1
    return units, bodies


@transaction.atomic
def store_month(month: date, unit_ids: Iterable[int] | None = None) -> None:
    """Replace the month's rows (all units', or only the given units') with a fresh count."""
    units, bodies = count_month(month)
    now = clock.now()
    unit_rows = UnitMonth.objects.filter(month=month)
    if unit_ids is not None:
        unit_ids = set(unit_ids)
        units = {unit: figures for unit, figures in units.items() if unit in unit_ids}
        unit_rows = unit_rows.filter(unit_id__in=unit_ids)
    unit_rows.delete()
    UnitMonth.objects.bulk_create(
        UnitMonth(unit_id=unit, month=month, computed_at=now, **figures)
        for unit, figures in units.items()
        if any(figures.values())
    )
    if unit_ids is None:
        BodyMonth.objects.filter(month=month).delete()
        BodyMonth.objects.bulk_create(
            BodyMonth(body_id=body, month=month, computed_at=now, **figures)
            for body, figures in bodies.items()
            if any(figures.values())
        )


def first_month() -> date | None:
    first = Member.objects.aggregate(first=Min("joined_at"))["first"]
    return month_of(first) if first else None


def rebuild() -> int:
    """Recount every month since the first member joined; returns how many months."""
    first = first_month()
    if first is None:
        return 0
    months = months_between(first, month_of(clock.now()))
    with transaction.atomic():
        UnitMonth.objects.exclude(month__in=months).delete()
        BodyMonth.objects.exclude(month__in=months).delete()
        StaleBucket.objects.all().delete()
        for month in months:
            store_month(month)
    return len(months)


def refresh() -> int:
    """Recount the months since the one last counted, up to the current one; then the stale."""
    newest = UnitMonth.objects.order_by("-computed_at").values_list("computed_at", flat=True)
    counted = newest.first()
    if counted is None:
        return rebuild()
    months = months_between(month_of(counted), month_of(clock.now()))
    for month in months:
        store_month(month)
    return len(months) + drain()


def drain() -> int:
    """Recount the buckets marked stale: only their units, only their months."""
    stale = list(
        StaleBucket.objects.filter(kind=StaleBucket.Kind.UNIT).values_list("pk", "key", "month")
    )
    by_month: dict[date, set[int]] = defaultdict(set)
    for _pk, unit, month in stale:
        by_month[month].add(unit)
    for month, unit_ids in sorted(by_month.items()):
        store_month(month, unit_ids)
    StaleBucket.objects.filter(pk__in=[pk for pk, _unit, _month in stale]).delete()
    return len(by_month)


def mark_stale(unit_id: int | None, since: datetime | date | None) -> None:
    """Something changed in the unit from `since` on: its buckets since then are stale."""
    if unit_id is None or since is None:
        return
    months = months_between(month_of(since), month_of(clock.now()))
    StaleBucket.objects.bulk_create(
        [StaleBucket(kind=StaleBucket.Kind.UNIT, key=unit_id, month=month) for month in months],
        ignore_conflicts=True,
    )
