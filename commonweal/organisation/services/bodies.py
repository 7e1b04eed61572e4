"""Bodies and who belongs to them."""

from datetime import date
from typing import Any

from django.db import IntegrityError, transaction
from django.utils.translation import gettext as _

from commonweal.core import clock
from commonweal.core.errors import Conflict, NotPermitted, Refused
from commonweal.core.markdown import clean_plain
from commonweal.notifications.services import notify
from commonweal.record.services import record_append

from .. import closing
from ..models import Body, BodyMembership, Mandate, Unit
from ..selectors import active_mandates, officer_memberships, officers_of_unit
from ._common import _unique_slug


def body_create(
    *,
    name: str,
    kind: str,
    unit: Unit,
    subject: str = "",
    description: str = "",
    created_by: Any = None,
) -> Body:
    """A leadership, department, policy section or conference in a unit (each unit has its
    assembly from the start)."""
    if created_by is not None and not created_by.has_perm(
        "organisation.change_body", Body(unit=unit)
    ):
        raise NotPermitted(
            _("Only those the rulebook lets change the structure may create a body here.")
        )
    name = clean_plain(name)
    if not name:
        raise Refused(_("A body needs a name."), field="name")
    if kind not in Body.Kind.values or kind == Body.Kind.ASSEMBLY:
        raise Refused(_("Unknown kind of body: %(kind)s.") % {"kind": kind}, field="kind")
    if unit.closed_on:
        raise Refused(_("%(unit)s is closed.") % {"unit": unit.name}, field="unit")
    with transaction.atomic():
        body = Body.objects.create(
            name=name,
            slug=_unique_slug(Body, name),
            kind=kind,
            unit=unit,
            subject=clean_plain(subject),
            description=description,
        )
        record_append(
            kind="body.created",
            subject=body,
            actor=created_by,
            payload={"kind": kind, "unit": unit.pk},
        )
        if created_by is not None:
            notify(
                kind="body.created",
                title=_("New body in %(unit)s: %(body)s") % {"unit": unit.name, "body": name},
                link=f"/organisation/bodies/{body.slug}/",
                members=officers_of_unit(unit).values_list("pk", flat=True),
                actor=created_by,
            )
    return body


def body_close(*, body: Body, closed_by: Any) -> Body:
    """Close a body: its memberships and current mandates end today; the body, its members'
    history and its decisions stay. An assembly closes only with its unit."""
    if not closed_by.has_perm("organisation.change_body", body):
        raise NotPermitted(
            _("Only those the rulebook lets change the structure may close this body.")
        )
    if body.kind == Body.Kind.ASSEMBLY:
        raise Refused(_("A unit's assembly closes only with its unit."))
    today = clock.now().date()
    with transaction.atomic():
        body = Body.objects.select_for_update().get(pk=body.pk)
        if body.closed_on:
            raise Conflict(_("This body is already closed."))
        if problems := closing.obstacles([body.pk]):
            raise Conflict(" ".join(problems))
        member_ids = _body_ends(body, today, reason=_("the body closed"))
        record_append(
            kind="body.closed", subject=body, actor=closed_by, payload={"members": len(member_ids)}
        )
        notify(
            kind="body.closed",
            title=_("%(body)s has closed") % {"body": body.name},
            link=f"/organisation/bodies/{body.slug}/",
            members=member_ids,
            actor=closed_by,
        )
    return body


def body_membership_add(
    *,
    body: Body,
    member: Any,
    role: str = BodyMembership.Role.MEMBER,
    since: date | None = None,
    added_by: Any = None,
) -> BodyMembership:
    """A member joins a body. An officer adding someone gives plain membership: the chair and
    secretary hold office by a mandate (election or appointment), which has a term."""
    if added_by is not None and not added_by.has_perm("organisation.manage_body", body):
        raise NotPermitted(_("Only the body's officers may add members to it."))
    if role not in BodyMembership.Role.values:
        raise Refused(_("Unknown role: %(role)s.") % {"role": role}, field="role")
    if added_by is not None and role != BodyMembership.Role.MEMBER:
        raise Refused(
            _("A chair or secretary holds office by election or appointment, for a term."),
            field="role",
        )
    if not member.is_member:
        raise Refused(_("Only members in good standing can belong to a body."), field="member")
    if body.closed_on:
        raise Refused(_("This body is closed."))
    try:
        with transaction.atomic():
            membership = BodyMembership.objects.create(
                body=body, member=member, role=role, since=since or clock.now().date()
            )
            record_append(
                kind="body.member_added",
                subject=body,
                actor=added_by,
                payload={"member": member.pk, "role": role},
            )
            if added_by is not None:
                notify(
                    kind="body.member_added",
                    title=_("You now belong to %(body)s") % {"body": body.name},
                    link=f"/organisation/bodies/{body.slug}/",
                    members=[member],
                    actor=added_by,
                )
    except IntegrityError as exc:
        raise Conflict(
            _("%(member)s already belongs to %(body)s.") % {"member": member, "body": body}
        ) from exc
    return membership


def body_membership_end(*, membership: BodyMembership, ended_by: Any = None) -> None:
    if ended_by is not None and not ended_by.has_perm("organisation.manage_body", membership.body):
        raise NotPermitted(_("Only the body's officers may remove members from it."))
    body = membership.body
    with transaction.atomic():
        membership = BodyMembership.objects.select_for_update().get(pk=membership.pk)
        if membership.until is not None:
            raise Conflict(_("This member has already left the body."))
        if active_mandates(body=body, holder=membership.member_id).exists():
            raise Refused(
                _("They hold an office in this body: end their mandate first."), field="member"
            )
        chairs = officer_memberships(body=body, role=BodyMembership.Role.CHAIR)
        if list(chairs.values_list("member_id", flat=True)) == [membership.member_id]:
            raise Refused(
                _("They are the body's only chair: give it another chair first."), field="member"
            )
        membership.until = clock.now().date()
        membership.save(update_fields=["until"])
        record_append(
            kind="body.member_removed",
            subject=body,
            actor=ended_by,
            payload={"member": membership.member_id},
        )
        if ended_by is not None:
            notify(
                kind="body.member_removed",
                title=_("You no longer belong to %(body)s") % {"body": body.name},
                link=f"/organisation/bodies/{body.slug}/",
                members=[membership.member_id],
                actor=ended_by,
            )


def _body_ends(body: Body, today, *, reason: str) -> list[int]:
    """End a body's memberships and current mandates today and mark it closed; returns who
    belonged to it."""
    memberships = BodyMembership.objects.filter(body=body, until=None)
    member_ids = list(memberships.values_list("member_id", flat=True))
    memberships.update(until=today)
    Mandate.objects.filter(body=body, ended_early_on=None, ends_on__gte=today).update(
        ended_early_on=today, ended_reason=reason
    )
    body.closed_on = today
    body.save(update_fields=["closed_on"])
    return member_ids
