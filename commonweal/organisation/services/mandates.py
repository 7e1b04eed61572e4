"""Offices held for a term: granted by election or appointment, ended early or on time."""

import calendar
from datetime import date, timedelta
from typing import Any

from django.db import transaction
from django.utils.translation import gettext as _

from commonweal.core import clock
from commonweal.core.errors import Conflict, NotPermitted, Refused
from commonweal.core.markdown import clean_plain
from commonweal.notifications.services import NAMED, notify
from commonweal.record.services import record_append
from commonweal.rulebook.selectors import current as current_rulebook

from .. import candidacy
from ..models import Body, BodyMembership, Mandate
from ..selectors import OFFICER_ROLES, active_mandates
from ._common import DAY, text_hash


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
    rulebook = current_rulebook()
    return _grant(
        body=body,
        holder=holder,
        office=office,
        starts_on=starts_on,
        months=rulebook["offices.term_months"],
        rulebook_version=rulebook.version,
        decision=decision,
        actor=granted_by,
        role=role,
    )


def mandate_appoint(
    *,
    body: Body,
    holder: Any,
    office: str,
    granted_as: str,
    reason: str,
    appointed_by: Any,
    starts_on: date | None = None,
) -> Mandate:
    """Fill an office outside an election, where the rulebook allows it: co-option for a full
    term, or an interim appointment until an election. The reason is kept with the mandate."""
    if not appointed_by.has_perm("organisation.appoint_to_body", body):
        raise NotPermitted(
            _("Only those the rulebook lets change the structure may appoint to this body.")
        )
    rulebook = current_rulebook()
    allowed = rulebook["offices.appointments"]
    if granted_as not in allowed:
        raise Refused(
            _("The rulebook does not allow filling an office this way.")
            if granted_as in Mandate.GrantedAs.values
            else _("Choose co-option or an interim appointment."),
            field="granted_as",
        )
    reason = clean_plain(reason)[:300]
    if not reason:
        raise Refused(_("Say why the office is filled outside an election."), field="reason")
    if body.closed_on:
        raise Refused(_("This body is closed."))
    unit = getattr(holder, "unit", None)
    if unit is None or not unit.path.startswith(body.unit.path):
        raise Refused(
            _("The holder must be a member within %(unit)s.") % {"unit": body.unit.name},
            field="holder",
        )
    office_name = clean_plain(office)
    candidacy.require(holder, office_name, body, field="holder")
    held = active_mandates(body=body, office__iexact=office_name).select_related("holder").first()
    if held is not None:
        raise Conflict(
            _("This office is held until %(date)s: end that mandate first.")
            % {"date": held.ends_on.isoformat()},
        )
    months = (
        rulebook["offices.interim_months"]
        if granted_as == Mandate.GrantedAs.INTERIM
        else rulebook["offices.term_months"]
    )
    return _grant(
        body=body,
        holder=holder,
        office=office,
        starts_on=starts_on,
        months=months,
        rulebook_version=rulebook.version,
        actor=appointed_by,
        granted_as=granted_as,
        reason=reason,
    )


def _grant(
    *,
    body: Body,
    holder: Any,
    office: str,
    starts_on: date | None,
    months: int,
    rulebook_version: int,
    actor: Any,
    decision: Any = None,
    role: str | None = None,
    granted_as: str = Mandate.GrantedAs.ELECTION,
    reason: str = "",
) -> Mandate:
    office = clean_plain(office)
    if not office:
        raise Refused(_("Name the office, for example Chair or Secretary."), field="office")
    if not holder.is_member:
        raise Refused(_("Only members in good standing can hold an office."), field="holder")
    starts_on = starts_on or clock.now().date()
    ends_on = term_end(starts_on, months)
    with transaction.atomic():
        mandate = Mandate.objects.create(
            body=body,
            holder=holder,
            office=office,
            starts_on=starts_on,
            ends_on=ends_on,
            decision=decision,
            rulebook_version=rulebook_version,
            granted_as=granted_as,
            grant_reason=reason,
        )
        _role_for_term(body, holder, role or _role_for_office(office), starts_on, ends_on)
        payload = {
            "body": body.pk,
            "holder": holder.pk,
            "ends_on": ends_on.isoformat(),
            "decision": getattr(decision, "pk", None),
        }
        if granted_as != Mandate.GrantedAs.ELECTION:
            payload |= {"as": granted_as, "reason_sha256": text_hash(reason)}
        record_append(
            kind="mandate.granted",
            subject=mandate,
            actor=actor,
            payload=payload,
            rulebook_version=rulebook_version,
        )
        notify(
            kind="mandate.granted",
            title=_("%(holder)s is now %(office)s of %(body)s")
            % {"holder": NAMED, "office": office, "body": body.name},
            named=holder,
            link=f"/organisation/bodies/{body.slug}/",
            bodies=[body],
            members=[holder],
            actor=actor,
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
    if ended_by is not None and not ended_by.has_perm("organisation.appoint_to_body", mandate.body):
        raise NotPermitted(
            _("Only those the rulebook lets change the structure may end a mandate early.")
        )
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
        record_append(
            kind="mandate.ended",
            subject=mandate,
            actor=ended_by,
            payload={"reason_sha256": text_hash(reason)},
        )
        if ended_by is not None:
            notify(
                kind="mandate.ended",
                title=_("%(holder)s is no longer %(office)s of %(body)s")
                % {"holder": NAMED, "office": mandate.office, "body": mandate.body.name},
                named=mandate.holder,
                link=f"/organisation/bodies/{mandate.body.slug}/",
                bodies=[mandate.body],
                members=[mandate.holder],
                actor=ended_by,
            )
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


def mandates_end_on_leaving(member: Any) -> list[int]:
    """A member who leaves the organisation holds no office from that day.

    Each current or future mandate ends today with the reason, on the record with the
    member as actor, and its body is told the office is free; the role it gave goes back.
    Returns the ids of the mandates ended.
    """
    today = clock.now().date()
    reason = _("the holder left the organisation")
    ended = []
    mandates = (
        Mandate.objects.select_for_update()
        .filter(holder=member, ended_early_on=None, ends_on__gte=today)
        .select_related("body")
        .order_by("pk")
    )
    for mandate in mandates:
        mandate.ended_early_on = today
        mandate.ended_reason = reason
        mandate.save(update_fields=["ended_early_on", "ended_reason"])
        _role_ends(mandate)
        record_append(
            kind="mandate.ended",
            subject=mandate,
            actor=member,
            payload={"reason_sha256": text_hash(reason), "left": True},
        )
        notify(
            kind="mandate.ended",
            title=_("%(holder)s is no longer %(office)s of %(body)s")
            % {"holder": NAMED, "office": mandate.office, "body": mandate.body.name},
            named=member,
            link=f"/organisation/bodies/{mandate.body.slug}/",
            bodies=[mandate.body],
            actor=member,
        )
        ended.append(mandate.pk)
    return ended


def member_erase(member: Any) -> None:
    """An erased member can no longer act: their offices end today, as on a resignation.

    The mandates stay as history (held by a former member); their body memberships end in
    members.services.member_erase.
    """
    today = clock.now().date()
    for mandate in Mandate.objects.filter(holder=member, ended_early_on=None, ends_on__gte=today):
        mandate_end(mandate=mandate, reason=_("the holder's personal data was erased"))
