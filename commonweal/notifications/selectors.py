from django.db.models import Q, QuerySet

from commonweal.members.models import Member
from commonweal.organisation.models import BodyMembership, Unit

from .models import Event, Notification


def recipients_of(event: Event) -> QuerySet[Member]:
    """Every active member the event concerns, as one query."""
    condition = Q(pk__in=event.member_ids)
    if event.body_ids:
        condition |= Q(
            pk__in=BodyMembership.objects.filter(body_id__in=event.body_ids, until=None).values(
                "member_id"
            )
        )
    for unit in Unit.objects.filter(pk__in=event.unit_ids):
        condition |= Q(unit__path__startswith=unit.path)
    return Member.objects.filter(condition, status=Member.Status.MEMBER, is_active=True)


def unread_count(member: Member) -> int:
    return Notification.objects.filter(recipient=member, read_at=None).count()


def notifications_for(member: Member) -> QuerySet[Notification]:
    return (
        Notification.objects.filter(recipient=member)
        .select_related("event")
        .order_by("-created_at", "-id")
    )
