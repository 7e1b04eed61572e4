"""Reads: who organises where, which unit a postcode or place belongs to, the actions a
viewer may see or run, and the public numbers."""

import re
from typing import Any

from django.db.models import Count, Q, QuerySet

from commonweal.organisation.models import Body, BodyMembership, Unit
from commonweal.organisation.selectors import officer_unit_paths

from .models import ActionPage, Signup, UnitPlace

# A British postcode: its outward code (area letters and district) and inward code.
UK_POSTCODE = re.compile(r"^([A-Z]{1,2})([0-9][0-9A-Z]?)\s*([0-9][A-Z]{2})$")


def officer_paths(member: Any) -> list[str]:
    return officer_unit_paths(member) if getattr(member, "is_authenticated", False) else []


def organiser_bodies(member: Any) -> QuerySet[Body]:
    """The open bodies the rulebook names to organise actions that the member belongs to."""
    from commonweal.rulebook.selectors import current

    if not getattr(member, "is_authenticated", False):
        return Body.objects.none()
    slugs = current()["mobilisation.organised_by"]
    return Body.objects.filter(
        slug__in=slugs,
        closed_on=None,
        pk__in=BodyMembership.objects.filter(member=member, until=None).values("body_id"),
    ).select_related("unit")


def organiser_paths(member: Any) -> list[str]:
    return [body.unit.path for body in organiser_bodies(member)]


def organised_units(member: Any) -> QuerySet[Unit]:
    """Open units the member may run actions in (their scopes, and every unit below)."""
    paths = officer_paths(member) + organiser_paths(member)
    if not paths:
        return Unit.objects.none()
    scope = Q()
    for path in paths:
        scope |= Q(path__startswith=path)
    return Unit.objects.filter(scope, closed_on=None).order_by("path")


def place_units(member: Any) -> QuerySet[Unit]:
    """Open units whose postcode areas and places the member keeps (as their officer)."""
    paths = officer_paths(member)
    if not paths:
        return Unit.objects.none()
    scope = Q()
    for path in paths:
        scope |= Q(path__startswith=path)
    return Unit.objects.filter(scope, closed_on=None).order_by("path")


def actions_organised(member: Any) -> QuerySet[ActionPage]:
    """Every action (any status) in the units the member may run actions in."""
    paths = officer_paths(member) + organiser_paths(member)
    if not paths:
        return ActionPage.objects.none()
    scope = Q()
    for path in paths:
        scope |= Q(unit__path__startswith=path)
    return ActionPage.objects.filter(scope).select_related("unit", "body")


def public_actions() -> QuerySet[ActionPage]:
    return ActionPage.objects.filter(status=ActionPage.Status.OPEN).select_related("unit")


def public_action(slug: str) -> ActionPage | None:
    """An open or closed action (a closed one still shows its numbers); drafts are not public."""
    return (
        ActionPage.objects.filter(slug=slug)
        .exclude(status=ActionPage.Status.DRAFT)
        .select_related("unit", "body", "struggle")
        .prefetch_related("shifts")
        .first()
    )


# How long a public page's action (and so its counter) may be this old.
PUBLIC_SECONDS = 5


def public_action_cached(slug: str) -> ActionPage | None:
    """`public_action`, remembered a few seconds under the public pages' generation (moved
    on when an action opens, changes or closes), so a burst of visitors costs one query
    every few seconds; the counter is at most that old."""
    from django.core.cache import cache

    from commonweal.core.public_pages import cache_generation

    key = f"mobilisation:action:{cache_generation()}:{slug}"
    found = cache.get(key)
    if found is None:
        action = public_action(slug)
        if action is not None:
            list(action.shifts.all())  # fetched now, so the cached copy carries them
        found = action or ""  # "" remembers that no such action is open
        cache.set(key, found, PUBLIC_SECONDS)
    return found or None


def confirmed_signups(action: ActionPage) -> QuerySet[Signup]:
    return action.signups.filter(confirmed_at__isnull=False)


def recount(action: ActionPage) -> int:
    """The confirmed sign-ups counted from the rows (the counter's check)."""
    return confirmed_signups(action).count()


def shift_taken(shift: Any) -> int:
    return shift.signups.filter(confirmed_at__isnull=False).count()


def normalise_postcode(value: str) -> str:
    return re.sub(r"\s+", "", (value or "").upper())


def normalise_place(value: str) -> str:
    return " ".join((value or "").lower().split())


def postcode_areas(postcode: str) -> list[str]:
    """What a postcode may be listed under, most precise first: the whole postcode, its
    district ("LS6") and its area ("LS"). A postcode of another form is tried whole."""
    code = normalise_postcode(postcode)
    if not code:
        return []
    match = UK_POSTCODE.match(code)
    if not match:
        return [code]
    area, district, _inward = match.groups()
    return [code, area + district, area]


def match_unit(*, postcode: str = "", place: str = "") -> Unit | None:
    """The open unit a signer belongs to by the most precise postcode area the officers
    listed, else by the place they gave; None when nobody listed either."""
    areas = postcode_areas(postcode)
    if areas:
        listed = {
            row.value: row.unit
            for row in UnitPlace.objects.filter(
                kind=UnitPlace.Kind.POSTCODE, value__in=areas, unit__closed_on=None
            ).select_related("unit")
        }
        for area in areas:
            if area in listed:
                return listed[area]
    name = normalise_place(place)
    if name:
        row = (
            UnitPlace.objects.filter(kind=UnitPlace.Kind.PLACE, value=name, unit__closed_on=None)
            .select_related("unit")
            .first()
        )
        if row is not None:
            return row.unit
    return None


def places_of(units: QuerySet[Unit]) -> QuerySet[UnitPlace]:
    return (
        UnitPlace.objects.filter(unit__in=units)
        .select_related("unit")
        .order_by("unit__path", "kind", "value")
    )


def consented(action: ActionPage, purpose: str) -> QuerySet[Signup]:
    """Confirmed signers of the action who gave `purpose` and have not withdrawn it: the
    only ones a message for that purpose may reach."""
    return confirmed_signups(action).filter(
        erased_at=None,
        consents__purpose=purpose,
        consents__withdrawn_at=None,
    )


def signups_by_unit(action: ActionPage) -> list[dict[str, Any]]:
    rows = (
        confirmed_signups(action)
        .values("unit_id", "unit__name")
        .annotate(n=Count("pk"))
        .order_by("-n", "unit__name")
    )
    return [{"unit_id": r["unit_id"], "unit": r["unit__name"], "count": r["n"]} for r in rows]


def signer_export(signup: Signup) -> dict[str, Any]:
    """What is held about one signer, for them (by their emailed link)."""
    return {
        "action": signup.action.title,
        "name": signup.name,
        "email": signup.email,
        "postcode": signup.postcode,
        "place": signup.place,
        "phone": signup.phone,
        "unit": signup.unit.name if signup.unit else None,
        "role": signup.shift.role if signup.shift else None,
        "signed_at": signup.created_at.isoformat(),
        "confirmed_at": signup.confirmed_at.isoformat() if signup.confirmed_at else None,
        "attended_at": signup.attended_at.isoformat() if signup.attended_at else None,
        "consents": [
            {
                "purpose": c.purpose,
                "wording": c.wording,
                "version": c.version,
                "given_at": c.given_at.isoformat(),
                "withdrawn_at": c.withdrawn_at.isoformat() if c.withdrawn_at else None,
            }
            for c in signup.consents.order_by("purpose")
        ],
    }


def member_signups(member: Any) -> QuerySet[Signup]:
    """A member's sign-ups: made signed in, or with their email address."""
    query = Q(member=member)
    if member.email:
        query |= Q(email__iexact=member.email)
    return Signup.objects.filter(query).select_related("action", "unit", "shift")


def member_export(member: Any) -> dict[str, Any]:
    return {"signups": [signer_export(s) for s in member_signups(member)]}
