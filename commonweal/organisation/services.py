"""Writes to the unit tree, bodies, memberships, mandates and referrals."""

import calendar
from datetime import date, timedelta
from typing import Any

from django.db import IntegrityError, transaction
from django.utils.text import slugify
from django.utils.translation import gettext as _

from commonweal.core import clock
from commonweal.core.errors import Conflict, NotPermitted, Refused
from commonweal.core.markdown import clean_plain
from commonweal.notifications.services import NAMED, notify
from commonweal.record.services import record_append
from commonweal.rulebook.selectors import current as current_rulebook

from .models import Body, BodyMembership, Mandate, Referral, Unit


def _unique_slug(model: Any, name: str) -> str:
    base = slugify(name)[:70] or "item"
    slug, n = base, 1
    while model.objects.filter(slug=slug).exists():
        n += 1
        slug = f"{base}-{n}"
    return slug


def unit_create(
    *, name: str, kind: str, parent: Unit | None = None, slug: str | None = None
) -> Unit:
    """Create a unit with its assembly, the body all its members belong to."""
    name = clean_plain(name)
    if not name:
        raise Refused(_("A unit needs a name."), field="name")
    if kind not in Unit.Kind.values:
        raise Refused(_("Unknown kind of unit: %(kind)s.") % {"kind": kind}, field="kind")
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
            payload={"kind": kind, "parent": getattr(parent, "pk", None)},
        )
    return unit


def body_create(
    *,
    name: str,
    kind: str,
    unit: Unit,
    subject: str = "",
    description: str = "",
    created_by: Any = None,
) -> Body:
    if created_by is not None and not created_by.has_perm(
        "organisation.manage_body", Body(unit=unit)
    ):
        raise NotPermitted(_("Only officers of this unit may create a body in it."))
    name = clean_plain(name)
    if not name:
        raise Refused(_("A body needs a name."), field="name")
    if kind not in Body.Kind.values or kind == Body.Kind.ASSEMBLY:
        raise Refused(_("Unknown kind of body: %(kind)s.") % {"kind": kind}, field="kind")
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
    return body


def body_membership_add(
    *,
    body: Body,
    member: Any,
    role: str = BodyMembership.Role.MEMBER,
    since: date | None = None,
    added_by: Any = None,
) -> BodyMembership:
    if added_by is not None and not added_by.has_perm("organisation.manage_body", body):
        raise NotPermitted(_("Only the body's officers may add members to it."))
    if role not in BodyMembership.Role.values:
        raise Refused(_("Unknown role: %(role)s.") % {"role": role}, field="role")
    if not member.is_member:
        raise Refused(_("Only members in good standing can belong to a body."), field="member")
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
    except IntegrityError as exc:
        raise Conflict(
            _("%(member)s already belongs to %(body)s.") % {"member": member, "body": body}
        ) from exc
    return membership


def body_membership_end(*, membership: BodyMembership, ended_by: Any = None) -> None:
    if ended_by is not None and not ended_by.has_perm("organisation.manage_body", membership.body):
        raise NotPermitted(_("Only the body's officers may remove members from it."))
    with transaction.atomic():
        membership.until = clock.now().date()
        membership.save(update_fields=["until"])
        record_append(
            kind="body.member_removed",
            subject=membership.body,
            actor=ended_by,
            payload={"member": membership.member_id},
        )


def term_end(starts_on: date, months: int) -> date:
    """The last day of a term of whole months: begun on 15 March, it ends on 14 March, the
    day before the successor's term begins (a day the month lacks counts as its last)."""
    year, month = divmod(starts_on.month - 1 + months, 12)
    year, month = starts_on.year + year, month + 1
    anniversary = date(year, month, min(starts_on.day, calendar.monthrange(year, month)[1]))
    return anniversary - timedelta(days=1)


def mandate_grant(
    *,
    body: Body,
    holder: Any,
    office: str,
    starts_on: date | None = None,
    decision: Any = None,
    granted_by: Any = None,
    role: str | None = None,
) -> Mandate:
    """Give an office for the rulebook's term; the holder joins the body in that role."""
    if granted_by is not None and not granted_by.has_perm("organisation.grant_mandate", body):
        raise NotPermitted(_("Mandates are granted by decision of the national leadership."))
    office = clean_plain(office)
    if not office:
        raise Refused(_("Name the office, for example Chair or Secretary."), field="office")
    if not holder.is_member:
        raise Refused(_("Only members in good standing can hold an office."), field="holder")
    rulebook = current_rulebook()
    starts_on = starts_on or clock.now().date()
    ends_on = term_end(starts_on, rulebook["offices.term_months"])
    with transaction.atomic():
        mandate = Mandate.objects.create(
            body=body,
            holder=holder,
            office=office,
            starts_on=starts_on,
            ends_on=ends_on,
            decision=decision,
            rulebook_version=rulebook.version,
        )
        membership = BodyMembership.objects.filter(body=body, member=holder, until=None).first()
        wanted_role = role or _role_for_office(office)
        if membership is None:
            BodyMembership.objects.create(
                body=body, member=holder, role=wanted_role, since=starts_on
            )
        elif wanted_role != BodyMembership.Role.MEMBER and membership.role != wanted_role:
            membership.role = wanted_role
            membership.save(update_fields=["role"])
        record_append(
            kind="mandate.granted",
            subject=mandate,
            actor=granted_by,
            payload={
                "body": body.pk,
                "holder": holder.pk,
                "ends_on": ends_on.isoformat(),
                "decision": getattr(decision, "pk", None),
            },
            rulebook_version=rulebook.version,
        )
        notify(
            kind="mandate.granted",
            title=_("%(holder)s is now %(office)s of %(body)s")
            % {"holder": NAMED, "office": office, "body": body.name},
            named=holder,
            link=f"/organisation/bodies/{body.slug}/",
            bodies=[body],
            members=[holder],
            actor=granted_by,
        )
    return mandate


def _role_for_office(office: str) -> str:
    lowered = office.lower()
    if "chair" in lowered:
        return BodyMembership.Role.CHAIR
    if "secretary" in lowered:
        return BodyMembership.Role.SECRETARY
    return BodyMembership.Role.MEMBER


def mandate_end(*, mandate: Mandate, reason: str, ended_by: Any = None) -> Mandate:
    """End a mandate before its term (resignation, recall); the history stays."""
    if ended_by is not None and not ended_by.has_perm("organisation.grant_mandate", mandate.body):
        raise NotPermitted(_("Only the national leadership may end a mandate early."))
    reason = clean_plain(reason)
    if not reason:
        raise Refused(_("Say why the mandate ends early."), field="reason")
    with transaction.atomic():
        mandate = Mandate.objects.select_for_update().get(pk=mandate.pk)
        if mandate.ended_early_on:
            raise Conflict(_("This mandate has already ended."))
        mandate.ended_early_on = clock.now().date()
        mandate.ended_reason = reason
        mandate.save(update_fields=["ended_early_on", "ended_reason"])
        BodyMembership.objects.filter(
            body=mandate.body, member=mandate.holder, until=None, role__in=["chair", "secretary"]
        ).update(role="member")
        record_append(kind="mandate.ended", subject=mandate, actor=ended_by)
    return mandate


def referral_create(
    *, from_body: Body, to_body: Body, title: str, text: str, link: str = "", referred_by: Any
) -> Referral:
    """Refer an item to another body, up, down or sideways."""
    if not referred_by.has_perm("organisation.refer_from_body", from_body):
        raise NotPermitted(
            _("Only officers of %(body)s may refer items from it.") % {"body": from_body}
        )
    title = clean_plain(title)
    if not title or not text.strip():
        raise Refused(_("A referral needs a title and a text."), field="title")
    if from_body.pk == to_body.pk:
        raise Refused(_("A body cannot refer an item to itself."), field="to_body")
    with transaction.atomic():
        referral = Referral.objects.create(
            from_body=from_body,
            to_body=to_body,
            title=title,
            text=text,
            link=link,
            referred_by=referred_by,
            referred_at=clock.now(),
        )
        record_append(
            kind="referral.created",
            subject=referral,
            actor=referred_by,
            payload={"from": from_body.pk, "to": to_body.pk},
        )
        notify(
            kind="referral.received",
            title=_("%(from)s refers “%(title)s” to %(to)s")
            % {"from": from_body.name, "title": title, "to": to_body.name},
            link=f"/organisation/bodies/{to_body.slug}/",
            bodies=[to_body],
            actor=referred_by,
        )
    return referral


def referral_answer(
    *, referral: Referral, response: str, answered_by: Any, decline: bool = False
) -> Referral:
    if not answered_by.has_perm("organisation.refer_from_body", referral.to_body):
        raise NotPermitted(
            _("Only officers of %(body)s may answer this referral.") % {"body": referral.to_body}
        )
    if not response.strip():
        raise Refused(_("Write the answer."), field="response")
    with transaction.atomic():
        referral = Referral.objects.select_for_update().get(pk=referral.pk)
        if referral.status != Referral.Status.OPEN:
            raise Conflict(_("This referral has already been answered."))
        referral.status = Referral.Status.DECLINED if decline else Referral.Status.ANSWERED
        referral.response = response
        referral.answered_at = clock.now()
        referral.save(update_fields=["status", "response", "answered_at"])
        record_append(
            kind="referral.answered",
            subject=referral,
            actor=answered_by,
            payload={"status": referral.status},
        )
        notify(
            kind="referral.answered",
            title=_("%(to)s answered “%(title)s”")
            % {"to": referral.to_body.name, "title": referral.title},
            link=f"/organisation/bodies/{referral.from_body.slug}/",
            bodies=[referral.from_body],
            actor=answered_by,
        )
    return referral


def member_erase(member: Any) -> None:
    """An erased member can no longer act: their offices end today, as on a resignation.

    The mandates stay as history (held by a former member); their body memberships end in
    members.services.member_erase.
    """
    today = clock.now().date()
    for mandate in Mandate.objects.filter(holder=member, ended_early_on=None, ends_on__gte=today):
        mandate_end(mandate=mandate, reason=_("the holder's personal data was erased"))
