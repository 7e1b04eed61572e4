"""What awaits a member: each process app says what its steps ask of them.

Members sits below the process apps and never imports them: each registers a provider in
its `AppConfig.ready()` (`register(provider)`), a function of a `Seeker` that returns the
`Need`s its own selectors find. The home page lists them nearest deadline first; the
navigation shows how many fall under each link, kept a minute per member: a page reads
them from the cache, and when they are not there the menu asks for them after the page
has loaded (`views.need_counts`, htmx), so no page waits on every app.
"""

from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from datetime import date, datetime, time, timedelta
from typing import Any

from django.core.cache import cache
from django.utils import timezone

from commonweal.core import clock
from commonweal.organisation.models import Unit
from commonweal.organisation.selectors import active_memberships, officer_body_ids

# Items of one kind listed before the rest are summed into one line: a national officer
# with 400 applications waiting gets ten and "390 more", at the cost of one count query.
SHOWN = 10
# The navigation's counts are read again after this long (or when the home page is shown).
NAV_SECONDS = 60
HOME_NAV = "members:home"


@dataclass(frozen=True)
class Need:
    """One thing that awaits the member, or (`count` > 1) several of a kind in one line.

    `nav` is the url name of the navigation link it counts under; `overview` marks an
    organisation-wide figure shown to national officers, which no link counts.
    """

    kind: str
    title: str
    url: str
    nav: str
    due: datetime | None = None
    detail: str = ""
    count: int = 1
    overview: bool = False

    @property
    def overdue(self) -> bool:
        return self.due is not None and self.due < clock.now()


@dataclass
class Seeker:
    """The member the needs are sought for, with what every provider asks about them
    read once: the bodies they sit in and hold office in, and the units they are an
    officer of (and whether one is the nation)."""

    member: Any
    now: datetime
    body_ids: set[int] = field(default_factory=set)
    officer_body_ids: set[int] = field(default_factory=set)
    officer_unit_paths: list[str] = field(default_factory=list)

    @property
    def unit_line(self) -> list[str]:
        """Paths of the member's unit and every unit above it."""
        unit = self.member.unit
        if unit is None:
            return []
        return [unit.path[: i * Unit.steplen] for i in range(1, unit.depth + 1)]

    @property
    def national(self) -> bool:
        return any(len(path) == Unit.steplen for path in self.officer_unit_paths)


Provider = Callable[[Seeker], list[Need]]
_providers: list[Provider] = []


def register(provider: Provider) -> None:
    """Add an app's provider (from its AppConfig.ready); registering twice adds it once."""
    if provider not in _providers:
        _providers.append(provider)


def seeker_for(member: Any) -> Seeker:
    from commonweal.organisation.models import Body

    offices = officer_body_ids(member)
    paths = (
        list(
            Body.objects.filter(
                pk__in=offices, kind__in=[Body.Kind.ASSEMBLY, Body.Kind.LEADERSHIP]
            ).values_list("unit__path", flat=True)
        )
        if offices
        else []
    )
    return Seeker(
        member=member,
        now=clock.now(),
        body_ids=set(active_memberships(member=member).values_list("body_id", flat=True)),
        officer_body_ids=offices,
        officer_unit_paths=paths,
    )


def needs_of(member: Any) -> list[Need]:
    """Everything that awaits the member, nearest deadline first (overdue first of all,
    those without a deadline last). A member not in good standing acts on nothing."""
    if not getattr(member, "is_member", False):
        return []
    seeker = seeker_for(member)
    needs = [need for provider in _providers for need in provider(seeker)]
    far = datetime.max.replace(tzinfo=timezone.get_current_timezone())
    needs.sort(key=lambda need: (need.overview, need.due or far, need.title))
    _remember_counts(member, needs)
    return needs


def nav_counts_of(needs: Iterable[Need]) -> dict[str, int]:
    """How many needs each navigation link counts; the home link counts them all."""
    counts: dict[str, int] = {}
    for need in needs:
        if need.overview:
            continue
        counts[need.nav] = counts.get(need.nav, 0) + need.count
        if need.nav != HOME_NAV:
            counts[HOME_NAV] = counts.get(HOME_NAV, 0) + need.count
    return counts


def _cache_key(member_id: int) -> str:
    return f"needs:nav:{member_id}"


def _remember_counts(member: Any, needs: list[Need]) -> None:
    cache.set(_cache_key(member.pk), nav_counts_of(needs), NAV_SECONDS)


def forget(member_id: int | None) -> None:
    """Read the member's counts afresh on their next page (after they acted)."""
    if member_id is not None:
        cache.delete(_cache_key(member_id))


def forget_actor(sender: Any, instance: Any, created: bool, **kwargs: Any) -> None:
    """Whatever a member does goes on the record: their counts are read again after it."""
    if created:
        forget(getattr(instance, "actor_id", None))


def remembered_counts(member: Any) -> dict[str, int] | None:
    """The navigation's counts as last sought for the member (within the last minute), or
    None: one cache read, whatever the page."""
    if not getattr(member, "is_member", False):
        return {}
    return cache.get(_cache_key(member.pk))


def nav_counts(member: Any) -> dict[str, int]:
    """The navigation's counts for the member, sought afresh if none are remembered."""
    counts = remembered_counts(member)
    return nav_counts_of(needs_of(member)) if counts is None else counts


def day_end(day: date) -> datetime:
    """A deadline given as a day ends when that day does."""
    return timezone.make_aware(datetime.combine(day + timedelta(days=1), time.min))


def listed(rows: Any, make: Callable[[Any], Need], more: Callable[[int], Need]) -> list[Need]:
    """Needs for the first `SHOWN` rows of a query in order of urgency, and one line
    counting the rest, so a provider costs the same whatever their number."""
    first = list(rows[: SHOWN + 1])
    needs = [make(row) for row in first[:SHOWN]]
    if len(first) > SHOWN:
        needs.append(more(rows.count() - SHOWN))
    return needs
