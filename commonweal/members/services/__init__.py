"""Joining, leaving, suspension, profiles, tokens, export and erasure."""

import importlib
import secrets
from collections.abc import Iterator
from datetime import timedelta
from functools import reduce
from operator import or_
from typing import Any

from allauth.account.models import EmailAddress
from allauth.mfa.models import Authenticator
from django.apps import apps
from django.conf import settings
from django.contrib.admin.models import LogEntry
from django.contrib.auth.password_validation import validate_password
from django.contrib.sessions.models import Session
from django.core.exceptions import ValidationError
from django.core.validators import validate_email
from django.db import transaction
from django.db.models import Q
from django.utils.translation import gettext as _

from commonweal.core import clock
from commonweal.core.errors import Conflict, NotPermitted, Refusals, Refused
from commonweal.core.markdown import clean_plain
from commonweal.notifications.services import NAMED, notify
from commonweal.organisation.models import BodyMembership, Unit
from commonweal.organisation.selectors import assembly_of, officers_of_unit, unit_roster_chunks
from commonweal.organisation.services import mandates_end_on_leaving
from commonweal.record.services import record_append

from ..emails import send_account_exists, send_application_outcome
from ..models import FORMER_MEMBER, ApiToken, Member, MembershipApplication, Offer, ProfileView
from ..selectors import TAG_KINDS, token_hash

MAX_TAGS = 30
MAX_TAG_LENGTH = 60


def _branch_to_join(unit: Unit | None) -> Unit:
    if unit is None or not unit.is_basic or unit.closed_on:
        raise Refused(_("Choose the branch you want to join."), field="unit")
    return unit


def member_apply(
    *, email: str, full_name: str, unit: Unit | None, password: str, statement: str = ""
) -> MembershipApplication | None:
    """A person applies to join a basic unit; its officers decide.

    The answer does not tell whether the address already has an account: for one that
    has, nothing is made and its owner is emailed instead (None is returned), so the join
    form cannot be used to find out who belongs to the organisation.
    """
    email = (email or "").strip().lower()
    full_name = clean_plain(full_name)
    # Every field's problem is found before any is refused, so the form shows them together.
    found = Refusals()
    try:
        validate_email(email)
    except ValidationError:
        found.add(Refused(_("Enter a valid email address."), field="email"))
    if not full_name:
        found.add(Refused(_("Tell us your name."), field="full_name"))
    with found:
        branch = _branch_to_join(unit)
    try:
        validate_password(password, Member(email=email, full_name=full_name))
    except ValidationError as exc:
        found.add(Refused(" ".join(exc.messages), field="password"))
    found.raise_any()
    existing = Member.objects.filter(email__iexact=email).values_list("pk", flat=True).first()
    if existing is not None:
        transaction.on_commit(lambda: send_account_exists(existing, branch.pk))
        return None
    with transaction.atomic():
        member = Member.objects.create_user(
            email=email,
            password=password,
            full_name=full_name,
            unit=branch,
            status=Member.Status.APPLICANT,
        )
        EmailAddress.objects.create(user=member, email=email, primary=True, verified=False)
        application = MembershipApplication.objects.create(
            applicant=member, unit=branch, statement=statement[:5000], applied_at=clock.now()
        )
        record_append(
            kind="member.applied", subject=application, actor=member, payload={"unit": branch.pk}
        )
        notify(
            kind="membership.application",
            title=_("%(name)s has applied to join %(unit)s") % {"name": NAMED, "unit": branch.name},
            named=member,
            link="/members/applications/",
            members=_officer_ids(branch),
            thread=f"unit:{branch.pk}",
        )
    return application


def _officer_ids(unit: Unit) -> list[int]:
    return list(officers_of_unit(unit).values_list("pk", flat=True))


def application_decide(
    *, application: MembershipApplication, officer: Member, accept: bool, reason: str = ""
) -> MembershipApplication:
    """Accept or decline an application; the applicant is told by email either way."""
    if not officer.has_perm("members.decide_application", application):
        raise NotPermitted(
            _("Only officers of %(unit)s may decide on this application.")
            % {"unit": application.unit}
        )
    reason = reason.strip()
    if not accept and not reason:
        raise Refused(_("Give the applicant a reason for declining."), field="reason")
    with transaction.atomic():
        application = (
            MembershipApplication.objects.select_for_update(of=("self",))
            .select_related("applicant", "unit")
            .get(pk=application.pk)
        )
        if application.status != MembershipApplication.Status.PENDING:
            raise Conflict(_("This application has already been decided."))
        now = clock.now()
        application.status = (
            MembershipApplication.Status.ACCEPTED
            if accept
            else MembershipApplication.Status.DECLINED
        )
        application.decided_by = officer
        application.decided_at = now
        application.reason = reason
        application.save(update_fields=["status", "decided_by", "decided_at", "reason"])
        applicant = application.applicant
        if accept:
            applicant.status = Member.Status.MEMBER
            applicant.joined_at = now
            applicant.unit = application.unit
            applicant.save(update_fields=["status", "joined_at", "unit"])
            assembly = assembly_of(application.unit)
            if assembly is not None:
                BodyMembership.objects.get_or_create(
                    body=assembly, member=applicant, until=None, defaults={"since": now.date()}
                )
        record_append(
            kind="member.accepted" if accept else "member.declined",
            subject=application,
            actor=officer,
            payload={"member": applicant.pk, "unit": application.unit_id},
        )
        transaction.on_commit(lambda: send_application_outcome(application.pk))
    return application


def member_leave(*, member: Member) -> Member:
    if member.status not in {Member.Status.MEMBER, Member.Status.SUSPENDED}:
        raise Conflict(_("You are not a member, so there is nothing to leave."))
    with transaction.atomic():
        member.status = Member.Status.LEFT
        member.save(update_fields=["status"])
        _revoke_api_tokens(member)
        # Their offices end first (each recorded, each body told), then every membership.
        mandates = mandates_end_on_leaving(member)
        memberships = member.body_memberships.filter(until=None)
        bodies = sorted(memberships.values_list("body_id", flat=True))
        memberships.update(until=clock.now().date())
        record_append(
            kind="member.left",
            subject=member,
            actor=member,
            payload={"bodies_left": bodies, "mandates_ended": mandates},
        )
    return member


def member_suspend(*, member: Member, officer: Member, reason: str) -> Member:
    if not officer.has_perm("members.suspend_member", member):
        raise NotPermitted(
            _("Only officers of %(unit)s may suspend its members.") % {"unit": member.unit}
        )
    reason = clean_plain(reason)
    if not reason:
        raise Refused(_("A suspension needs a recorded reason."), field="reason")
    if member.pk == officer.pk:
        raise Refused(_("You cannot suspend yourself."))
    with transaction.atomic():
        member = Member.objects.select_for_update().get(pk=member.pk)
        if member.status != Member.Status.MEMBER:
            raise Conflict(_("Only a member in good standing can be suspended."))
        member.status = Member.Status.SUSPENDED
        member.status_reason = reason
        member.save(update_fields=["status", "status_reason"])
        _revoke_api_tokens(member)
        record_append(kind="member.suspended", subject=member, actor=officer)
        notify(
            kind="member.suspended",
            title=_("Your membership has been suspended"),
            text=reason,
            members=[member],
            actor=officer,
        )
    return member


def member_reinstate(*, member: Member, officer: Member) -> Member:
    if not officer.has_perm("members.suspend_member", member):
        raise NotPermitted(
            _("Only officers of %(unit)s may reinstate its members.") % {"unit": member.unit}
        )
    with transaction.atomic():
        member = Member.objects.select_for_update().get(pk=member.pk)
        if member.status != Member.Status.SUSPENDED:
            raise Conflict(_("Only a suspended member can be reinstated."))
        member.status = Member.Status.MEMBER
        member.status_reason = ""
        member.save(update_fields=["status", "status_reason"])
        record_append(kind="member.reinstated", subject=member, actor=officer)
        notify(
            kind="member.reinstated",
            title=_("Your membership is in good standing again"),
            members=[member],
            actor=officer,
        )
    return member


def _clean_tags(values: Any, field: str) -> list[str]:
    if isinstance(values, str):
        values = values.split(",")
    tags: list[str] = []
    for value in values or []:
        tag = clean_plain(str(value))[:MAX_TAG_LENGTH]
        if tag and tag.lower() not in {t.lower() for t in tags}:
            tags.append(tag)
    if len(tags) > MAX_TAGS:
        raise Refused(_("At most %(n)d tags.") % {"n": MAX_TAGS}, field=field)
    return tags


def profile_update(
    *,
    member: Member,
    full_name: str | None = None,
    capacities: Any = None,
    skills: Any = None,
    interests: Any = None,
    tags_for_officers: Any = None,
    visibility: str | None = None,
    show_email: bool | None = None,
    locale: str | None = None,
) -> Member:
    changed = []
    if full_name is not None:
        name = clean_plain(full_name)
        if not name:
            raise Refused(_("Your name cannot be empty."), field="full_name")
        member.full_name = name
        changed.append("full_name")
    for field, value in (("capacities", capacities), ("skills", skills), ("interests", interests)):
        if value is not None:
            setattr(member, field, _clean_tags(value, field))
            changed.append(field)
    if tags_for_officers is not None:
        kinds = list(tags_for_officers)
        if any(kind not in TAG_KINDS for kind in kinds):
            raise Refused(
                _("Choose among capacities, skills and interests."), field="tags_for_officers"
            )
        member.tags_for_officers = [kind for kind in TAG_KINDS if kind in kinds]
        changed.append("tags_for_officers")
    if visibility is not None:
        if visibility not in Member.Visibility.values:
            raise Refused(_("Choose who may see your profile."), field="visibility")
        member.visibility = visibility
        changed.append("visibility")
    if show_email is not None:
        member.show_email = show_email
        changed.append("show_email")
    if locale is not None:
        if locale not in dict(settings.LANGUAGES):
            raise Refused(_("Choose one of the offered locales."), field="locale")
        member.locale = locale
        changed.append("locale")
    if changed:
        member.save(update_fields=changed)
    return member


OFFERS_OPEN_AT_ONCE = 10


def offer_make(*, member: Member, title: str, text: str = "") -> Offer:
    """A member offers themselves for a task; their unit's officers (and those above) are
    told and answer. At most ten offers wait at once, so one member cannot fill every
    officer's list."""
    if not member.has_perm("members.make_offer") or member.unit_id is None:
        raise NotPermitted(_("Only members in good standing may offer themselves for tasks."))
    found = Refusals()
    title = clean_plain(title)[:200]
    if not title:
        found.add(Refused(_("Say what you offer to do."), field="title"))
    text = (text or "").strip()
    if len(text) > 5000:
        found.add(Refused(_("Keep it under 5,000 characters."), field="text"))
    found.raise_any()
    with transaction.atomic():
        Member.objects.select_for_update().filter(pk=member.pk).first()
        if member.offers.filter(status=Offer.Status.OPEN).count() >= OFFERS_OPEN_AT_ONCE:
            raise Conflict(
                _("You have %(n)d offers waiting for an answer; withdraw one first.")
                % {"n": OFFERS_OPEN_AT_ONCE}
            )
        offer = Offer.objects.create(
            member=member, unit_id=member.unit_id, title=title, text=text, offered_at=clock.now()
        )
        record_append(kind="offer.made", subject=offer, actor=member)
        notify(
            kind="member.offer",
            title=_("%(name)s offers to help: %(what)s") % {"name": NAMED, "what": title},
            named=member,
            link="/members/offers/",
            members=_officer_ids(offer.unit),
            actor=member,
            thread=f"offer:{offer.pk}",
        )
    return offer


def offer_withdraw(*, member: Member, offer: Offer) -> Offer:
    if offer.member_id != member.pk:
        raise NotPermitted(_("That is not your offer."))
    with transaction.atomic():
        offer = Offer.objects.select_for_update().get(pk=offer.pk)
        if offer.status != Offer.Status.OPEN:
            raise Conflict(_("This offer has already been answered."))
        offer.status = Offer.Status.WITHDRAWN
        offer.decided_at = clock.now()
        offer.save(update_fields=["status", "decided_at"])
        record_append(kind="offer.withdrawn", subject=offer, actor=member)
    return offer


def offer_answer(*, offer: Offer, officer: Member, accept: bool, reason: str = "") -> Offer:
    """An officer of the member's unit (or above) accepts or declines; the member is told."""
    if not officer.has_perm("members.answer_offer", offer):
        raise NotPermitted(
            _("Only officers of %(unit)s may answer this offer.") % {"unit": offer.unit}
        )
    reason = (reason or "").strip()[:5000]
    if not accept and not reason:
        raise Refused(_("Tell the member why you decline their offer."), field="reason")
    with transaction.atomic():
        offer = (
            Offer.objects.select_for_update(of=("self",)).select_related("member").get(pk=offer.pk)
        )
        if offer.status != Offer.Status.OPEN:
            raise Conflict(_("This offer has already been answered or withdrawn."))
        offer.status = Offer.Status.ACCEPTED if accept else Offer.Status.DECLINED
        offer.decided_by = officer
        offer.decided_at = clock.now()
        offer.reason = reason
        offer.save(update_fields=["status", "decided_by", "decided_at", "reason"])
        record_append(
            kind="offer.accepted" if accept else "offer.declined", subject=offer, actor=officer
        )
        notify(
            kind="member.offer_answered",
            title=(
                _("Your offer was accepted: %(what)s")
                if accept
                else _("Your offer was declined: %(what)s")
            )
            % {"what": offer.title},
            text=reason,
            link="/members/offers/mine/",
            members=[offer.member],
            actor=officer,
            thread=f"offer:{offer.pk}",
        )
    return offer


def profile_viewed(*, viewer: Any, subject: Member, what: str = "profile") -> None:
    """Audit who saw whose personal data; one's own views are not logged."""
    if getattr(viewer, "pk", None) == subject.pk:
        return
    ProfileView.objects.create(
        viewer=viewer if getattr(viewer, "pk", None) else None,
        subject=subject,
        what=what,
        viewed_at=clock.now(),
    )


LIST_EXPORT = "unit members list"


def unit_members_export(*, officer: Any, unit: Unit) -> Iterator[list[Member]]:
    """The unit's members, chunk by chunk, for its officer's download, audited as sent.

    The record says who took which unit's list when; each member goes into the "who saw
    my data" audit (one insert per chunk) as the chunk holding them starts to go out, so
    a download cut short audits only the chunks it reached.
    """
    if not officer.has_perm("members.export_unit_members", unit):
        raise NotPermitted(
            _("Only the officers of %(unit)s may download its members list.") % {"unit": unit}
        )
    record_append(kind="unit.members_exported", subject=unit, actor=officer)
    return _audited_as_sent(officer, unit_roster_chunks(unit))


def _audited_as_sent(officer: Any, chunks: Iterator[list[Member]]) -> Iterator[list[Member]]:
    for chunk in chunks:
        now = clock.now()
        ProfileView.objects.bulk_create(
            ProfileView(viewer_id=officer.pk, subject_id=member.pk, what=LIST_EXPORT, viewed_at=now)
            for member in chunk
            if member.pk != officer.pk
        )
        yield chunk


TOKEN_LIFETIMES = (30, 90, 365)


def api_token_create(
    *, member: Member, name: str, scope: str = ApiToken.Scope.READ, days: int = 90
) -> tuple[ApiToken, str]:
    """Returns the token and its key; the key is shown once and never stored.

    A token reads only unless asked to write too, and expires after `days` (at most a year).
    """
    name = clean_plain(name)
    if not name:
        raise Refused(_("Name the token so you can recognise it later."), field="name")
    if scope not in ApiToken.Scope.values:
        raise Refused(_("Choose whether the token may only read, or write too."), field="scope")
    if days not in TOKEN_LIFETIMES:
        raise Refused(_("Choose how long the token lasts."), field="days")
    key = secrets.token_urlsafe(32)
    now = clock.now()
    token = ApiToken.objects.create(
        member=member,
        name=name[:100],
        key_hash=token_hash(key),
        prefix=key[:8],
        scope=scope,
        created_at=now,
        expires_at=now + timedelta(days=days),
    )
    return token, key


def api_token_revoke(*, token: ApiToken, member: Member) -> None:
    if token.member_id != member.pk:
        raise NotPermitted(_("That is not your token."))
    ApiToken.objects.filter(pk=token.pk, revoked_at=None).update(revoked_at=clock.now())


def _scrub_admin_log(member: Member) -> None:
    """The admin's history names objects as they were shown (a member, their mandates)."""
    names = [text for text in (member.full_name, member.email) if text]
    for entry in LogEntry.objects.filter(
        reduce(or_, (Q(object_repr__contains=text) for text in names))
    ).iterator():
        for text in names:
            entry.object_repr = entry.object_repr.replace(text, str(FORMER_MEMBER))
        entry.save(update_fields=["object_repr"])


def _revoke_api_tokens(member: Member) -> None:
    """Suspension and leaving end every token (a password change does too, `Member.save`)."""
    ApiToken.objects.filter(member=member, revoked_at=None).update(revoked_at=clock.now())


def member_erase(*, member: Member, requested_by: Member) -> Member:
    """Erase a member's personal data on request.

    Their votes and contributions stay (decisions keep their integrity) but are
    shown as by a "former member"; each app scrubs its own personal fields
    through a `member_erase(member)` in its services. What stays and why:
    docs/privacy.md.
    """
    if requested_by.pk != member.pk and not requested_by.is_superuser:
        raise NotPermitted(
            _("Only you (or an administrator acting on your request) may erase your data.")
        )
    if member.status == Member.Status.ERASED:
        raise Conflict(_("This member's data has already been erased."))
    with transaction.atomic():
        for config in apps.get_app_configs():
            if not config.name.startswith("commonweal.") or config.label == "members":
                continue
            try:
                module = importlib.import_module(f"{config.name}.services")
            except ModuleNotFoundError:
                continue
            if eraser := getattr(module, "member_erase", None):
                eraser(member)
        member.body_memberships.filter(until=None).update(until=clock.now().date())
        member.api_tokens.all().delete()
        member.views_of_me.all().delete()
        ProfileView.objects.filter(viewer=member).delete()
        member.applications.filter(status=MembershipApplication.Status.PENDING).delete()
        member.applications.update(statement="", reason="")
        EmailAddress.objects.filter(user=member).delete()
        _scrub_admin_log(member)
        Authenticator.objects.filter(user=member).delete()
        member.email = f"erased-{member.pk}@erased.invalid"
        member.full_name = ""
        member.capacities = member.skills = member.interests = []
        member.tags_for_officers = []
        member.offers.filter(status=Offer.Status.OPEN).delete()
        member.offers.update(title=str(FORMER_MEMBER), text="", reason="")
        member.status = Member.Status.ERASED
        member.status_reason = ""
        member.is_active = False
        member.last_login = None
        member.set_unusable_password()
        member.save()
        for session in Session.objects.filter(expire_date__gte=clock.now()).iterator():
            if str(session.get_decoded().get("_auth_user_id")) == str(member.pk):
                session.delete()
        record_append(kind="member.erased", subject=member, actor=requested_by)
    return member
