"""Running actions (create, edit, open, close, shifts), answering them (sign, confirm,
withdraw consent, erase), matching signers to units, and forgetting signers in time.

A signature counts once its signer confirms it from the emailed link (double opt-in); a
member signed in with a verified email counts at once. One signature per email per action,
and the answer to a second one is the same "check your email" as to the first.
"""

import secrets
from dataclasses import dataclass
from datetime import datetime, timedelta
from hashlib import sha256
from typing import Any

from django.core import signing
from django.core.exceptions import ValidationError
from django.core.validators import validate_email
from django.db import IntegrityError, transaction
from django.db.models import F, Q
from django.utils.text import slugify
from django.utils.translation import gettext as _

from commonweal.core import clock
from commonweal.core.errors import Conflict, NotPermitted, Refusals, Refused
from commonweal.core.markdown import clean_plain
from commonweal.core.public_pages import public_content_changed
from commonweal.core.ratelimit import check_rate
from commonweal.organisation.models import Body, Unit
from commonweal.record.services import record_append
from commonweal.rulebook.selectors import current

from . import consent as consent_words
from . import selectors
from .models import TEXT_MAX, TITLE_MAX, ActionPage, Consent, Shift, Signup, UnitPlace

# Abuse limits for signing (core.ratelimit): per address generous enough for a stall at a
# rally sharing one connection, per email enough to mistype and try again.
SIGN_PER_IP = "60/h"
SIGN_PER_EMAIL = "5/h"
SIGN_PER_MEMBER = "30/h"
# A person takes longer than this to fill in the form; a script does not.
MIN_FILL_SECONDS = 3
FORM_MAX_AGE = 24 * 3600
# An answer not confirmed within this long is deleted: it was never counted.
CONFIRM_WITHIN = timedelta(days=7)
TOKEN_SALT = "mobilisation.signup"  # noqa: S105 - a signing salt, not a secret
FORM_SALT = "mobilisation.form"
PHONE_CHARS = set("0123456789+()./ -")


# ---------------------------------------------------------------------------- actions


def _line(value: str, *, field: str, what: str, limit: int = TITLE_MAX, required=True) -> str:
    text = clean_plain(value or "")
    if required and not text:
        raise Refused(_("%(what)s is needed.") % {"what": what}, field=field)
    if len(text) > limit:
        raise Refused(
            _("%(what)s is too long (at most %(n)d characters).") % {"what": what, "n": limit},
            field=field,
        )
    return text


def _action_fields(
    *,
    kind: str,
    title: str,
    summary: str,
    text: str,
    target: str,
    goal: int | None,
    starts_at: datetime | None,
    ends_at: datetime | None,
    place: str,
    capacity: int | None,
) -> dict[str, Any]:
    found = Refusals()
    fields: dict[str, Any] = {"kind": kind, "goal": goal, "capacity": capacity}
    if kind not in ActionPage.Kind.values:
        found.add(Refused(_("Choose what kind of action it is."), field="kind"))
    with found:
        fields["title"] = _line(title, field="title", what=_("The title"))
    with found:
        fields["summary"] = _line(
            summary, field="summary", what=_("The summary"), limit=300, required=False
        )
    body = (text or "").strip()
    if len(body) > TEXT_MAX:
        found.add(Refused(_("The text is too long."), field="text"))
    fields["text"] = body
    with found:
        fields["target"] = _line(
            target,
            field="target",
            what=_("Who it is addressed to"),
            required=kind == ActionPage.Kind.PETITION,
        )
    with found:
        fields["place"] = _line(
            place,
            field="place",
            what=_("The place"),
            limit=300,
            required=kind in (ActionPage.Kind.EVENT, ActionPage.Kind.DEMONSTRATION),
        )
    if goal is not None and goal < 1:
        found.add(Refused(_("The goal must be at least 1."), field="goal"))
    if capacity is not None and capacity < 1:
        found.add(Refused(_("The capacity must be at least 1."), field="capacity"))
    if kind in (ActionPage.Kind.EVENT, ActionPage.Kind.DEMONSTRATION) and starts_at is None:
        found.add(Refused(_("Say when it starts."), field="starts_at"))
    if starts_at and ends_at and ends_at <= starts_at:
        found.add(Refused(_("It must end after it starts."), field="ends_at"))
    fields["starts_at"], fields["ends_at"] = starts_at, ends_at
    found.raise_any()
    return fields


def _links(struggle: Any, intervention: Any) -> None:
    """An intervention linked beside a struggle must be one of that struggle's."""
    if (
        intervention is not None
        and struggle is not None
        and intervention.struggle_id != struggle.pk
    ):
        raise Refused(_("The intervention is not part of that struggle."), field="intervention")


def _free_slug(title: str, *, but: int | None = None) -> str:
    base = slugify(title)[:70] or "action"
    slug, n = base, 1
    taken = ActionPage.objects.exclude(pk=but) if but else ActionPage.objects.all()
    while taken.filter(slug=slug).exists():
        n += 1
        slug = f"{base}-{n}"
    return slug


def action_create(
    *,
    actor: Any,
    unit: Unit,
    kind: str,
    title: str,
    summary: str = "",
    text: str = "",
    target: str = "",
    goal: int | None = None,
    starts_at: datetime | None = None,
    ends_at: datetime | None = None,
    place: str = "",
    capacity: int | None = None,
    body: Body | None = None,
    struggle: Any = None,
    intervention: Any = None,
) -> ActionPage:
    """Draft an action in `unit` (by its officers, or for a body the rulebook names)."""
    if not actor.has_perm("mobilisation.add_action_in", unit):
        raise NotPermitted(
            _("Only officers of %(unit)s or a unit above it may organise actions there.")
            % {"unit": unit}
        )
    if unit.closed_on is not None:
        raise Refused(_("%(unit)s is closed.") % {"unit": unit}, field="unit")
    if body is not None and body.pk not in {b.pk for b in selectors.organiser_bodies(actor)}:
        raise NotPermitted(_("You may organise only for a body you belong to."))
    if body is not None and not unit.path.startswith(body.unit.path):
        raise Refused(_("%(unit)s is outside that body's scope.") % {"unit": unit}, field="unit")
    fields = _action_fields(
        kind=kind,
        title=title,
        summary=summary,
        text=text,
        target=target,
        goal=goal,
        starts_at=starts_at,
        ends_at=ends_at,
        place=place,
        capacity=capacity,
    )
    _links(struggle, intervention)
    with transaction.atomic():
        action = ActionPage.objects.create(
            unit=unit,
            body=body,
            struggle=struggle or (intervention.struggle if intervention else None),
            intervention=intervention,
            slug=_free_slug(fields["title"]),
            created_by=actor,
            created_at=clock.now(),
            **fields,
        )
        record_append(
            kind="mobilisation.action_created",
            subject=action,
            actor=actor,
            payload={"unit": unit.pk, "kind": action.kind, "body": body.pk if body else None},
        )
    return action


def action_update(*, actor: Any, action: ActionPage, **changes: Any) -> ActionPage:
    """Correct an action's words, goal, time or place; its address stays once it is open."""
    if not actor.has_perm("mobilisation.change_action", action):
        raise NotPermitted(_("Only the action's organisers may change it."))
    if action.status == ActionPage.Status.CLOSED:
        raise Conflict(_("This action is closed."))
    names: tuple[str, ...] = ("title", "summary", "text", "target", "goal", "starts_at")
    names += ("ends_at", "place", "capacity")
    unknown = set(changes) - set(names) - {"struggle", "intervention"}
    if unknown:
        raise ValueError(f"not a field of an action: {sorted(unknown)}")
    current_values = {name: getattr(action, name) for name in names}
    given = {k: v for k, v in changes.items() if k in names}
    fields = _action_fields(kind=action.kind, **{**current_values, **given})
    struggle = changes.get("struggle", action.struggle)
    intervention = changes.get("intervention", action.intervention)
    _links(struggle, intervention)
    with transaction.atomic():
        for name, value in fields.items():
            setattr(action, name, value)
        action.struggle = struggle or (intervention.struggle if intervention else None)
        action.intervention = intervention
        if action.status == ActionPage.Status.DRAFT:
            action.slug = _free_slug(action.title, but=action.pk)
        action.save()
        record_append(kind="mobilisation.action_changed", subject=action, actor=actor)
        if action.status == ActionPage.Status.OPEN:
            transaction.on_commit(public_content_changed)
    return action


def action_open(*, actor: Any, action: ActionPage) -> ActionPage:
    """Publish the action's page and start taking sign-ups."""
    if not actor.has_perm("mobilisation.change_action", action):
        raise NotPermitted(_("Only the action's organisers may open it."))
    with transaction.atomic():
        locked = ActionPage.objects.select_for_update().get(pk=action.pk)
        if locked.status != ActionPage.Status.DRAFT:
            raise Conflict(_("Only a draft can be opened."))
        locked.status = ActionPage.Status.OPEN
        locked.opened_at = clock.now()
        locked.save(update_fields=["status", "opened_at"])
        record_append(kind="mobilisation.action_opened", subject=locked, actor=actor)
        transaction.on_commit(public_content_changed)
    return locked


def action_close(*, actor: Any, action: ActionPage) -> ActionPage:
    """Stop taking sign-ups; the page stays with its numbers. Retention runs from now."""
    if not actor.has_perm("mobilisation.change_action", action):
        raise NotPermitted(_("Only the action's organisers may close it."))
    with transaction.atomic():
        locked = ActionPage.objects.select_for_update().get(pk=action.pk)
        if locked.status != ActionPage.Status.OPEN:
            raise Conflict(_("Only an open action can be closed."))
        locked.status = ActionPage.Status.CLOSED
        locked.closed_at = clock.now()
        locked.save(update_fields=["status", "closed_at"])
        record_append(
            kind="mobilisation.action_closed",
            subject=locked,
            actor=actor,
            payload={"confirmed": locked.confirmed_count},
        )
        transaction.on_commit(public_content_changed)
    return locked


def shift_add(
    *,
    actor: Any,
    action: ActionPage,
    role: str,
    capacity: int,
    starts_at: datetime | None = None,
    ends_at: datetime | None = None,
) -> Shift:
    """A role people can take at an event (steward, leafleter), for so many people."""
    if not actor.has_perm("mobilisation.change_action", action):
        raise NotPermitted(_("Only the action's organisers may add roles."))
    if not action.is_event:
        raise Refused(_("Only events and demonstrations have roles."), field="role")
    if action.status == ActionPage.Status.CLOSED:
        raise Conflict(_("This action is closed."))
    role = _line(role, field="role", what=_("The role"), limit=120)
    if capacity is None or capacity < 1:
        raise Refused(_("Say how many people are needed (at least 1)."), field="capacity")
    if starts_at and ends_at and ends_at <= starts_at:
        raise Refused(_("It must end after it starts."), field="ends_at")
    with transaction.atomic():
        shift = Shift.objects.create(
            action=action, role=role, capacity=capacity, starts_at=starts_at, ends_at=ends_at
        )
        record_append(
            kind="mobilisation.shift_added",
            subject=action,
            actor=actor,
            payload={"shift": shift.pk, "capacity": capacity},
        )
        if action.status == ActionPage.Status.OPEN:
            transaction.on_commit(public_content_changed)
    return shift


# ---------------------------------------------------------------------- unit matching


def place_add(*, actor: Any, unit: Unit, kind: str, value: str) -> UnitPlace:
    """List a postcode area ("LS6", "LS") or a place ("Headingley") as the unit's."""
    if not actor.has_perm("mobilisation.keep_places", unit):
        raise NotPermitted(
            _("Only officers of %(unit)s or above may list its places.") % {"unit": unit}
        )
    if kind == UnitPlace.Kind.POSTCODE:
        normal = selectors.normalise_postcode(value)
        if not normal or not normal.isalnum() or len(normal) > 8:
            raise Refused(_("Give a postcode area such as LS6 or LS."), field="value")
    elif kind == UnitPlace.Kind.PLACE:
        normal = selectors.normalise_place(clean_plain(value or ""))
        if not normal or len(normal) > 120:
            raise Refused(_("Give the name of a town or place."), field="value")
    else:
        raise Refused(_("Choose a postcode area or a place."), field="kind")
    clash = UnitPlace.objects.filter(kind=kind, value=normal).select_related("unit").first()
    if clash is not None:
        raise Conflict(
            _("%(value)s is already listed for %(unit)s.") % {"value": normal, "unit": clash.unit}
        )
    try:
        with transaction.atomic():
            row = UnitPlace.objects.create(
                unit=unit, kind=kind, value=normal, added_by=actor, added_at=clock.now()
            )
            record_append(
                kind="mobilisation.place_listed",
                subject=f"organisation.unit:{unit.pk}",
                actor=actor,
                payload={"place": row.pk},
            )
    except IntegrityError:
        raise Conflict(_("%(value)s is already listed.") % {"value": normal}) from None
    return row


def place_remove(*, actor: Any, place: UnitPlace) -> None:
    if not actor.has_perm("mobilisation.keep_places", place.unit):
        raise NotPermitted(
            _("Only officers of %(unit)s or above may change its places.") % {"unit": place.unit}
        )
    with transaction.atomic():
        record_append(
            kind="mobilisation.place_removed",
            subject=f"organisation.unit:{place.unit_id}",
            actor=actor,
            payload={"place": place.pk},
        )
        place.delete()


# --------------------------------------------------------------------------- signing


def form_started() -> str:
    """The signed moment a sign form was shown, for the minimum fill time."""
    return signing.dumps(clock.now().timestamp(), salt=FORM_SALT)


def _check_fill_time(started: str) -> None:
    try:
        shown_at = float(signing.loads(started or "", salt=FORM_SALT, max_age=None))
    except (signing.BadSignature, TypeError, ValueError):
        raise Refused(_("The form has expired: reload the page and send it again.")) from None
    taken = clock.now().timestamp() - shown_at
    if taken > FORM_MAX_AGE:
        raise Refused(_("The form has expired: reload the page and send it again."))
    if taken < MIN_FILL_SECONDS:
        raise Refused(
            _("That was sent quicker than a person fills in the form: check it and send it again.")
        )


def _email(value: str) -> str:
    email = (value or "").strip().lower()
    try:
        validate_email(email)
    except ValidationError:
        raise Refused(_("Give an email address we can write to."), field="email") from None
    if len(email) > 254:
        raise Refused(_("The email address is too long."), field="email")
    return email


def _phone(value: str) -> str:
    phone = (value or "").strip()
    if phone and (len(phone) > 40 or not set(phone) <= PHONE_CHARS or len(phone) < 5):
        raise Refused(_("Give the phone number in digits, e.g. 0113 496 0000."), field="phone")
    return phone


def email_key(email: str) -> str:
    """The per-email rate limit's key: a hash, so the cache holds no addresses."""
    return "email:" + sha256(email.encode()).hexdigest()[:32]


def signup_token(signup: Signup) -> str:
    """The token in every email's links: the sign-up's id and key, signed with SECRET_KEY,
    so a database copy alone cannot make one, and a new key revokes every earlier link."""
    return signing.Signer(salt=TOKEN_SALT).sign(f"{signup.pk}.{signup.token_key}")


def signup_by_token(token: str) -> Signup:
    """The sign-up behind an emailed link; one wrong or revoked link answers like another."""
    refused = NotPermitted(_("This link is not valid (any longer)."))
    try:
        value = signing.Signer(salt=TOKEN_SALT).unsign(token or "")
        pk, key = value.split(".", 1)
        signup = Signup.objects.select_related("action", "shift", "unit").get(pk=int(pk))
    except (signing.BadSignature, ValueError, Signup.DoesNotExist):
        raise refused from None
    if not secrets.compare_digest(signup.token_key, key) or signup.erased_at is not None:
        raise refused
    return signup


@dataclass(frozen=True)
class Answer:
    """What the signer is told: `counted` only when a signed-in member's answer counted
    at once; otherwise "check your email", whether the address signed before or not."""

    counted: bool
    signup: Signup | None = None


def verified_member(user: Any) -> Any:
    """A signed-in member in good standing whose email is verified, or None."""
    if not getattr(user, "is_authenticated", False) or not user.is_member:
        return None
    from allauth.account.models import EmailAddress

    if EmailAddress.objects.filter(user=user, email__iexact=user.email, verified=True).exists():
        return user
    return None


def signup_sign(
    *,
    action: ActionPage,
    user: Any = None,
    name: str = "",
    email: str = "",
    postcode: str = "",
    place: str = "",
    phone: str = "",
    purposes: list[str] | tuple[str, ...] = (),
    shift: Shift | None = None,
    ip: str | None = None,
    started: str = "",
    honeypot: str = "",
) -> Answer:
    """Take one answer to an open action. Refusals store nothing.

    A member signed in with a verified email is recognised (their name, email and unit)
    and counted at once. Anyone else is sent a link to confirm, and counted when they do;
    a second answer from the same email changes nothing and is told to check their email.
    """
    if not action.status == ActionPage.Status.OPEN:
        raise Conflict(_("This action is not taking answers."))
    member = verified_member(user)
    if member is None:
        # Cheap checks first, so a script's flood costs no query.
        if honeypot:
            raise Refused(_("Leave the last field empty: it is there to catch robots."))
        _check_fill_time(started)
    found = Refusals()
    with found:
        email = member.email.lower() if member else _email(email)
    with found:
        name = member.full_name if member else _line(name, field="name", what=_("Your name"))
    with found:
        postcode = _line(
            postcode, field="postcode", what=_("The postcode"), limit=12, required=False
        ).upper()
    with found:
        place = _line(place, field="place", what=_("The place"), limit=120, required=False)
    if member is None and not postcode and not place:
        found.add(Refused(_("Give your postcode or your town."), field="postcode"))
    with found:
        phone = _phone(phone)
    unknown = set(purposes) - set(consent_words.OPTIONAL)
    if unknown:
        found.add(Refused(_("Choose among the purposes shown."), field="purposes"))
    if shift is not None and shift.action_id != action.pk:
        found.add(Refused(_("Choose one of this event's roles."), field="shift"))
    found.raise_any()
    if member is not None:
        check_rate("mobilisation.sign", account=member, limit=SIGN_PER_MEMBER)
    else:
        if ip:
            check_rate("mobilisation.sign", ip=ip, limit=SIGN_PER_IP)
        check_rate("mobilisation.sign", account=email_key(email), limit=SIGN_PER_EMAIL)
    if shift is not None and selectors.shift_taken(shift) >= shift.capacity:
        raise Refused(_("That role is taken by enough people: choose another."), field="shift")
    if action.capacity is not None and action.confirmed_count >= action.capacity:
        raise Conflict(_("This event is full."))
    existing = Signup.objects.filter(action=action, email=email).first()
    if existing is not None:
        return _again(existing, member)
    now = clock.now()
    try:
        with transaction.atomic():
            signup = Signup.objects.create(
                action=action,
                name=name,
                email=email,
                postcode=postcode,
                place=place,
                phone=phone,
                member=member,
                unit=member.unit
                if member
                else selectors.match_unit(postcode=postcode, place=place),
                shift=shift,
                token_key=secrets.token_hex(16),
                created_at=now,
            )
            Consent.objects.bulk_create(
                Consent(
                    signup=signup,
                    purpose=purpose,
                    wording=consent_words.wording(action, purpose),
                    version=consent_words.VERSIONS[Consent.Purpose(purpose)],
                    given_at=now,
                )
                for purpose in [consent_words.REQUIRED, *dict.fromkeys(purposes)]
            )
            if member is not None:
                _count(signup, now)
            else:
                _email_signer(signup, "confirm")
    except IntegrityError:
        # The same email signed at the same moment: that one stands, this one is the same.
        existing = Signup.objects.get(action=action, email=email)
        return _again(existing, member)
    return Answer(counted=member is not None, signup=signup if member else None)


def _again(existing: Signup, member: Any) -> Answer:
    """A second answer with the same email: nothing changes; the signer (not whoever typed
    the address) is told by email, or sees their answer if signed in as its member."""
    if member is not None:
        if existing.confirmed_at is None:
            with transaction.atomic():
                Signup.objects.filter(pk=existing.pk).update(member=member)
                _count(existing, clock.now())
        return Answer(counted=True, signup=existing)
    transaction.on_commit(lambda: _enqueue(existing.pk, "again"))
    return Answer(counted=False)


def _email_signer(signup: Signup, kind: str) -> None:
    transaction.on_commit(lambda: _enqueue(signup.pk, kind))


def _enqueue(signup_id: int, kind: str) -> None:
    from .tasks import email_signer

    email_signer.enqueue(signup_id, kind)


def _count(signup: Signup, now: datetime) -> bool:
    """Confirm and count the sign-up once: one conditional UPDATE decides, so two clicks
    (or two processes) never count it twice. Its role is kept if there is still room."""
    if not Signup.objects.filter(pk=signup.pk, confirmed_at=None).update(confirmed_at=now):
        return False
    ActionPage.objects.filter(pk=signup.action_id).update(confirmed_count=F("confirmed_count") + 1)
    if signup.shift_id is not None:
        shift = Shift.objects.select_for_update().get(pk=signup.shift_id)
        taken = shift.signups.filter(confirmed_at__isnull=False).exclude(pk=signup.pk).count()
        if taken >= shift.capacity:
            Signup.objects.filter(pk=signup.pk).update(shift=None)
    signup.confirmed_at = now
    return True


def signup_confirm(*, token: str) -> Signup:
    """The signer clicked the emailed link: their answer counts from now (once)."""
    signup = signup_by_token(token)
    if signup.action.status == ActionPage.Status.DRAFT:
        raise NotPermitted(_("This link is not valid (any longer)."))
    with transaction.atomic():
        if signup.member_id is None and signup.email:
            from commonweal.members.models import Member

            signup.member = Member.objects.filter(
                email__iexact=signup.email, status=Member.Status.MEMBER
            ).first()
            if signup.member is not None:
                Signup.objects.filter(pk=signup.pk).update(member=signup.member)
        if signup.confirmed_at is None and signup.action.status == ActionPage.Status.CLOSED:
            raise Conflict(_("This action closed before your answer was confirmed."))
        _count(signup, clock.now())
    signup.refresh_from_db()
    return signup


def consent_withdraw(*, token: str, purposes: list[str] | None = None) -> Signup:
    """Withdraw the given purposes (all when None) from the emailed link; nothing more is
    sent for them. Withdrawing "this action" too also withdraws the answer's contact."""
    signup = signup_by_token(token)
    query = Q(signup=signup, withdrawn_at=None)
    if purposes is not None:
        if set(purposes) - set(Consent.Purpose.values):
            raise Refused(_("Choose among the purposes shown."), field="purposes")
        query &= Q(purpose__in=purposes)
    with transaction.atomic():
        Consent.objects.filter(query).update(withdrawn_at=clock.now())
    return signup


def _forget(signups: Any, now: datetime) -> int:
    """Empty the personal fields, revoke the links; the rows stay as numbers."""
    ids = list(signups.values_list("pk", flat=True))
    Consent.objects.filter(signup_id__in=ids).update(wording="")
    return Signup.objects.filter(pk__in=ids).update(
        name="", email="", postcode="", place="", phone="", token_key="", erased_at=now
    )


def signer_erase(*, token: str) -> None:
    """A signer asked, by their emailed link, to be forgotten: their name, email, postcode,
    place and phone go; a confirmed answer stays counted, as nobody."""
    signup = signup_by_token(token)
    now = clock.now()
    with transaction.atomic():
        if signup.confirmed_at is None:
            signup.consents.all().delete()
            signup.delete()
            return
        same_person = Signup.objects.filter(email=signup.email, erased_at=None)
        Consent.objects.filter(signup__in=same_person, withdrawn_at=None).update(withdrawn_at=now)
        _forget(same_person, now)


def signup_invite(*, actor: Any, signup: Signup) -> Signup:
    """Invite a signer to join: only one who let the local branch contact them, once."""
    if not actor.has_perm("mobilisation.view_signups", signup.action):
        raise NotPermitted(_("Only the action's organisers may invite its signers."))
    if signup.member_id is not None:
        raise Conflict(_("They are a member already."))
    if signup.confirmed_at is None or signup.erased_at is not None:
        raise Conflict(_("Only a confirmed signer can be invited."))
    if not selectors.consented(signup.action, Consent.Purpose.BRANCH).filter(pk=signup.pk).exists():
        raise Refused(_("They did not agree to be contacted by the local branch."))
    with transaction.atomic():
        if not Signup.objects.filter(pk=signup.pk, invited_to_join_at=None).update(
            invited_to_join_at=clock.now()
        ):
            raise Conflict(_("They have been invited already."))
        record_append(
            kind="mobilisation.signer_invited",
            subject=signup.action,
            actor=actor,
            payload={"signup": signup.pk},
        )
        _email_signer(signup, "invite")
    return signup


# ------------------------------------------------------------------------- retention


def signups_prune() -> int:
    """The platform's clock forgets what is due: answers never confirmed within
    CONFIRM_WITHIN (deleted; never counted), and non-members' personal data once the
    rulebook's retention period after the action closed has run out. Safe to run twice."""
    now = clock.now()
    days = current()["mobilisation.signer_retention_days"]
    with transaction.atomic():
        stale = Signup.objects.filter(confirmed_at=None, created_at__lt=now - CONFIRM_WITHIN)
        Consent.objects.filter(signup__in=stale).delete()
        forgotten = stale.delete()[0]
        due = Signup.objects.filter(
            action__status=ActionPage.Status.CLOSED,
            action__closed_at__lt=now - timedelta(days=days),
            member=None,
            erased_at=None,
        )
        forgotten += _forget(due, now)
        ActionPage.objects.filter(
            status=ActionPage.Status.CLOSED,
            closed_at__lt=now - timedelta(days=days),
            pruned_at=None,
        ).update(pruned_at=now)
    return forgotten


def member_erase(member: Any) -> None:
    """A member's erasure: their sign-ups keep counting, as nobody."""
    now = clock.now()
    signups = selectors.member_signups(member)
    Consent.objects.filter(signup__in=signups, withdrawn_at=None).update(withdrawn_at=now)
    _forget(signups, now)
    Signup.objects.filter(member=member).update(member=None)
