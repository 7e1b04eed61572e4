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
from .selectors import OFFICER_ROLES

DAY = timedelta(days=1)


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
        _role_for_term(body, holder, role or _role_for_office(office), starts_on, ends_on)
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


def _role_for_term(body: Body, holder: Any, role: str, starts_on: date, ends_on: date) -> None:
    """The holder belongs to the body, in the office's role for the mandate's term.

    A holder already in that role whose term runs on into this one (a re-election) keeps it
    without a gap; the role's dates are what make it confer anything (officer_memberships).
    """
    membership = (
        BodyMembership.objects.select_for_update().filter(body=body, member=holder, until=None)
    ).first()
    if membership is None:
        membership = BodyMembership(body=body, member=holder, since=starts_on)
    elif role == BodyMembership.Role.MEMBER:
        return
    if role != BodyMembership.Role.MEMBER:
        continuing = (
            membership.pk
            and membership.role == role
            and (membership.role_until is None or membership.role_until >= starts_on - DAY)
        )
        if continuing:
            membership.role_until = max(membership.role_until or ends_on, ends_on)
        else:
            membership.role_from, membership.role_until = starts_on, ends_on
    membership.role = role
    membership.save()


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
        _role_ends(mandate)
        record_append(kind="mandate.ended", subject=mandate, actor=ended_by)
    return mandate


def _role_ends(mandate: Mandate) -> None:
    """The role the mandate gave ends with it, unless another current mandate gives it too."""
    still_held = Mandate.objects.filter(
        body=mandate.body_id,
        holder=mandate.holder_id,
        ended_early_on=None,
        ends_on__gte=clock.now().date(),
    ).exclude(pk=mandate.pk)
    roles = {_role_for_office(m.office) for m in still_held}
    BodyMembership.objects.filter(
        body=mandate.body_id, member=mandate.holder_id, until=None, role__in=OFFICER_ROLES
    ).exclude(role__in=roles).update(
        role=BodyMembership.Role.MEMBER, role_from=None, role_until=None
    )


def mandates_sweep() -> dict[str, int]:
    """The platform's clock tells holders and bodies that a term is ending, then ends it.

    A lapsed mandate confers nothing from the day after its end whether or not this has
    run (the selectors read the dates); the sweep writes the record entry, gives the role
    back and tells the holder and the body. Safe to run twice at once: each mandate is
    changed under its own lock and skipped once marked.
    """
    today = clock.now().date()
    notice_days = current_rulebook()["offices.expiry_notice_days"]
    told = lapsed = 0
    ending = Mandate.objects.filter(
        ended_early_on=None,
        expiry_notice_sent_on=None,
        lapsed_on=None,
        starts_on__lte=today,
        ends_on__gte=today,
        ends_on__lte=today + timedelta(days=notice_days),
    )
    for pk in ending.values_list("pk", flat=True):
        with transaction.atomic():
            mandate = (
                Mandate.objects.select_for_update(skip_locked=True)
                .select_related("body", "holder")
                .filter(pk=pk, expiry_notice_sent_on=None)
                .first()
            )
            if mandate is None:
                continue
            mandate.expiry_notice_sent_on = today
            mandate.save(update_fields=["expiry_notice_sent_on"])
            notify(
                kind="mandate.ending",
                title=_("The term of %(holder)s as %(office)s of %(body)s ends on %(date)s")
                % {
                    "holder": NAMED,
                    "office": mandate.office,
                    "body": mandate.body.name,
                    "date": mandate.ends_on.isoformat(),
                },
                named=mandate.holder,
                link=f"/organisation/bodies/{mandate.body.slug}/",
                bodies=[mandate.body],
                members=[mandate.holder],
            )
            told += 1
    expired = Mandate.objects.filter(ended_early_on=None, lapsed_on=None, ends_on__lt=today)
    for pk in expired.values_list("pk", flat=True):
        with transaction.atomic():
            mandate = (
                Mandate.objects.select_for_update(skip_locked=True)
                .select_related("body", "holder")
                .filter(pk=pk, lapsed_on=None)
                .first()
            )
            if mandate is None:
                continue
            mandate.lapsed_on = today
            mandate.save(update_fields=["lapsed_on"])
            _role_ends(mandate)
            record_append(
                kind="mandate.lapsed",
                subject=mandate,
                payload={"body": mandate.body_id, "ends_on": mandate.ends_on.isoformat()},
            )
            notify(
                kind="mandate.lapsed",
                title=_("The term of %(holder)s as %(office)s of %(body)s has ended")
                % {"holder": NAMED, "office": mandate.office, "body": mandate.body.name},
                named=mandate.holder,
                link=f"/organisation/bodies/{mandate.body.slug}/",
                bodies=[mandate.body],
                members=[mandate.holder],
            )
            lapsed += 1
    return {"told": told, "lapsed": lapsed}


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
