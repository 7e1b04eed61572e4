"""The unit tree: units are created, renamed, merged and closed; their history stays."""

from typing import Any

from django.db import transaction
from django.utils.translation import gettext as _

from commonweal.core import clock
from commonweal.core.errors import Conflict, NotPermitted, Refused
from commonweal.core.markdown import clean_plain
from commonweal.notifications.services import notify
from commonweal.record.services import record_append

from .. import closing
from ..models import Body, BodyMembership, Unit
from ..selectors import assembly_of, officers_of_unit
from ._common import _unique_slug, text_hash
from .bodies import _body_ends


def _officer_ids(*units: Unit | None) -> list[int]:
    ids: set[int] = set()
    for unit in units:
        if unit is not None:
            ids.update(officers_of_unit(unit).values_list("pk", flat=True))
    return sorted(ids)


def unit_create(
    *,
    name: str,
    kind: str,
    parent: Unit | None = None,
    slug: str | None = None,
    created_by: Any = None,
) -> Unit:
    """Create a unit with its assembly, the body all its members belong to."""
    if created_by is not None and not created_by.has_perm("organisation.add_unit", parent):
        raise NotPermitted(
            _("Only those the rulebook lets change the structure may add a unit here.")
        )
    name = clean_plain(name)
    if not name:
        raise Refused(_("A unit needs a name."), field="name")
    if kind not in Unit.Kind.values:
        raise Refused(_("Unknown kind of unit: %(kind)s.") % {"kind": kind}, field="kind")
    if parent is not None:
        if parent.closed_on:
            raise Refused(_("%(unit)s is closed.") % {"unit": parent.name}, field="parent")
        if parent.is_basic:
            raise Refused(_("A branch has no units below it."), field="parent")
        if kind == Unit.Kind.NATIONAL:
            raise Refused(_("A national unit is at the top of the tree."), field="kind")
    with transaction.atomic():
        fields = {"name": name, "kind": kind, "slug": slug or _unique_slug(Unit, name)}
        unit = Unit.objects.add_child(parent, fields) if parent else Unit.objects.add_root(fields)
        Body.objects.create(
            name=_("%(unit)s assembly") % {"unit": name},
            slug=_unique_slug(Body, f"{name} assembly"),
            kind=Body.Kind.ASSEMBLY,
            unit=unit,
        )
        record_append(
            kind="unit.created",
            subject=unit,
            actor=created_by,
            payload={"kind": kind, "parent": getattr(parent, "pk", None)},
        )
        if created_by is not None:
            notify(
                kind="unit.created",
                title=_("New unit: %(unit)s") % {"unit": name},
                link=f"/organisation/units/{unit.slug}/",
                members=_officer_ids(parent),
                actor=created_by,
            )
    return unit


def unit_rename(*, unit: Unit, name: str, renamed_by: Any) -> Unit:
    """A new name for a unit (and for its assembly); its address and history stay."""
    if not renamed_by.has_perm("organisation.change_unit", unit):
        raise NotPermitted(_("Only those the rulebook lets change the structure may rename it."))
    name = clean_plain(name)
    if not name:
        raise Refused(_("A unit needs a name."), field="name")
    with transaction.atomic():
        unit = Unit.objects.select_for_update().get(pk=unit.pk)
        if unit.closed_on:
            raise Conflict(_("A closed unit keeps the name it closed with."))
        if name == unit.name:
            raise Refused(_("That is already its name."), field="name")
        old = unit.name
        unit.name = name
        unit.save(update_fields=["name"])
        assembly = assembly_of(unit)
        if assembly is not None and assembly.name == _("%(unit)s assembly") % {"unit": old}:
            assembly.name = _("%(unit)s assembly") % {"unit": name}
            assembly.save(update_fields=["name"])
        record_append(
            kind="unit.renamed",
            subject=unit,
            actor=renamed_by,
            payload={"old_name_sha256": text_hash(old), "name_sha256": text_hash(name)},
        )
        notify(
            kind="unit.renamed",
            title=_("%(old)s is now called %(new)s") % {"old": old, "new": name},
            link=f"/organisation/units/{unit.slug}/",
            bodies=[assembly] if assembly else [],
            members=_officer_ids(Unit.objects.get_parent(unit)),
            actor=renamed_by,
        )
    return unit


def unit_close(*, unit: Unit, members_to: Unit | None, closed_by: Any) -> Unit:
    """Close a unit: its members (and pending applications) move to `members_to`, its bodies
    close. Rows stay: memberships and mandates end with a date, the unit is marked closed."""
    return _close(unit=unit, target=members_to, actor=closed_by, merge=False)


def unit_merge(*, unit: Unit, into: Unit, merged_by: Any) -> Unit:
    """Merge a unit into another: as closing, but its departments, sections and other bodies
    carry on in `into`, with their members and mandates."""
    return _close(unit=unit, target=into, actor=merged_by, merge=True)


def _close(*, unit: Unit, target: Unit | None, actor: Any, merge: bool) -> Unit:
    from commonweal.members.models import Member, MembershipApplication

    if not actor.has_perm("organisation.change_unit", unit):
        raise NotPermitted(
            _("Only those the rulebook lets change the structure may close or merge this unit.")
        )
    field = "into" if merge else "members_to"
    today = clock.now().date()
    with transaction.atomic():
        unit = Unit.objects.select_for_update().get(pk=unit.pk)
        if unit.closed_on:
            raise Conflict(_("This unit is already closed."))
        if Unit.objects.get_children(unit).filter(closed_on=None).exists():
            raise Refused(_("Close or merge the units below it first."))
        members = Member.objects.filter(unit=unit)
        pending = MembershipApplication.objects.filter(
            unit=unit, status=MembershipApplication.Status.PENDING
        )
        if target is None and (merge or members.exists() or pending.exists()):
            raise Refused(_("Choose the unit its members move to."), field=field)
        if target is not None:
            target = Unit.objects.select_for_update().get(pk=target.pk)
            if target.closed_on or target.path.startswith(unit.path):
                raise Refused(_("Choose an open unit outside the one that closes."), field=field)
            if target.kind != unit.kind:
                raise Refused(
                    _("Its members move to another %(kind)s.") % {"kind": unit.get_kind_display()},
                    field=field,
                )
            if not actor.has_perm("organisation.add_unit", target):
                raise NotPermitted(
                    _("You may not move members into %(unit)s.") % {"unit": target.name},
                    field=field,
                )
        bodies = list(Body.objects.select_for_update().filter(unit=unit, closed_on=None))
        closing_bodies = [b for b in bodies if not merge or b.kind == Body.Kind.ASSEMBLY]
        if problems := closing.obstacles(b.pk for b in closing_bodies):
            raise Conflict(" ".join(problems))
        moved = list(members.values_list("pk", flat=True))
        members.update(unit=target)
        pending.update(unit=target)
        if target is not None:
            _join_assembly(target, moved, today)
        for body in closing_bodies:
            _body_ends(body, today, reason=_("the unit closed"))
        if merge:
            Body.objects.filter(pk__in=[b.pk for b in bodies if b not in closing_bodies]).update(
                unit=target
            )
        unit.closed_on = today
        unit.save(update_fields=["closed_on"])
        record_append(
            kind="unit.merged" if merge else "unit.closed",
            subject=unit,
            actor=actor,
            payload={
                "members_to": getattr(target, "pk", None),
                "members_moved": len(moved),
                "bodies_closed": sorted(b.pk for b in closing_bodies),
                "bodies_moved": sorted(b.pk for b in bodies if b not in closing_bodies),
            },
        )
        if moved and target is not None:  # members to move needed a target (refused above)
            notify(
                kind="unit.closed",
                title=_("%(old)s has closed: you now belong to %(new)s")
                % {"old": unit.name, "new": target.name},
                link=f"/organisation/units/{target.slug}/",
                members=moved,
                actor=actor,
            )
        notify(
            kind="unit.closed",
            title=(_("%(old)s has merged into %(new)s") if merge else _("%(old)s has closed"))
            % {"old": unit.name, "new": getattr(target, "name", "")},
            link=f"/organisation/units/{unit.slug}/",
            members=_officer_ids(Unit.objects.get_parent(unit), target),
            actor=actor,
        )
    return unit


def _join_assembly(unit: Unit, member_ids: list[int], today) -> None:
    from commonweal.members.models import Member

    assembly = assembly_of(unit)
    if assembly is None or not member_ids:
        return
    already = set(
        BodyMembership.objects.filter(
            body=assembly, member_id__in=member_ids, until=None
        ).values_list("member_id", flat=True)
    )
    in_good_standing = Member.objects.filter(
        pk__in=member_ids, status=Member.Status.MEMBER
    ).values_list("pk", flat=True)
    BodyMembership.objects.bulk_create(
        BodyMembership(body=assembly, member_id=pk, since=today)
        for pk in in_good_standing
        if pk not in already
    )
