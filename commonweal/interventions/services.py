"""Struggles, spontaneous actions, interventions, their assessment and lessons.

Tactical decisions the rulebook reserves to a body (``interventions.decision_needed_for``,
e.g. contesting an election) go to it as a motion on a meeting's agenda through the meetings
and voting machinery; the carried motion's decision (its subject is the intervention) is what
authorises the work. Who does what are the decisions app's actions on that decision.
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from datetime import date, timedelta
from typing import Any

from django.conf import settings
from django.db import transaction
from django.urls import reverse
from django.utils.translation import gettext as _

from commonweal.alliances.models import OutsideOrganisation
from commonweal.core import clock
from commonweal.core.errors import Conflict, NotPermitted, Refusals, Refused
from commonweal.core.markdown import clean_plain
from commonweal.members.needs import day_end
from commonweal.notifications.selectors import not_reminded
from commonweal.notifications.services import notify, remind_once
from commonweal.organisation.models import Body
from commonweal.organisation.selectors import officer_ids_of_body, officers_of_unit
from commonweal.record.services import record_append, subject_of
from commonweal.rulebook.selectors import current as current_rulebook
from commonweal.search.services import index as search_index

from . import selectors
from .models import (
    TEXT_MAX,
    Assessment,
    Intervention,
    Lesson,
    SpontaneousAction,
    Struggle,
    StruggleEvent,
    Tag,
)

TAGS_MAX = 10
# Organisations named in one struggle or intervention: enough for a broad coalition.
ORGANISATIONS_MAX = 50
COUNTRY = re.compile(r"^[A-Z]{2}$")


def _text(value: str, field: str, message: str, found: Refusals | None = None) -> str:
    value = (value or "").strip()
    problem = None
    if not value:
        problem = Refused(message, field=field)
    elif len(value) > TEXT_MAX:
        problem = Refused(_("At most %(n)s characters.") % {"n": f"{TEXT_MAX:,}"}, field=field)
    if problem is not None:
        if found is None:
            raise problem
        found.add(problem)
    return value


def _title(value: str, found: Refusals, field: str = "title") -> str:
    value = clean_plain(value or "")[:200]
    if not value:
        found.add(Refused(_("Give it a title."), field=field))
    return value


def _members_only(people: Iterable[Any]) -> list[Any]:
    people = list(people)
    if any(not getattr(p, "is_member", False) for p in people):
        raise Refused(_("Only current members can be named as involved."), field="members")
    return people


def _country(value: str, found: Refusals) -> str:
    code = (value or settings.COMMONWEAL_HOME_COUNTRY).strip().upper()
    if not COUNTRY.match(code):
        found.add(
            Refused(
                _("Give the country as its two-letter code, e.g. GB, DE or BR."), field="country"
            )
        )
    return code


def _organisations(organisations: Iterable[Any]) -> list[OutsideOrganisation]:
    """Outside organisations named as involved: their public facts are every member's to read,
    so naming one reveals nothing; the link is seen by whoever sees the struggle."""
    chosen = list(dict.fromkeys(organisations))
    if any(not isinstance(o, OutsideOrganisation) for o in chosen):
        raise Refused(
            _("Choose organisations from the outside organisations recorded."),
            field="organisations",
        )
    if len(chosen) > ORGANISATIONS_MAX:
        raise Refused(
            _("At most %(n)s organisations.") % {"n": ORGANISATIONS_MAX}, field="organisations"
        )
    return chosen


# Struggles -----------------------------------------------------------------------------


def struggle_create(
    *,
    by: Any,
    title: str,
    kind: str,
    unit: Any,
    since: date,
    description: str = "",
    involvement: str = Struggle.Involvement.WATCHING,
    units: Iterable[Any] = (),
    members: Iterable[Any] = (),
    country: str = "",
    organisations: Iterable[Any] = (),
) -> Struggle:
    """An officer of the unit (or above) registers a struggle there (in the home country
    unless another is given), with the outside organisations in it."""
    if not by.has_perm("interventions.add_struggle", unit):
        raise NotPermitted(
            _("Only the officers of %(unit)s may register its struggles.") % {"unit": unit.name}
        )
    found = Refusals()
    title = _title(title, found)
    if kind not in Struggle.Kind.values:
        found.add(Refused(_("Choose what kind of struggle it is."), field="kind"))
    if involvement not in Struggle.Involvement.values:
        found.add(Refused(_("Say whether we take part or watch."), field="involvement"))
    if since > clock.now().date():
        found.add(Refused(_("A struggle registered here has already begun."), field="since"))
    if len(description or "") > TEXT_MAX:
        found.add(Refused(_("The description is too long."), field="description"))
    country = _country(country, found)
    found.raise_any()
    members = _members_only(members)
    organisations = _organisations(organisations)
    with transaction.atomic():
        struggle = Struggle.objects.create(
            title=title,
            description=description or "",
            kind=kind,
            unit=unit,
            country=country,
            since=since,
            involvement=involvement,
            created_by=by,
            created_at=clock.now(),
        )
        struggle.units.set(list(units))
        struggle.members.set(members)
        struggle.organisations.set(organisations)
        record_append(
            kind="struggle.registered",
            subject=struggle,
            actor=by,
            payload={
                "unit": unit.pk,
                "kind": kind,
                "members": len(members),
                "organisations": [o.pk for o in organisations],
            },
        )
    return struggle


def struggle_update(
    *,
    struggle: Struggle,
    by: Any,
    status: str,
    involvement: str,
    units: Iterable[Any] = (),
    members: Iterable[Any] = (),
    country: str | None = None,
    organisations: Iterable[Any] | None = None,
) -> Struggle:
    """The unit's officers set the struggle's status and who is involved (the country and
    the outside organisations are left as they are when not given)."""
    if not by.has_perm("interventions.manage_struggle", struggle):
        raise NotPermitted(_("Only the officers of the struggle's unit may change it."))
    if status not in Struggle.Status.values:
        raise Refused(_("Unknown status."), field="status")
    if involvement not in Struggle.Involvement.values:
        raise Refused(_("Say whether we take part or watch."), field="involvement")
    found = Refusals()
    country = struggle.country if country is None else _country(country, found)
    found.raise_any()
    members = _members_only(members)
    if organisations is not None:
        organisations = _organisations(organisations)
    with transaction.atomic():
        struggle = Struggle.objects.select_for_update().get(pk=struggle.pk)
        struggle.status = status
        struggle.involvement = involvement
        struggle.country = country
        struggle.save(update_fields=["status", "involvement", "country"])
        struggle.units.set(list(units))
        struggle.members.set(members)
        if organisations is not None:
            struggle.organisations.set(organisations)
        record_append(
            kind="struggle.updated",
            subject=struggle,
            actor=by,
            payload={
                "status": status,
                "members": len(members),
                "organisations": [o.pk for o in struggle.organisations.all()],
            },
        )
    return struggle


def struggle_event_add(
    *,
    struggle: Struggle,
    by: Any,
    happened_on: date,
    text: str,
    source: str = "",
    document: Any = None,
) -> StruggleEvent:
    """Add a line to the timeline, with its source and any document from the library."""
    if not by.has_perm("interventions.manage_struggle", struggle):
        raise NotPermitted(_("Only the officers of the struggle's unit may add to its timeline."))
    found = Refusals()
    text = _text(text, "text", _("Say what happened."), found)
    if happened_on > clock.now().date():
        found.add(Refused(_("The timeline records what has happened."), field="happened_on"))
    if source and not source.startswith(("https://", "http://")):
        found.add(Refused(_("A source is a web address."), field="source"))
    if document is not None and not by.has_perm("library.view_document", document):
        found.add(Refused(_("No such document in a library you may read."), field="document"))
    found.raise_any()
    with transaction.atomic():
        event = StruggleEvent.objects.create(
            struggle=struggle,
            happened_on=happened_on,
            text=text,
            source=source[:500],
            document=document,
            added_by=by,
            added_at=clock.now(),
        )
        record_append(
            kind="struggle.event_added",
            subject=struggle,
            actor=by,
            payload={"event": event.pk, "document": getattr(document, "pk", None)},
        )
    return event


def spontaneous_action_report(*, by: Any, unit: Any, what: str, seen_on: date) -> SpontaneousAction:
    """A member reports a spontaneous action they have seen, to their unit's officers."""
    if not by.has_perm("interventions.report_action", unit):
        raise NotPermitted(_("You report what you have seen to your own unit or one above it."))
    found = Refusals()
    what = _text(what, "what", _("Say what you saw."), found)
    if seen_on > clock.now().date():
        found.add(Refused(_("Report what you have already seen."), field="seen_on"))
    found.raise_any()
    with transaction.atomic():
        report = SpontaneousAction.objects.create(
            unit=unit, what=what, seen_on=seen_on, reported_by=by, reported_at=clock.now()
        )
        record_append(kind="struggle.action_reported", subject=report, actor=by)
        notify(
            kind="struggle.action_reported",
            title=_("A member has reported a spontaneous action in %(unit)s") % {"unit": unit.name},
            link=reverse("interventions:reports"),
            members=list(officers_of_unit(unit).values_list("pk", flat=True)),
            actor=by,
        )
    return report


def spontaneous_action_decide(
    *,
    report: SpontaneousAction,
    by: Any,
    follow: bool,
    reason: str = "",
    struggle: Struggle | None = None,
    title: str = "",
) -> SpontaneousAction:
    """The unit's officers follow the action (into a struggle, new or existing) or not; the
    member who reported it is told either way."""
    if not by.has_perm("interventions.decide_report", report):
        raise NotPermitted(_("Only the officers of the unit decide whether to follow it."))
    reason = clean_plain(reason or "")[:500]
    if not follow and not reason:
        raise Refused(_("Tell the member why it is not followed."), field="reason")
    if (
        follow
        and struggle is not None
        and not by.has_perm("interventions.manage_struggle", struggle)
    ):
        raise Refused(_("Choose a struggle of your unit."), field="struggle")
    if follow and struggle is None and not clean_plain(title or ""):
        raise Refused(_("Name the struggle it starts, or choose one."), field="title")
    with transaction.atomic():
        report = SpontaneousAction.objects.select_for_update().get(pk=report.pk)
        if report.status != SpontaneousAction.Status.REPORTED:
            raise Conflict(_("The officers have already decided on this report."))
        if follow and struggle is None:
            struggle = struggle_create(
                by=by,
                title=title,
                kind=Struggle.Kind.LOCAL_CAMPAIGN,
                unit=report.unit,
                since=report.seen_on,
                description=report.what,
                involvement=Struggle.Involvement.TAKING_PART,
            )
        report.status = (
            SpontaneousAction.Status.FOLLOWED if follow else SpontaneousAction.Status.DECLINED
        )
        report.decided_by = by
        report.decided_at = clock.now()
        report.reason = reason
        report.struggle = struggle if follow else None
        report.save(update_fields=["status", "decided_by", "decided_at", "reason", "struggle"])
        record_append(
            kind="struggle.action_decided",
            subject=report,
            actor=by,
            payload={"follow": follow, "struggle": getattr(struggle, "pk", None)},
        )
        if report.reported_by_id:
            notify(
                kind="struggle.action_decided",
                title=(
                    _("Your report is followed: %(title)s") % {"title": struggle.title}
                    if follow and struggle is not None
                    else _("Your report of a spontaneous action is not followed: %(reason)s")
                    % {"reason": reason}
                ),
                link=(
                    reverse("interventions:struggle", args=[struggle.pk])
                    if follow and struggle is not None
                    else reverse("interventions:reports")
                ),
                members=[report.reported_by_id],
                actor=by,
            )
    return report


# Interventions -------------------------------------------------------------------------


def intervention_plan(
    *,
    struggle: Struggle,
    body: Body,
    by: Any,
    title: str,
    kind: str,
    aims: str,
    assess_on: date,
    organisations: Iterable[Any] = (),
) -> Intervention:
    """The responsible body's officers plan an intervention with its aims stated beforehand,
    and the outside organisations that are partners in it.

    A kind the rulebook reserves to the body waits for its decision; the officers' plan of
    any other kind is recorded in the decision register at once, for actions to hang on.
    """
    if not by.has_perm("interventions.view_struggle", struggle):
        raise NotPermitted(_("No such struggle."))
    if not by.has_perm("interventions.plan_intervention", body):
        raise NotPermitted(
            _("Only the officers of %(body)s may plan its interventions.") % {"body": body.name}
        )
    rulebook = current_rulebook()
    found = Refusals()
    title = _title(title, found)
    if kind not in Intervention.Kind.values:
        found.add(Refused(_("Choose what kind of intervention it is."), field="kind"))
    aims = _text(aims, "aims", _("State the aims beforehand: it is assessed against them."), found)
    if assess_on <= clock.now().date():
        found.add(Refused(_("The assessment date is in the future."), field="assess_on"))
    if struggle.status != Struggle.Status.ONGOING:
        found.add(Refused(_("This struggle has ended."), field="struggle"))
    found.raise_any()
    organisations = _organisations(organisations)
    needs_decision = kind in rulebook["interventions.decision_needed_for"]
    with transaction.atomic():
        intervention = Intervention.objects.create(
            struggle=struggle,
            title=title,
            kind=kind,
            body=body,
            unit=body.unit,
            aims=aims,
            assess_on=assess_on,
            needs_decision=needs_decision,
            status=(
                Intervention.Status.AWAITING_DECISION
                if needs_decision
                else Intervention.Status.PLANNED
            ),
            planned_by=by,
            planned_at=clock.now(),
        )
        intervention.organisations.set(organisations)
        record_append(
            kind="intervention.planned",
            subject=intervention,
            actor=by,
            payload={
                "body": body.pk,
                "kind": kind,
                "needs_decision": needs_decision,
                "organisations": [o.pk for o in organisations],
            },
            rulebook_version=rulebook.version,
        )
        if not needs_decision:
            from commonweal.decisions.services import decision_record

            intervention.decision = decision_record(
                kind="intervention",
                title=_("Intervention: %(title)s") % {"title": title},
                text=aims,
                body=body,
                rulebook_version=rulebook.version,
                subject=intervention.subject,
                link=reverse("interventions:detail", args=[intervention.pk]),
                recorded_by=by,
            )
            intervention.save(update_fields=["decision"])
    return intervention


def intervention_partners_set(
    *, intervention: Intervention, by: Any, organisations: Iterable[Any]
) -> Intervention:
    """The responsible body's officers name the outside organisations that are partners in
    the intervention (a partner may join or leave while the work goes on)."""
    if not by.has_perm("interventions.manage_intervention", intervention):
        raise NotPermitted(_("Only the responsible body's officers may name its partners."))
    organisations = _organisations(organisations)
    with transaction.atomic():
        intervention = Intervention.objects.select_for_update().get(pk=intervention.pk)
        if intervention.status in (Intervention.Status.ASSESSED, Intervention.Status.CANCELLED):
            raise Conflict(_("This intervention is closed."))
        intervention.organisations.set(organisations)
        record_append(
            kind="intervention.partners_set",
            subject=intervention,
            actor=by,
            payload={"organisations": [o.pk for o in organisations]},
        )
    return intervention


def intervention_put_to_meeting(*, intervention: Intervention, meeting: Any, by: Any) -> Any:
    """Put the decision to the responsible body: an agenda item of its meeting with the
    intervention's aims as the motion, voted on as any motion is."""
    from commonweal.meetings.models import Motion
    from commonweal.meetings.services import agenda_item_add, motion_table

    if not by.has_perm("interventions.manage_intervention", intervention):
        raise NotPermitted(_("Only the responsible body's officers may put it to the body."))
    if meeting.body_id != intervention.body_id:
        raise Refused(
            _("Put it to a meeting of %(body)s, the body responsible.")
            % {"body": intervention.body.name},
            field="meeting",
        )
    with transaction.atomic():
        intervention = Intervention.objects.select_for_update().get(pk=intervention.pk)
        if intervention.status != Intervention.Status.AWAITING_DECISION:
            raise Conflict(_("This intervention is not waiting for a decision."))
        if (
            intervention.motion_id
            and Motion.objects.filter(
                pk=intervention.motion_id,
                state__in=[Motion.State.TABLED, Motion.State.VOTING, Motion.State.CARRIED],
            ).exists()
        ):
            raise Conflict(_("A motion on this intervention is already before the body."))
        item = agenda_item_add(
            meeting=meeting,
            kind="motion",
            title=_("Intervention: %(title)s") % {"title": intervention.title},
            text=intervention.aims,
            subject=intervention.subject,
            added_by=by,
        )
        motion = motion_table(
            item=item,
            text=_("We carry out this intervention (%(kind)s), with these aims:\n\n%(aims)s")
            % {"kind": intervention.get_kind_display(), "aims": intervention.aims},
            tabled_by=by,
        )
        intervention.motion_id = motion.pk
        intervention.save(update_fields=["motion_id"])
        record_append(
            kind="intervention.put_to_body",
            subject=intervention,
            actor=by,
            payload={"meeting": meeting.pk, "motion": motion.pk},
        )
    return motion


def intervention_start(*, intervention: Intervention, by: Any) -> Intervention:
    """The work begins: refused while a decision the rulebook requires has not been taken."""
    if not by.has_perm("interventions.manage_intervention", intervention):
        raise NotPermitted(_("Only the responsible body's officers may start it."))
    with transaction.atomic():
        intervention = Intervention.objects.select_for_update().get(pk=intervention.pk)
        if intervention.status == Intervention.Status.AWAITING_DECISION:
            decision = selectors.authorising_decision(intervention)
            if decision is None:
                raise Conflict(
                    _("%(body)s has not decided on this intervention yet: it needs its vote.")
                    % {"body": intervention.body.name}
                )
            intervention.decision = decision
        elif intervention.status != Intervention.Status.PLANNED:
            raise Conflict(_("This intervention has already started."))
        intervention.status = Intervention.Status.UNDER_WAY
        intervention.save(update_fields=["status", "decision"])
        record_append(
            kind="intervention.started",
            subject=intervention,
            actor=by,
            payload={"decision": intervention.decision_id},
        )
    return intervention


def intervention_report(*, intervention: Intervention, by: Any, report: str) -> Intervention:
    """Say what happened; the intervention then waits for its assessment."""
    if not by.has_perm("interventions.manage_intervention", intervention):
        raise NotPermitted(_("Only the responsible body's officers may report on it."))
    report = _text(report, "report", _("Say what happened."))
    with transaction.atomic():
        intervention = Intervention.objects.select_for_update().get(pk=intervention.pk)
        if intervention.status != Intervention.Status.UNDER_WAY:
            raise Conflict(_("Only an intervention under way is reported as carried out."))
        intervention.report = report
        intervention.reported_at = clock.now()
        intervention.status = Intervention.Status.CARRIED_OUT
        intervention.save(update_fields=["report", "report_html", "reported_at", "status"])
        record_append(kind="intervention.carried_out", subject=intervention, actor=by)
        notify(
            kind="intervention.carried_out",
            title=_("Carried out, to be assessed by %(day)s: %(title)s")
            % {"day": intervention.assess_on, "title": intervention.title},
            link=reverse("interventions:detail", args=[intervention.pk]),
            bodies=[intervention.body_id],
            actor=by,
        )
    return intervention


def intervention_cancel(*, intervention: Intervention, by: Any, reason: str) -> Intervention:
    """The responsible body's officers call off work not yet carried out, saying why; a
    cancelled intervention is not assessed, and the body's members are told."""
    if not by.has_perm("interventions.manage_intervention", intervention):
        raise NotPermitted(_("Only the responsible body's officers may cancel it."))
    reason = clean_plain(reason or "")[:500]
    if not reason:
        raise Refused(_("Say why it is cancelled."), field="reason")
    with transaction.atomic():
        intervention = Intervention.objects.select_for_update().get(pk=intervention.pk)
        if intervention.status not in (
            Intervention.Status.AWAITING_DECISION,
            Intervention.Status.PLANNED,
            Intervention.Status.UNDER_WAY,
        ):
            raise Conflict(
                _("Only an intervention not yet carried out can be cancelled: assess it instead.")
                if intervention.status == Intervention.Status.CARRIED_OUT
                else _("This intervention is already closed.")
            )
        intervention.status = Intervention.Status.CANCELLED
        intervention.cancelled_at = clock.now()
        intervention.cancel_reason = reason
        intervention.save(update_fields=["status", "cancelled_at", "cancel_reason"])
        record_append(kind="intervention.cancelled", subject=intervention, actor=by)
        notify(
            kind="intervention.cancelled",
            title=_("Cancelled: %(title)s") % {"title": intervention.title},
            link=reverse("interventions:detail", args=[intervention.pk]),
            bodies=[intervention.body_id],
            actor=by,
        )
    return intervention


def _tags(names: Iterable[str]) -> list[Tag]:
    cleaned = []
    for name in names:
        name = clean_plain(name or "").strip().lower()[:40]
        if name and name not in cleaned:
            cleaned.append(name)
    if len(cleaned) > TAGS_MAX:
        raise Refused(_("At most %(n)s tags.") % {"n": TAGS_MAX}, field="tags")
    return [Tag.objects.get_or_create(name=name)[0] for name in cleaned]


def intervention_assess(
    *,
    intervention: Intervention,
    by: Any,
    worked: str,
    failed: str,
    why: str,
    lessons: Iterable[dict[str, Any]] = (),
) -> Assessment:
    """The responsible body assesses the intervention against its aims, with its lessons.

    Refused for an intervention not yet carried out: there is nothing yet to assess.
    """
    if not by.has_perm("interventions.manage_intervention", intervention):
        raise NotPermitted(_("Only the responsible body's officers may record its assessment."))
    found = Refusals()
    worked = _text(worked, "worked", _("Say what worked, against the aims."), found)
    failed = _text(failed, "failed", _("Say what failed (or that nothing did)."), found)
    why = _text(why, "why", _("Say why."), found)
    lessons = list(lessons)
    for lesson in lessons:
        if not clean_plain(lesson.get("title") or ""):
            found.add(
                Refused(_("Each lesson needs a line saying what was learnt."), field="lesson")
            )
    found.raise_any()
    with transaction.atomic():
        intervention = Intervention.objects.select_for_update().get(pk=intervention.pk)
        if intervention.status == Intervention.Status.ASSESSED:
            raise Conflict(_("This intervention has already been assessed."))
        if intervention.status != Intervention.Status.CARRIED_OUT:
            raise Conflict(
                _("An intervention is assessed once it has been carried out and reported on.")
            )
        now = clock.now()
        assessment = Assessment.objects.create(
            intervention=intervention,
            worked=worked,
            failed=failed,
            why=why,
            assessed_by=by,
            assessed_at=now,
        )
        for lesson in lessons:
            _lesson_create(assessment, lesson, now)
        intervention.status = Intervention.Status.ASSESSED
        intervention.save(update_fields=["status"])
        record_append(
            kind="intervention.assessed",
            subject=intervention,
            actor=by,
            payload={"lessons": len(lessons), "late": now.date() > intervention.assess_on},
        )
        notify(
            kind="intervention.assessed",
            title=_("Assessed: %(title)s") % {"title": intervention.title},
            link=reverse("interventions:detail", args=[intervention.pk]),
            bodies=[intervention.body_id],
            actor=by,
        )
    return assessment


def _lesson_create(assessment: Assessment, data: dict[str, Any], now: Any) -> Lesson:
    lesson = Lesson.objects.create(
        assessment=assessment,
        intervention_id=assessment.intervention_id,
        title=clean_plain(data["title"])[:200],
        text=(data.get("text") or "")[:TEXT_MAX],
        shared=bool(data.get("shared")),
        created_at=now,
    )
    lesson.tags.set(_tags(data.get("tags") or []))
    search_index("interventions.lesson", lesson.pk)
    return lesson


def lesson_add(
    *,
    intervention: Intervention,
    by: Any,
    title: str,
    text: str = "",
    tags: Iterable[str] = (),
    shared: bool = False,
) -> Lesson:
    """Add a lesson to an assessed intervention (what the body learnt later, too)."""
    if not by.has_perm("interventions.manage_intervention", intervention):
        raise NotPermitted(_("Only the responsible body's officers may add its lessons."))
    if not clean_plain(title or ""):
        raise Refused(_("Say in a line what was learnt."), field="title")
    if len(text or "") > TEXT_MAX:
        raise Refused(_("The text is too long."), field="text")
    with transaction.atomic():
        assessment = Assessment.objects.filter(intervention=intervention).first()
        if assessment is None:
            raise Conflict(_("Lessons are drawn in the intervention's assessment."))
        lesson = _lesson_create(
            assessment,
            {"title": title, "text": text, "tags": list(tags), "shared": shared},
            clock.now(),
        )
        record_append(
            kind="intervention.lesson_added",
            subject=intervention,
            actor=by,
            payload={"lesson": lesson.pk, "shared": lesson.shared},
        )
    return lesson


# The sweep -----------------------------------------------------------------------------


def _body_above(body: Body) -> Body | None:
    """The leadership (else the assembly) of the unit above the body's unit."""
    parent_path = body.unit.path[: -body.unit.steplen]
    if not parent_path:
        return None
    bodies = Body.objects.filter(
        unit__path=parent_path, kind__in=[Body.Kind.LEADERSHIP, Body.Kind.ASSEMBLY]
    )
    return bodies.filter(kind=Body.Kind.LEADERSHIP).first() or bodies.first()


# Reminders one run of the sweep sends at most per step; the rest wait for the next run.
SWEEP_BATCH = 200


def assessments_sweep(*, today: date | None = None) -> dict[str, int]:
    """Assessments are not optional: a reminder to the body's officers before the date, then
    the overdue one to the body and its chair, then to the body above after
    ``interventions.escalation_days``. Each step happens once per intervention, whoever runs
    the sweep and however often (`notifications.remind_once`: its row per intervention and
    step is inserted before anyone is told, and only one run can insert it)."""
    today = today or clock.now().date()
    rulebook = current_rulebook()
    ahead = today + timedelta(days=int(rulebook["interventions.assessment_reminder_days"]))
    escalate_before = today - timedelta(days=int(rulebook["interventions.escalation_days"]))
    open_ = (
        Intervention.objects.exclude(
            status__in=[Intervention.Status.ASSESSED, Intervention.Status.CANCELLED]
        )
        .select_related("body__unit")
        .order_by("assess_on", "pk")
    )
    done = {"reminded": 0, "overdue": 0, "escalated": 0}

    def remind(item: Intervention, step: str, kind: str, title: str, members: list[int]) -> bool:
        return (
            remind_once(
                subject=item,
                step=step,
                due_at=day_end(item.assess_on),
                kind=kind,
                title=title,
                link=reverse("interventions:detail", args=[item.pk]),
                members=members,
                rulebook_version=rulebook.version,
            )
            is not None
        )

    for item in not_reminded(open_.filter(assess_on__lte=ahead), "reminder")[:SWEEP_BATCH]:
        done["reminded"] += remind(
            item,
            "reminder",
            "intervention.assessment_due",
            _("Assessment due by %(day)s: %(title)s")
            % {"day": item.assess_on, "title": item.title},
            officer_ids_of_body(item.body),
        )
    for item in not_reminded(open_.filter(assess_on__lt=today), "overdue")[:SWEEP_BATCH]:
        title = _("Assessment overdue since %(day)s: %(title)s") % {
            "day": item.assess_on,
            "title": item.title,
        }
        with transaction.atomic():
            # The reminder's row is the once-only claim; the body's members and its chair
            # are told in one notification (nobody twice), in the same transaction.
            if remind(item, "overdue", "intervention.assessment_overdue", title, []):
                notify(
                    kind="intervention.assessment_overdue",
                    title=title,
                    link=reverse("interventions:detail", args=[item.pk]),
                    bodies=[item.body_id],
                    members=officer_ids_of_body(item.body),
                    thread=subject_of(item),
                )
                done["overdue"] += 1
    escalating = not_reminded(open_.filter(assess_on__lt=escalate_before), "escalation")
    for item in escalating[:SWEEP_BATCH]:
        above = _body_above(item.body)
        if above is None:
            continue
        done["escalated"] += remind(
            item,
            "escalation",
            "intervention.assessment_escalated",
            _("%(body)s has not assessed “%(title)s”, due %(day)s")
            % {"body": item.body.name, "title": item.title, "day": item.assess_on},
            officer_ids_of_body(above),
        )
    return done


def member_erase(member: Any) -> None:
    """Erasure: who took part in which struggle is the member's own (a political fact about
    them), so it goes; a report still waiting goes with them (nobody can tell them the
    outcome); a decided one stays, as by a former member, beside the struggle it started."""
    # django-stubs types a many-to-many field's auto-created through model as Never.
    Struggle.members.through.objects.filter(member=member).delete()  # type: ignore[attr-defined]
    SpontaneousAction.objects.filter(
        reported_by=member, status=SpontaneousAction.Status.REPORTED
    ).delete()
