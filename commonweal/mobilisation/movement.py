"""The public "movement" page's numbers: how many answered, by region, and how the
membership grew. Counts only: no name, no unit smaller than a region, nothing personal."""

from collections import defaultdict
from typing import Any

from django.db.models import Count
from django.db.models.functions import TruncMonth
from django.utils.translation import gettext as _

from commonweal.organisation.models import Unit

from .models import ActionPage, Signup

SIGNED = (ActionPage.Kind.PETITION, ActionPage.Kind.APPEAL)
EVENTS = (ActionPage.Kind.EVENT, ActionPage.Kind.DEMONSTRATION)


def _region_of(path: str, regions: list[Unit]) -> Unit | None:
    for region in regions:
        if path.startswith(region.path):
            return region
    return None


def totals_by_region() -> dict[str, Any]:
    """Signatures, pledges and people present at events, across open and closed actions,
    by the region of the unit that ran each action (actions above any region: "national")."""
    regions = sorted(Unit.objects.filter(kind=Unit.Kind.REGION), key=lambda unit: -len(unit.path))
    public = ActionPage.objects.exclude(status=ActionPage.Status.DRAFT)
    present = dict(
        Signup.objects.filter(action__in=public, attended_at__isnull=False)
        .values_list("action_id")
        .annotate(n=Count("pk"))
        .values_list("action_id", "n")
    )
    rows: dict[str, dict[str, int]] = defaultdict(
        lambda: {"signatures": 0, "pledges": 0, "present": 0}
    )
    for action in public.values("pk", "kind", "confirmed_count", "unit__path"):
        region = _region_of(action["unit__path"], regions)
        row = rows[region.name if region else _("national")]
        if action["kind"] in SIGNED:
            row["signatures"] += action["confirmed_count"]
        elif action["kind"] == ActionPage.Kind.PLEDGE:
            row["pledges"] += action["confirmed_count"]
        elif action["kind"] in EVENTS:
            row["present"] += present.get(action["pk"], 0)
    table = [{"region": name, **figures} for name, figures in sorted(rows.items())]
    total = {key: sum(row[key] for row in table) for key in ("signatures", "pledges", "present")}
    return {
        "regions": table,
        "total": total,
        "open_actions": public.filter(status=ActionPage.Status.OPEN).count(),
    }


def membership_growth() -> list[tuple[str, int]]:
    """How many people have joined the organisation, counted up month by month (everyone
    admitted, including those who left since: the growth, not today's roll)."""
    from commonweal.members.models import Member

    rows = (
        Member.objects.filter(joined_at__isnull=False)
        .annotate(month=TruncMonth("joined_at"))
        .values("month")
        .annotate(n=Count("pk"))
        .order_by("month")
    )
    total, out = 0, []
    for row in rows:
        total += row["n"]
        out.append((row["month"].strftime("%Y-%m"), total))
    return out
