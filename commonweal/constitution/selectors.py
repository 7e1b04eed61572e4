"""Reading amendments: the body that decides them, and what each one changes."""

from typing import Any

from django.db.models import Q

from commonweal.core import clock
from commonweal.organisation.models import Body
from commonweal.rulebook.diff import Change, rulebook_diff
from commonweal.rulebook.models import RulebookVersion
from commonweal.rulebook.selectors import current


def competent_body() -> Body | None:
    """The national body of the kind the rulebook names (``constitution.amended_by``)."""
    kind = current()["constitution.amended_by"]
    return (
        Body.objects.filter(kind=kind, unit__depth=1).select_related("unit").order_by("pk").first()
    )


def compared_with(version: RulebookVersion) -> RulebookVersion | None:
    """What a version is read against: the version in force while it waits or was decided,
    the one it replaced once it has been in force."""
    if version.status in (RulebookVersion.Status.IN_FORCE, RulebookVersion.Status.SUPERSEDED):
        number = version.based_on or version.number - 1
        return RulebookVersion.objects.filter(number=number).first()
    if version.status == RulebookVersion.Status.REJECTED and version.based_on:
        return RulebookVersion.objects.filter(number=version.based_on).first()
    return RulebookVersion.objects.filter(status=RulebookVersion.Status.IN_FORCE).first()


def changes(version: RulebookVersion) -> tuple[RulebookVersion | None, list[Change]]:
    other = compared_with(version)
    return other, rulebook_diff(other.rules if other else {}, version.rules)


def pending() -> RulebookVersion | None:
    """The amendment before the body, or adopted and waiting for its date (one at a time)."""
    return RulebookVersion.objects.filter(
        Q(status=RulebookVersion.Status.ADOPTED)
        | Q(status=RulebookVersion.Status.STAGED, vote_id__isnull=False)
    ).first()


def meetings_for_motion(body: Any) -> Any:
    """Meetings and e-conferences of the body an amendment can be put on the agenda of."""
    from commonweal.meetings.models import Meeting

    return (
        Meeting.objects.filter(body=body, closes_at__gt=clock.now())
        .exclude(state=Meeting.State.CLOSED)
        .order_by("opens_at")
    )
