"""Reading the unit tree, bodies and who holds what."""

from collections.abc import Iterable, Iterator
from dataclasses import dataclass
from datetime import date, timedelta
from typing import Any

from django.db.models import Count, Exists, OuterRef, Q, QuerySet
from django.utils import timezone
from django.utils.translation import gettext as _

from commonweal.core import clock
from commonweal.core.csv_export import in_chunks, link_by_pk

from .models import Body, BodyMembership, Mandate, Unit

OFFICER_ROLES = (BodyMembership.Role.CHAIR, BodyMembership.Role.SECRETARY)


def today() -> date:
    return clock.now().date()


def unit_subtree(unit: Unit) -> QuerySet[Unit]:
    return Unit.objects.filter(path__startswith=unit.path)


def unit_ancestors_and_self(unit: Unit) -> QuerySet[Unit]:
    paths = [unit.path[: i * Unit.steplen] for i in range(1, unit.depth + 1)]
    return Unit.objects.filter(path__in=paths).order_by("depth")


def unit_tree() -> QuerySet[Unit]:
    """The whole tree in display order (path order is depth-first)."""
    return Unit.objects.order_by("path")


# Members read (and audited) per query by the members list download.
ROSTER_CHUNK = 1000
# What the list shows, and no more (no password hash, no reasons) read for thousands.
ROSTER_FIELDS = (
    "full_name",
    "status",
    "email",
    "show_email",
    "joined_at",
    "capacities",
    "skills",
    "interests",
)


def unit_roster_chunks(unit: Unit) -> Iterator[list[Any]]:
    """The members the unit's page lists, by name, a chunk per query."""
    from commonweal.members.selectors import members_of_unit

    members = members_of_unit(unit).order_by("full_name", "pk").only(*ROSTER_FIELDS)
    return in_chunks(members, size=ROSTER_CHUNK)


def unit_roster_header() -> list[str]:
    return [
        _("Name"),
        _("Email"),
        _("Joined"),
        _("Capacities"),
        _("Skills"),
        _("Interests"),
        _("Profile"),
    ]


def unit_roster_rows(chunks: Iterable[list[Any]], *, site: str) -> Iterator[list[str]]:
    """Each member as their profile page shows them to the unit's officers, who may see
    every member of the unit: the email address only where the member chose to show it."""
    profile = link_by_pk(site, "members:detail")
    for chunk in chunks:
        for member in chunk:
            yield [
                member.display_name,
                member.email if member.show_email else "",
                timezone.localdate(member.joined_at).isoformat() if member.joined_at else "",
                ", ".join(member.capacities),
                ", ".join(member.skills),
                ", ".join(member.interests),
                profile(member.pk),
            ]


def members_in_scope(unit: Unit) -> QuerySet[Any]:
    from commonweal.members.models import Member

    return Member.objects.filter(unit__path__startswith=unit.path, status=Member.Status.MEMBER)


def member_count_in_scope(unit: Unit) -> int:
    return members_in_scope(unit).count()


def unit_member_counts() -> dict[int, int]:
    """Members directly in each unit, one grouped query."""
    from commonweal.members.models import Member

    rows = (
        Member.objects.filter(status=Member.Status.MEMBER).values("unit_id").annotate(n=Count("id"))
    )
    return {row["unit_id"]: row["n"] for row in rows}


def active_memberships(**filters: Any) -> QuerySet[BodyMembership]:
    return BodyMembership.objects.filter(until=None, **filters)


def officer_memberships(*, on: date | None = None, **filters: Any) -> QuerySet[BodyMembership]:
    """Chairs and secretaries holding the role on the day: a role held by a mandate counts
    only within the mandate's dates, whether or not the clock has swept it away yet."""
    on = on or today()
    filters.setdefault("role__in", OFFICER_ROLES)
    return active_memberships(**filters).filter(
        Q(role_from=None) | Q(role_from__lte=on), Q(role_until=None) | Q(role_until__gte=on)
    )


def active_mandates(*, on: date | None = None, **filters: Any) -> QuerySet[Mandate]:
    """Mandates whose term includes the day and which have not ended early."""
    on = on or today()
    return Mandate.objects.filter(
        starts_on__lte=on, ends_on__gte=on, ended_early_on=None, **filters
    )


def bodies_of(member: Any) -> QuerySet[Body]:
    return Body.objects.filter(memberships__member=member, memberships__until=None).distinct()


def officer_body_ids(member: Any) -> set[int]:
    """Bodies in which the member chairs, is secretary, or holds a current mandate."""
    if not getattr(member, "pk", None):
        return set()
    by_role = officer_memberships(member=member).values_list("body_id", flat=True)
    by_mandate = active_mandates(holder=member).values_list("body_id", flat=True)
    return set(by_role) | set(by_mandate)


def holds_any_office(member: Any) -> bool:
    return bool(officer_body_ids(member))


def holds_office(member_field: str, *, on: date | None = None) -> Q:
    """`holds_any_office` (on the day, today by default) as a condition on the member a row
    names (`member_field`), so that a query over many members' rows answers it for each in
    the same statement."""
    member = OuterRef(member_field)
    return Q(Exists(officer_memberships(on=on, member_id=member))) | Q(
        Exists(active_mandates(on=on, holder_id=member))
    )


def officer_unit_paths(member: Any) -> list[str]:
    """Paths of the units whose assembly or leadership the member is an officer of."""
    ids = officer_body_ids(member)
    if not ids:
        return []
    return list(
        Body.objects.filter(
            pk__in=ids, kind__in=[Body.Kind.ASSEMBLY, Body.Kind.LEADERSHIP]
        ).values_list("unit__path", flat=True)
    )


def assembly_of(unit: Unit) -> Body | None:
    return Body.objects.filter(unit=unit, kind=Body.Kind.ASSEMBLY).first()


def officers_of_unit(unit: Unit) -> QuerySet[Any]:
    from commonweal.members.models import Member

    bodies = Body.objects.filter(unit=unit, kind__in=[Body.Kind.ASSEMBLY, Body.Kind.LEADERSHIP])
    return Member.objects.filter(
        Q(pk__in=officer_memberships(body__in=bodies).values("member_id"))
        | Q(pk__in=active_mandates(body__in=bodies).values("holder_id"))
    )


def officers_above(unit: Unit) -> QuerySet[Any]:
    """Whom what is overdue in a unit (or one of its bodies) is escalated to: the officers
    of the unit above it, or for the nation its own officers, as nobody is above them."""
    parent = Unit.objects.filter(path=unit.path[: -Unit.steplen]).first()
    return officers_of_unit(parent if unit.depth > 1 and parent else unit)


def officer_ids_of_body(body: Body) -> list[int]:
    """The body's chair and secretary, and whoever holds a current mandate in it."""
    by_role = officer_memberships(body=body).values_list("member_id", flat=True)
    by_mandate = active_mandates(body=body).values_list("holder_id", flat=True)
    return sorted(set(by_role) | set(by_mandate))


def body_member_count(body: Body) -> int:
    return active_memberships(body=body).count()


BODY_MEMBERS_PAGE = 50
# Candidates read from the body's index per step, and steps per page at most: a page stops
# early (with a link onwards) rather than read a whole assembly for a viewer who may see few.
BODY_MEMBERS_STEP = 100
BODY_MEMBERS_STEPS = 20


@dataclass
class BodyMembersPage:
    members: list[BodyMembership]
    not_shown: int
    next_after: int | None


def body_members_visible(body: Body, viewer: Any, *, after: int = 0) -> BodyMembersPage:
    """A page of a body's plain members whose profile the viewer may see, after member id `after`.

    Counting everyone visible would read every member row of the organisation (the choice of
    who may see a profile is on the member, not in the body's index), so the page walks the
    body's own index a step at a time and checks each step against the members' choices: a
    page costs the same in a branch of twenty as in an assembly of a hundred thousand.
    `not_shown` counts those passed over in this page's stretch of the list.
    """
    from commonweal.members.models import Member
    from commonweal.members.selectors import profiles_visible_to

    visible = Member.objects.filter(profiles_visible_to(viewer))
    shown: list[int] = []
    not_shown = 0
    cursor = after
    for _step in range(BODY_MEMBERS_STEPS):
        candidates = list(
            active_memberships(body=body, role=BodyMembership.Role.MEMBER, member_id__gt=cursor)
            .order_by("member_id")
            .values_list("member_id", flat=True)[:BODY_MEMBERS_STEP]
        )
        seen = set(visible.filter(pk__in=candidates).values_list("pk", flat=True))
        for member_id in candidates:
            if member_id in seen:
                if len(shown) == BODY_MEMBERS_PAGE:
                    return BodyMembersPage(_memberships(body, shown), not_shown, cursor)
                shown.append(member_id)
            else:
                not_shown += 1
            cursor = member_id
        if len(candidates) < BODY_MEMBERS_STEP:
            return BodyMembersPage(_memberships(body, shown), not_shown, None)
    return BodyMembersPage(_memberships(body, shown), not_shown, cursor)


def _memberships(body: Body, member_ids: list[int]) -> list[BodyMembership]:
    if not member_ids:
        return []
    return list(
        active_memberships(body=body, role=BodyMembership.Role.MEMBER, member_id__in=member_ids)
        .select_related("member")
        .order_by("member_id")
    )


@dataclass
class Office:
    name: str
    last_holder: Any
    ended_on: date


def body_offices_ahead(body: Body) -> dict[str, Any]:
    """What the body must fill: offices whose last term is over and nobody holds them now
    (vacancies), and current terms ending within the rulebook's notice (elections due)."""
    from commonweal.rulebook.selectors import current

    on = today()
    notice = current()["offices.expiry_notice_days"]
    current_mandates = active_mandates(body=body)
    held = {m.office.casefold() for m in current_mandates}
    vacancies: dict[str, Office] = {}
    for mandate in (
        Mandate.objects.filter(body=body, starts_on__lte=on)
        .exclude(pk__in=current_mandates.values("pk"))
        .select_related("holder")
        .order_by("-ends_on")[:200]
    ):
        key = mandate.office.casefold()
        if key not in held and key not in vacancies:
            ended = mandate.ended_early_on or mandate.ends_on
            vacancies[key] = Office(mandate.office, mandate.holder, ended)
    return {
        "vacancies": sorted(vacancies.values(), key=lambda office: office.name),
        "terms_ending": current_mandates.filter(ends_on__lte=on + timedelta(days=notice))
        .select_related("holder")
        .order_by("ends_on"),
    }


def body_page(body: Body) -> dict[str, Any]:
    return {
        **body_offices_ahead(body),
        "officers": officer_memberships(body=body)
        .select_related("member")
        .order_by("role", "member__full_name"),
        # A branch assembly can hold tens of thousands: page through them in the order of
        # the body's own index, never sorting them all by name.
        "members": active_memberships(body=body, role=BodyMembership.Role.MEMBER)
        .select_related("member")
        .order_by("member_id"),
        "mandates": active_mandates(body=body).select_related("holder", "decision"),
        "past_mandates": Mandate.objects.filter(body=body)
        .exclude(pk__in=active_mandates(body=body).values("pk"))
        .select_related("holder")[:20],
        "referrals_received": body.referrals_received.select_related("from_body")[:20],
        "referrals_sent": body.referrals_sent.select_related("to_body")[:20],
    }
