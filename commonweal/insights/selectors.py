"""Which units and bodies a member may see figures for."""

from django.db.models import Q, QuerySet

from commonweal.members.models import Member
from commonweal.organisation.models import Unit
from commonweal.organisation.selectors import officer_unit_paths


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
