"""Changes dated in an older month mark their buckets stale; the rest is the sweep's.

Receivers on the other apps' models, so no lower app needs to know this one exists. Most
rows are dated now and counted by the next `refresh()`; only these change past months.
"""

from django.db.models.signals import post_save, pre_save
from django.dispatch import receiver

from commonweal.members.models import Member, MemberImport

from .aggregates import mark_stale


@receiver(pre_save, sender=Member)
def member_moved_or_redated(sender, instance: Member, update_fields=None, **kwargs) -> None:
    """A member moved to another unit, or their joining date changed: both units' months."""
    if instance.pk is None:
        mark_stale(instance.unit_id, instance.joined_at)
        return
    if update_fields is not None and not {"unit", "joined_at"} & set(update_fields):
        return
    before = Member.objects.filter(pk=instance.pk).values("unit_id", "joined_at").first()
    if before is None or (before["unit_id"], before["joined_at"]) == (
        instance.unit_id,
        instance.joined_at,
    ):
        return
    dates = [d for d in (before["joined_at"], instance.joined_at) if d is not None]
    since = min(dates) if dates else None
    mark_stale(before["unit_id"], since)
    mark_stale(instance.unit_id, since)


@receiver(post_save, sender=MemberImport)
def members_imported(sender, instance: MemberImport, **kwargs) -> None:
    """An imported list brings members with their own (often old) dates of joining."""
    if instance.status != MemberImport.Status.DONE:
        return
    imported = Member.objects.filter(
        date_joined__gte=instance.created_at, joined_at__isnull=False, unit__isnull=False
    ).values_list("unit_id", "joined_at")
    earliest: dict[int, object] = {}
    for unit, joined in imported.iterator():
        earliest[unit] = min(earliest.get(unit, joined), joined)
    for unit, joined in earliest.items():
        mark_stale(unit, joined)
