"""Keeping outside organisations, relationships, contact people, contacts and joint actions,
and taking joint statements from draft through a body's agreement to publication."""

import re
from datetime import date
from typing import Any

from django.apps import apps
from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.validators import EmailValidator, URLValidator
from django.db import IntegrityError, transaction
from django.utils.translation import gettext as _

from commonweal.core import clock
from commonweal.core.errors import Conflict, NotPermitted, Refusals, Refused
from commonweal.core.markdown import clean_plain
from commonweal.notifications.services import notify
from commonweal.organisation.models import Body, Unit
from commonweal.record.services import record_append
from commonweal.rulebook.selectors import current

from . import matching
from .models import (
    NAME_MAX,
    TEXT_MAX,
    Activity,
    ContactPerson,
    JointStatement,
    OutsideOrganisation,
    Relationship,
    StatementText,
    StatusChange,
)

COUNTRY = re.compile(r"^[A-Z]{2}$")
LANGUAGE = re.compile(r"^[a-z]{2,3}(-[A-Za-z0-9]{2,8})*$")
PHONE = re.compile(r"^[0-9+()./ -]{5,40}$")
ERASED = "(erased on request)"


def _line(
    value: str, *, field: str, what: str, limit: int = NAME_MAX, required: bool = True
) -> str:
    text = clean_plain(value or "")
    if required and not text:
        raise Refused(_("%(what)s is needed.") % {"what": what}, field=field)
    if len(text) > limit:
        raise Refused(
            _("%(what)s is too long (at most %(n)d characters).") % {"what": what, "n": limit},
            field=field,
        )
    return text


def _text(value: str, *, field: str, what: str, required: bool = True) -> str:
    text = (value or "").strip()
    if required and not text:
        raise Refused(_("%(what)s is needed.") % {"what": what}, field=field)
    if len(text) > TEXT_MAX:
        raise Refused(
            _("%(what)s is too long (at most %(n)d characters).") % {"what": what, "n": TEXT_MAX},
            field=field,
        )
    return text


def _day_past(day: date | None, *, field: str, missing: str, future: str) -> date:
    """A day given and not after today; refused in the form's words otherwise."""
    if day is None:
        raise Refused(missing, field=field)
    if day > clock.now().date():
        raise Refused(future, field=field)
    return day


def _country(value: str) -> str:
    code = (value or "").strip().upper()
    if not COUNTRY.match(code):
        raise Refused(
            _("Give the country as its two-letter code, e.g. GB, DE or BR."), field="country"
        )
    return code


def _language(value: str, *, field: str = "language", required: bool = False) -> str:
    code = (value or "").strip()
    if not code and not required:
        return ""
    if not LANGUAGE.match(code) or len(code) > 16:
        raise Refused(_("Give the language as a code such as en, de or pt-BR."), field=field)
    return code


def _website(value: str) -> str:
    url = (value or "").strip()
    if not url:
        return ""
    try:
        URLValidator(schemes=["http", "https"])(url)
    except ValidationError:
        raise Refused(
            _("Give the website as an address starting https://."), field="website"
        ) from None
    if len(url) > 300:
        raise Refused(_("The website address is too long."), field="website")
    return url


def _organisation_fields(
    *, name: str, kind: str, country: str, language: str, website: str, description: str
) -> dict[str, Any]:
    found = Refusals()
    checked: dict[str, Any] = {}
    with found:
        checked["name"] = _line(name, field="name", what=_("The organisation's name"))
    if kind not in OutsideOrganisation.Kind.values:
        found.add(Refused(_("Choose what kind of organisation it is."), field="kind"))
    checked["kind"] = kind
    with found:
        checked["country"] = _country(country)
    with found:
        checked["language"] = _language(language)
    with found:
        checked["website"] = _website(website)
    with found:
        checked["description"] = _text(
            description, field="description", what=_("Who they are"), required=False
        )
    found.raise_any()
    return checked


def _taken(name: str, *, but: int | None = None) -> None:
    clash = OutsideOrganisation.objects.filter(name__iexact=name)
    if but is not None:
        clash = clash.exclude(pk=but)
    if clash.exists():
        raise Conflict(
            _("%(name)s is already recorded: find it in the list and add your relationship there.")
            % {"name": name},
        )


def organisation_create(
    *,
    actor: Any,
    unit: Unit,
    name: str,
    kind: str,
    country: str,
    language: str = "",
    website: str = "",
    description: str = "",
    status: str = "",
) -> OutsideOrganisation:
    """Record an outside organisation, kept by `unit`; with `status`, that unit's
    relationship with it starts too. Earlier policy mentions of its name are linked."""
    organisation = OutsideOrganisation(unit=unit)
    if not actor.has_perm("alliances.change_organisation", organisation):
        raise NotPermitted(
            _("Only officers of %(unit)s or a unit above it may record organisations for it.")
            % {"unit": unit}
        )
    fields = _organisation_fields(
        name=name,
        kind=kind,
        country=country,
        language=language,
        website=website,
        description=description,
    )
    if status and status not in Relationship.Status.values:
        raise Refused(_("Choose the relationship."), field="status")
    _taken(fields["name"])
    now = clock.now()
    try:
        with transaction.atomic():
            for attr, value in fields.items():
                setattr(organisation, attr, value)
            organisation.created_by = actor
            organisation.created_at = now
            organisation.save()
            record_append(
                kind="alliances.organisation_recorded",
                subject=organisation,
                actor=actor,
                payload={"unit": unit.pk, "country": organisation.country.lower()},
            )
            if status:
                _relationship_start(organisation, unit, status, actor, now)
            matching.link_mentions(get_model=apps.get_model, now=now, organisations=[organisation])
    except IntegrityError:
        raise Conflict(_("%(name)s is already recorded.") % {"name": fields["name"]}) from None
    return organisation


def organisation_update(
    *,
    actor: Any,
    organisation: OutsideOrganisation,
    name: str,
    kind: str,
    country: str,
    language: str = "",
    website: str = "",
    description: str = "",
) -> OutsideOrganisation:
    """Correct an organisation's public facts."""
    if not actor.has_perm("alliances.change_organisation", organisation):
        raise NotPermitted(
            _("Only officers of %(unit)s or a unit above it may change this record.")
            % {"unit": organisation.unit}
        )
    fields = _organisation_fields(
        name=name,
        kind=kind,
        country=country,
        language=language,
        website=website,
        description=description,
    )
    _taken(fields["name"], but=organisation.pk)
    try:
        with transaction.atomic():
            locked = OutsideOrganisation.objects.select_for_update().get(pk=organisation.pk)
            for attr, value in fields.items():
                setattr(locked, attr, value)
            locked.save()
            record_append(
                kind="alliances.organisation_changed",
                subject=locked,
                actor=actor,
                payload={"country": locked.country.lower()},
            )
            matching.link_mentions(
                get_model=apps.get_model, now=clock.now(), organisations=[locked]
            )
    except IntegrityError:
        raise Conflict(_("%(name)s is already recorded.") % {"name": fields["name"]}) from None
    return locked


def _relationship_start(
    organisation: OutsideOrganisation, unit: Unit, status: str, actor: Any, now: Any
) -> Relationship:
    relationship = Relationship.objects.create(
        organisation=organisation, unit=unit, status=status, since=now.date(), created_at=now
    )
    StatusChange.objects.create(
        relationship=relationship, status=status, changed_by=actor, changed_at=now
    )
    record_append(
        kind="alliances.relationship_started",
        subject=relationship,
        actor=actor,
        payload={"organisation": organisation.pk, "unit": unit.pk, "status": status},
    )
    return relationship


def relationship_start(
    *, actor: Any, organisation: OutsideOrganisation, unit: Unit, status: str
) -> Relationship:
    """A unit starts its own relationship with an organisation already recorded."""
    if not actor.has_perm("alliances.manage_relationship", Relationship(unit=unit)):
        raise NotPermitted(
            _("Only officers of %(unit)s or a unit above it may speak for it.") % {"unit": unit}
        )
    if status not in Relationship.Status.values or status == Relationship.Status.ENDED:
        raise Refused(
            _("Choose the relationship: contact, cooperation or formal alliance."), field="status"
        )
    if unit.closed_on is not None:
        raise Refused(_("%(unit)s is closed.") % {"unit": unit}, field="unit")
    if organisation.relationships.filter(unit=unit).exists():
        raise Conflict(
            _("%(unit)s already has a relationship with %(org)s: change its status instead.")
            % {"unit": unit, "org": organisation}
        )
    try:
        with transaction.atomic():
            return _relationship_start(organisation, unit, status, actor, clock.now())
    except IntegrityError:
        raise Conflict(_("%(unit)s already has a relationship with it.") % {"unit": unit}) from None


def relationship_change(
    *, actor: Any, relationship: Relationship, status: str, note: str = ""
) -> Relationship:
    """Move the relationship on (or end it), with the reason kept in its history."""
    if not actor.has_perm("alliances.manage_relationship", relationship):
        raise NotPermitted(
            _("Only officers of %(unit)s or a unit above it may change this relationship.")
            % {"unit": relationship.unit}
        )
    if status not in Relationship.Status.values:
        raise Refused(_("Choose the relationship."), field="status")
    note = _line(note, field="note", what=_("The reason"), limit=500, required=False)
    now = clock.now()
    with transaction.atomic():
        locked = Relationship.objects.select_for_update().get(pk=relationship.pk)
        if locked.status == status:
            raise Conflict(
                _("The relationship is already %(status)s.")
                % {"status": locked.get_status_display()},
            )
        locked.status = status
        locked.since = now.date()
        locked.save(update_fields=["status", "since"])
        StatusChange.objects.create(
            relationship=locked, status=status, note=note, changed_by=actor, changed_at=now
        )
        record_append(
            kind="alliances.relationship_changed",
            subject=locked,
            actor=actor,
            payload={"status": status},
        )
    return locked


def relationship_holder_add(*, actor: Any, relationship: Relationship, member: Any) -> Relationship:
    """Name a member of the unit (or below) as one who holds the relationship."""
    if not actor.has_perm("alliances.manage_relationship", relationship):
        raise NotPermitted(
            _("Only officers of %(unit)s or a unit above it may say who holds this relationship.")
            % {"unit": relationship.unit}
        )
    home = getattr(member, "unit", None)
    if (
        member is None
        or not member.is_member
        or home is None
        or not home.path.startswith(relationship.unit.path)
    ):
        raise Refused(
            _("Only a member of %(unit)s (or a unit under it) may hold its relationship.")
            % {"unit": relationship.unit},
            field="member",
        )
    with transaction.atomic():
        relationship.holders.add(member)
        record_append(
            kind="alliances.holder_added",
            subject=relationship,
            actor=actor,
            payload={"member": member.pk},
        )
        notify(
            kind="alliances.holder_added",
            title=_("You now hold the relationship with %(org)s")
            % {"org": relationship.organisation.name},
            link=relationship.get_absolute_url(),
            members=[member],
            actor=actor,
        )
    return relationship


def relationship_holder_remove(
    *, actor: Any, relationship: Relationship, member: Any
) -> Relationship:
    if not actor.has_perm("alliances.manage_relationship", relationship):
        raise NotPermitted(
            _("Only officers of %(unit)s or a unit above it may say who holds this relationship.")
            % {"unit": relationship.unit}
        )
    if not relationship.holders.filter(pk=member.pk).exists():
        raise Refused(_("They do not hold this relationship."), field="member")
    with transaction.atomic():
        relationship.holders.remove(member)
        record_append(
            kind="alliances.holder_removed",
            subject=relationship,
            actor=actor,
            payload={"member": member.pk},
        )
    return relationship


def contact_person_add(
    *,
    actor: Any,
    relationship: Relationship,
    name: str,
    consent_to: str,
    consent_on: date | None,
    role: str = "",
    email: str = "",
    phone: str = "",
) -> ContactPerson:
    """Record a contact person, only with the consent they gave: what to, and when."""
    if not actor.has_perm("alliances.add_contact_person", relationship):
        raise NotPermitted(
            _(
                "Only those who hold this relationship and the officers of %(unit)s may add "
                "contact people."
            )
            % {"unit": relationship.unit}
        )
    found = Refusals()
    with found:
        name = _line(name, field="name", what=_("Their name"))
    with found:
        role = _line(role, field="role", what=_("Their role"), required=False)
    email = (email or "").strip()
    if email:
        try:
            EmailValidator()(email)
        except ValidationError:
            found.add(Refused(_("Give a valid email address, or none."), field="email"))
    phone = (phone or "").strip()
    if phone and not PHONE.match(phone):
        found.add(
            Refused(
                _("Give the phone number in digits (spaces, + and - allowed), or none."),
                field="phone",
            )
        )
    consent_text = clean_plain(consent_to or "")
    if not consent_text:
        found.add(
            Refused(
                _(
                    "Record what they consented to (e.g. to be emailed about joint campaigns): "
                    "nobody's details are kept without their consent."
                ),
                field="consent_to",
            )
        )
    elif len(consent_text) > 500:
        found.add(
            Refused(_("Say what they consented to in at most 500 characters."), field="consent_to")
        )
    with found:
        consented_on = _day_past(
            consent_on,
            field="consent_on",
            missing=_("Give the date they consented."),
            future=_("The date of consent cannot be in the future."),
        )
    found.raise_any()
    with transaction.atomic():
        person = ContactPerson.objects.create(
            relationship=relationship,
            name=name,
            role=role,
            email=email,
            phone=phone,
            consent_to=consent_text,
            consent_on=consented_on,
            consent_recorded_by=actor,
            created_at=clock.now(),
        )
        record_append(
            kind="alliances.contact_person_added",
            subject=person,
            actor=actor,
            payload={"relationship": relationship.pk, "consent_on": consented_on.isoformat()},
        )
    return person


def contact_person_erase(*, actor: Any, person: ContactPerson) -> ContactPerson:
    """Erase a contact person's details on their request (or when consent is withdrawn):
    name, role, email, phone and what they consented to are emptied; the dates stay."""
    if not actor.has_perm("alliances.view_contact_details", person.relationship) or not (
        actor.has_perm("alliances.add_contact_person", person.relationship) or actor.is_superuser
    ):
        raise NotPermitted(_("Only those who hold this relationship and its officers may do this."))
    with transaction.atomic():
        locked = ContactPerson.objects.select_for_update().get(pk=person.pk)
        if locked.erased_at is not None:
            raise Conflict(_("This contact person's details are already erased."))
        locked.name = ""
        locked.role = ""
        locked.email = ""
        locked.phone = ""
        locked.consent_to = ""
        locked.erased_at = clock.now()
        locked.save()
        record_append(
            kind="alliances.contact_person_erased",
            subject=locked,
            actor=actor,
            payload={"relationship": locked.relationship_id},
        )
    return locked


def activity_record(
    *, actor: Any, relationship: Relationship, kind: str, on: date | None, summary: str
) -> Activity:
    """A contact with the organisation or a joint action, on its day."""
    if not actor.has_perm("alliances.record_activity", relationship):
        raise NotPermitted(
            _("Only those who hold this relationship and the officers of %(unit)s may record this.")
            % {"unit": relationship.unit}
        )
    found = Refusals()
    if kind not in Activity.Kind.values:
        found.add(Refused(_("Choose a contact or a joint action."), field="kind"))
    with found:
        day = _day_past(
            on,
            field="on",
            missing=_("Give the day."),
            future=_("Record it once it has happened (not a future day)."),
        )
    with found:
        summary = _text(summary, field="summary", what=_("What happened"))
    found.raise_any()
    with transaction.atomic():
        activity = Activity.objects.create(
            relationship=relationship,
            kind=kind,
            on=day,
            summary=summary,
            recorded_by=actor,
            recorded_at=clock.now(),
        )
        record_append(
            kind="alliances.activity_recorded",
            subject=activity,
            actor=actor,
            payload={"relationship": relationship.pk, "kind": kind, "on": day.isoformat()},
        )
    return activity


def _statement_texts(texts: list[dict[str, str]], partner_language: str) -> list[dict[str, str]]:
    found = Refusals()
    checked = []
    seen = set()
    for i, given in enumerate(texts):
        title = (given.get("title") or "").strip()
        text = (given.get("text") or "").strip()
        if not title and not text and i > 0:
            continue
        with found:
            language = _language(given.get("language", ""), field=f"language_{i}", required=True)
            if language.lower() in seen:
                raise Refused(_("Give each language once."), field=f"language_{i}")
            seen.add(language.lower())
            checked.append(
                {
                    "language": language,
                    "title": _line(title, field=f"title_{i}", what=_("The title")),
                    "text": _text(text, field=f"text_{i}", what=_("The statement")),
                }
            )
    if not texts:
        found.add(Refused(_("Write the statement."), field="text_0"))
    found.raise_any()
    ours = settings.LANGUAGE_CODE.split("-")[0]
    wanted = {ours} | ({partner_language.split("-")[0].lower()} if partner_language else set())
    have = {t["language"].split("-")[0].lower() for t in checked}
    missing = sorted(wanted - have)
    if missing:
        raise Refused(
            _("Give the statement in each partner's language too: %(missing)s is missing.")
            % {"missing": ", ".join(missing)},
            field=f"language_{len(checked)}" if len(checked) < 2 else "language_1",
        )
    return checked


def joint_statement_draft(
    *, actor: Any, relationship: Relationship, texts: list[dict[str, str]]
) -> JointStatement:
    """Draft a statement with an ally, in our language and the partner's where given."""
    if not actor.has_perm("alliances.draft_statement", relationship):
        raise NotPermitted(
            _("Only officers of %(unit)s or a unit above it may draft its joint statements.")
            % {"unit": relationship.unit}
        )
    if relationship.status not in (Relationship.Status.ALLIANCE, Relationship.Status.COOPERATION):
        raise Refused(
            _("Joint statements are made with organisations we cooperate or are allied with."),
            field="status",
        )
    checked = _statement_texts(texts, relationship.organisation.language)
    with transaction.atomic():
        statement = JointStatement.objects.create(
            relationship=relationship, drafted_by=actor, created_at=clock.now()
        )
        for text in checked:
            StatementText.objects.create(statement=statement, **text)
        record_append(
            kind="alliances.statement_drafted",
            subject=statement,
            actor=actor,
            payload={"relationship": relationship.pk, "languages": len(checked)},
        )
    return statement


def competent_bodies(relationship: Relationship) -> list[Body]:
    """The bodies that may agree a statement for the unit: its assembly and leadership."""
    return list(
        Body.objects.filter(
            unit=relationship.unit,
            kind__in=[Body.Kind.ASSEMBLY, Body.Kind.LEADERSHIP],
            closed_on=None,
        ).order_by("kind", "name")
    )


def _statement_subject(statement: JointStatement) -> str:
    return f"alliances.statement:{statement.pk}"


def _may_act_on(actor: Any, statement: JointStatement, what: str) -> None:
    relationship = statement.relationship
    if not actor.has_perm("alliances.draft_statement", relationship):
        raise NotPermitted(
            _("Only officers of %(unit)s or a unit above it may %(what)s.")
            % {"unit": relationship.unit, "what": what}
        )


def joint_statement_put_to_meeting(*, actor: Any, statement: JointStatement, meeting: Any) -> Any:
    """Put the draft to the competent body: an agenda item of one of its meetings with the
    statement as the motion, voted on as any motion is; the carried motion's decision (its
    subject is the statement) is the agreement that lets it be published."""
    from commonweal.meetings.models import Motion
    from commonweal.meetings.services import agenda_item_add, motion_table

    _may_act_on(actor, statement, _("put its statements to the body"))
    relationship = statement.relationship
    if meeting.body not in competent_bodies(relationship):
        raise Refused(
            _("Put it to a meeting of the assembly or the leadership of %(unit)s.")
            % {"unit": relationship.unit},
            field="meeting",
        )
    with transaction.atomic():
        locked = JointStatement.objects.select_for_update().get(pk=statement.pk)
        if locked.status != JointStatement.Status.DRAFT:
            raise Conflict(_("This statement has already been agreed."))
        if (
            locked.motion_id
            and Motion.objects.filter(
                pk=locked.motion_id,
                state__in=[Motion.State.TABLED, Motion.State.VOTING, Motion.State.CARRIED],
            ).exists()
        ):
            raise Conflict(_("A motion on this statement is already before the body."))
        texts = list(locked.texts.all())
        wording = "\n\n".join(f"**[{t.language}] {t.title}**\n\n{t.text}" for t in texts)
        item = agenda_item_add(
            meeting=meeting,
            kind="motion",
            title=_("Joint statement with %(org)s: %(title)s")
            % {"org": relationship.organisation.name, "title": texts[0].title},
            text=wording,
            subject=_statement_subject(locked),
            added_by=actor,
        )
        motion = motion_table(
            item=item,
            text=_("We agree this joint statement with %(org)s and publish it:\n\n%(text)s")
            % {"org": relationship.organisation.name, "text": wording},
            tabled_by=actor,
        )
        locked.motion_id = motion.pk
        locked.save(update_fields=["motion_id"])
        record_append(
            kind="alliances.statement_put_to_body",
            subject=locked,
            actor=actor,
            payload={"meeting": meeting.pk, "motion": motion.pk},
        )
    return motion


def joint_statement_agree(*, actor: Any, statement: JointStatement, body: Body) -> JointStatement:
    """The officers record the competent body's agreement as a decision of that body; where
    the rulebook wants the body's vote (`alliances.statement_needs_vote`) it is refused:
    the draft goes to one of its meetings as a motion instead."""
    from commonweal.decisions.services import decision_record

    _may_act_on(actor, statement, _("record its agreement"))
    relationship = statement.relationship
    rulebook = current()
    if rulebook["alliances.statement_needs_vote"]:
        raise Refused(
            _(
                "The rulebook asks for the vote of the assembly or the leadership of "
                "%(unit)s: put the statement to one of its meetings."
            )
            % {"unit": relationship.unit},
            field="body",
        )
    if body not in competent_bodies(relationship):
        raise Refused(
            _("A statement of %(unit)s is agreed by its assembly or its leadership.")
            % {"unit": relationship.unit},
            field="body",
        )
    with transaction.atomic():
        locked = JointStatement.objects.select_for_update().get(pk=statement.pk)
        if locked.status != JointStatement.Status.DRAFT:
            raise Conflict(_("This statement has already been agreed."))
        texts = list(locked.texts.all())
        decision = decision_record(
            kind="motion",
            title=_("Joint statement with %(org)s: %(title)s")
            % {"org": relationship.organisation.name, "title": texts[0].title},
            text="\n\n".join(f"**[{t.language}] {t.title}**\n\n{t.text}" for t in texts),
            body=body,
            rulebook_version=rulebook.version,
            subject=_statement_subject(locked),
            link=locked.get_absolute_url(),
            recorded_by=actor,
        )
        _agreed(locked, decision, actor, rulebook.version)
    return locked


def _agreed(statement: JointStatement, decision: Any, actor: Any, rulebook_version: int) -> None:
    statement.status = JointStatement.Status.AGREED
    statement.decision = decision
    statement.agreed_at = clock.now()
    statement.save(update_fields=["status", "decision", "agreed_at"])
    record_append(
        kind="alliances.statement_agreed",
        subject=statement,
        actor=actor,
        payload={"decision": decision.pk, "body": decision.body_id},
        rulebook_version=rulebook_version,
    )


def _public_content_changed() -> None:
    from commonweal.website.services import public_content_changed

    public_content_changed()


def joint_statement_publish(*, actor: Any, statement: JointStatement) -> JointStatement:
    """Publish an agreed statement on the public website, in each of its languages. A draft
    put to the body is agreed by its carried motion: publishing records that agreement."""
    from . import selectors

    relationship = statement.relationship
    _may_act_on(actor, statement, _("publish its statements"))
    with transaction.atomic():
        locked = JointStatement.objects.select_for_update().get(pk=statement.pk)
        if locked.status == JointStatement.Status.DRAFT:
            decision = selectors.carried_motion(locked)
            if decision is None:
                raise Refused(_("A statement is published once the competent body has agreed it."))
            _agreed(locked, decision, actor, current().version)
        if locked.status == JointStatement.Status.PUBLISHED:
            raise Conflict(_("This statement is already published."))
        locked.status = JointStatement.Status.PUBLISHED
        locked.published_at = clock.now()
        locked.save(update_fields=["status", "published_at"])
        record_append(
            kind="alliances.statement_published",
            subject=locked,
            actor=actor,
            payload={"decision": locked.decision_id},
        )
        notify(
            kind="news.statement_published",
            title=_("Joint statement with %(org)s published")
            % {"org": relationship.organisation.name},
            link=locked.get_public_url(),
            units=[relationship.unit],
            actor=actor,
            thread=f"alliances.statement:{locked.pk}",
        )
        transaction.on_commit(_public_content_changed)
    return locked


def link_policy_row(link_field: str, row: Any) -> int:
    """Link one policy row (a proposal, an outside consultation, an invitation) to the
    organisation its free text names, if any."""
    return matching.link_row(
        get_model=apps.get_model, now=clock.now(), link_field=link_field, row=row
    )


def member_erase(member: Any) -> None:
    """An erased member holds no relationship any more."""
    member.outside_relationships_held.clear()
