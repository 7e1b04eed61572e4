"""Keeping a development plan, finding a mentor, and the clock's reminder of plans due
for review."""

from datetime import date, timedelta
from typing import Any

from django.db import IntegrityError, transaction
from django.db.models import F, Q
from django.utils.translation import gettext as _

from commonweal.core import clock
from commonweal.core.errors import Conflict, NotPermitted, Refusals, Refused
from commonweal.core.markdown import clean_plain
from commonweal.notifications.services import NAMED, notify
from commonweal.record.services import record_append
from commonweal.rulebook.selectors import current

from . import selectors
from .models import Goal, Mentoring, Plan, Step

MAX_GOALS = 20
MAX_STEPS = 30
MAX_TEXT = 5000
PLAN_URL = "/development/"


def _require_member(member: Any) -> None:
    if not member.has_perm("development.keep_plan"):
        raise NotPermitted(_("Only members in good standing keep a development plan."))


def _own_plan(member: Any, plan: Plan) -> None:
    if plan.member_id != member.pk:
        raise NotPermitted(_("Only the member whose plan it is changes it."))


def plan_save(*, member: Any, aims: str, share_with_officers: bool) -> Plan:
    """Start or change one's plan. A new plan is due for review after the rulebook's
    `development.plan_review_days`."""
    _require_member(member)
    aims = (aims or "").strip()
    if len(aims) > MAX_TEXT:
        raise Refused(_("Keep it under 5,000 characters."), field="aims")
    rulebook = current()
    with transaction.atomic():
        found = Plan.objects.select_for_update().filter(member=member).first()
        created = found is None
        if found is not None:
            plan = found
        else:
            today = clock.now().date()
            plan = Plan(
                member=member,
                created_at=clock.now(),
                review_due_on=today + timedelta(days=rulebook["development.plan_review_days"]),
            )
        plan.aims = aims
        plan.share_with_officers = bool(share_with_officers)
        plan.save()
        record_append(
            kind="plan.started" if created else "plan.changed",
            subject=plan,
            actor=member,
            payload={"rulebook": rulebook.version} if created else {},
        )
    return plan


def _title(title: str, field: str, what: str) -> str:
    title = clean_plain(title)[:200]
    if not title:
        raise Refused(_("Name the %(what)s.") % {"what": what}, field=field)
    return title


def goal_add(*, member: Any, plan: Plan, title: str) -> Goal:
    _own_plan(member, plan)
    title = _title(title, "title", _("goal"))
    with transaction.atomic():
        plan = Plan.objects.select_for_update().get(pk=plan.pk)
        if plan.goals.count() >= MAX_GOALS:
            raise Conflict(_("A plan holds at most %(n)d goals.") % {"n": MAX_GOALS})
        goal = Goal.objects.create(plan=plan, title=title, added_at=clock.now())
        record_append(kind="plan.goal_added", subject=plan, actor=member)
    return goal


def step_add(*, member: Any, goal: Goal, title: str, due_on: date | None = None) -> Step:
    _own_plan(member, goal.plan)
    found = Refusals()
    try:
        title = _title(title, "title", _("step"))
    except Refused as refusal:
        found.add(refusal)
    if due_on is not None and due_on < goal.plan.created_at.date() - timedelta(days=365):
        found.add(Refused(_("Give a date from this year on."), field="due_on"))
    found.raise_any()
    with transaction.atomic():
        plan = Plan.objects.select_for_update().get(pk=goal.plan_id)
        if Step.objects.filter(goal__plan=plan).count() >= MAX_STEPS:
            raise Conflict(_("A plan holds at most %(n)d steps.") % {"n": MAX_STEPS})
        step = Step.objects.create(goal=goal, title=title, due_on=due_on)
        record_append(kind="plan.step_added", subject=plan, actor=member)
    return step


def step_mark(*, member: Any, step: Step, done: bool) -> Step:
    """Mark a step done (today) or not done."""
    _own_plan(member, step.goal.plan)
    with transaction.atomic():
        step = Step.objects.select_for_update().select_related("goal__plan").get(pk=step.pk)
        if bool(step.done_on) == done:
            return step
        step.done_on = clock.now().date() if done else None
        step.save(update_fields=["done_on"])
        record_append(
            kind="plan.step_done" if done else "plan.step_reopened",
            subject=step.goal.plan,
            actor=member,
        )
    return step


def plan_review(*, actor: Any, plan: Plan) -> Plan:
    """The member (or their mentor) reviews the plan: the next review is due after the
    rulebook's interval from today."""
    if actor.pk != plan.member_id and actor.pk not in selectors.active_partner_ids(plan.member):
        raise NotPermitted(_("Only the member and their mentor review a plan."))
    rulebook = current()
    with transaction.atomic():
        plan = Plan.objects.select_for_update().get(pk=plan.pk)
        today = clock.now().date()
        plan.reviewed_on = today
        plan.review_due_on = today + timedelta(days=rulebook["development.plan_review_days"])
        plan.save(update_fields=["reviewed_on", "review_due_on"])
        record_append(
            kind="plan.reviewed",
            subject=plan,
            actor=actor,
            payload={"rulebook": rulebook.version},
        )
        if actor.pk != plan.member_id:
            notify(
                kind="development.plan_reviewed",
                title=_("%(name)s reviewed your development plan with you") % {"name": NAMED},
                named=actor,
                link=PLAN_URL,
                members=[plan.member_id],
                actor=actor,
            )
    return plan


# Mentoring


def mentoring_ask(*, member: Any, note: str = "") -> Mentoring:
    """Ask for a mentor; the officers of the member's unit are told."""
    _require_member(member)
    note = (note or "").strip()
    if len(note) > MAX_TEXT:
        raise Refused(_("Keep it under 5,000 characters."), field="note")
    try:
        with transaction.atomic():
            mentoring = Mentoring.objects.create(mentee=member, note=note, asked_at=clock.now())
            record_append(kind="mentoring.asked", subject=mentoring, actor=member)
            if member.unit is not None:
                from commonweal.organisation.selectors import officers_of_unit

                notify(
                    kind="development.mentor_wanted",
                    title=_("%(name)s is looking for a mentor") % {"name": NAMED},
                    named=member,
                    link="/development/mentoring/",
                    members=list(officers_of_unit(member.unit).values_list("pk", flat=True)),
                    actor=member,
                )
    except IntegrityError as exc:
        raise Conflict(_("You have already asked for a mentor.")) from exc
    return mentoring


def _propose(*, mentoring: Mentoring, mentor: Any, by: Any, kind: str) -> Mentoring:
    if not getattr(mentor, "is_member", False):
        raise Refused(_("A mentor must be a member in good standing."), field="mentor")
    if mentor.pk == mentoring.mentee_id:
        raise Refused(_("Nobody mentors themselves."), field="mentor")
    with transaction.atomic():
        mentoring = Mentoring.objects.select_for_update().get(pk=mentoring.pk)
        if mentoring.status != Mentoring.Status.ASKED:
            raise Conflict(_("This member already has a mentor, or one is being asked."))
        mentoring.mentor = mentor
        mentoring.proposed_by = by
        mentoring.status = Mentoring.Status.PROPOSED
        mentoring.save(update_fields=["mentor", "proposed_by", "status"])
        record_append(kind=kind, subject=mentoring, actor=by, payload={"mentor": mentor.pk})
        if by.pk != mentor.pk:
            notify(
                kind="development.mentor_asked",
                title=_("You are asked to mentor %(name)s") % {"name": NAMED},
                named=mentoring.mentee,
                link="/development/mentoring/",
                members=[mentor],
                actor=by,
            )
        notify(
            kind="development.mentor_proposed",
            title=_("%(name)s is proposed as your mentor") % {"name": NAMED},
            named=mentor,
            link="/development/mentoring/",
            members=[mentoring.mentee_id],
            actor=by,
        )
    return mentoring


def mentor_assign(*, mentoring: Mentoring, mentor: Any, officer: Any) -> Mentoring:
    """An officer of the mentee's unit (or above) names a mentor, who then accepts."""
    if not officer.has_perm("development.assign_mentor", mentoring):
        raise NotPermitted(_("Only the officers of the member's unit name a mentor."))
    return _propose(mentoring=mentoring, mentor=mentor, by=officer, kind="mentoring.assigned")


def mentor_offer(*, mentoring: Mentoring, mentor: Any) -> Mentoring:
    """A member of the same branch (or an officer above it) offers to be the mentor."""
    if not mentor.has_perm("development.offer_to_mentor", mentoring):
        raise NotPermitted(_("Members of the same branch and its officers offer to mentor."))
    return _propose(mentoring=mentoring, mentor=mentor, by=mentor, kind="mentoring.offered")


def mentoring_accept(*, mentoring: Mentoring, mentor: Any, accept: bool = True) -> Mentoring:
    """The named mentor accepts (mentoring begins) or declines (the request is open again)."""
    mentoring = Mentoring.objects.get(pk=mentoring.pk)  # who is named now, not when read
    if not mentor.has_perm("development.accept_mentoring", mentoring):
        raise NotPermitted(_("Only the member asked to mentor answers."))
    with transaction.atomic():
        mentoring = Mentoring.objects.select_for_update().get(pk=mentoring.pk)
        if mentoring.status != Mentoring.Status.PROPOSED or mentoring.mentor_id != mentor.pk:
            raise Conflict(_("This mentoring is not waiting for your answer."))
        if accept:
            mentoring.status = Mentoring.Status.ACTIVE
            mentoring.accepted_at = clock.now()
        else:
            mentoring.status = Mentoring.Status.ASKED
            mentoring.mentor = None
            mentoring.proposed_by = None
        mentoring.save(update_fields=["status", "accepted_at", "mentor", "proposed_by"])
        record_append(
            kind="mentoring.accepted" if accept else "mentoring.declined",
            subject=mentoring,
            actor=mentor,
        )
        notify(
            kind="development.mentoring_answered",
            title=(_("%(name)s will mentor you") if accept else _("%(name)s cannot mentor you"))
            % {"name": NAMED},
            named=mentor,
            link="/development/mentoring/",
            members=[mentoring.mentee_id],
            actor=mentor,
        )
    return mentoring


def mentoring_end(*, mentoring: Mentoring, member: Any) -> Mentoring:
    """Mentee or mentor ends the mentoring (or the mentee withdraws their request)."""
    if not member.has_perm("development.end_mentoring", mentoring):
        raise NotPermitted(_("Only the mentee and the mentor end a mentoring."))
    with transaction.atomic():
        mentoring = Mentoring.objects.select_for_update().get(pk=mentoring.pk)
        if mentoring.status == Mentoring.Status.ENDED:
            raise Conflict(_("This mentoring has already ended."))
        mentoring.status = Mentoring.Status.ENDED
        mentoring.ended_at = clock.now()
        mentoring.save(update_fields=["status", "ended_at"])
        record_append(kind="mentoring.ended", subject=mentoring, actor=member)
        other = mentoring.mentor_id if member.pk == mentoring.mentee_id else mentoring.mentee_id
        if other:
            notify(
                kind="development.mentoring_ended",
                title=_("%(name)s ended the mentoring") % {"name": NAMED},
                named=member,
                link="/development/mentoring/",
                members=[other],
                actor=member,
            )
    return mentoring


# The platform's clock


def plans_review_sweep() -> int:
    """Remind the member and their mentor once when a plan's review falls due."""
    today = clock.now().date()
    told = 0
    due = Plan.objects.filter(review_due_on__lte=today).exclude(
        review_reminded_for=F("review_due_on")
    )
    for pk in due.values_list("pk", flat=True):
        with transaction.atomic():
            plan = (
                Plan.objects.select_for_update(skip_locked=True)
                .select_related("member")
                .filter(pk=pk, review_due_on__lte=today)
                .first()
            )
            if plan is None or plan.review_reminded_for == plan.review_due_on:
                continue
            if not plan.member.is_member:
                continue
            plan.review_reminded_for = plan.review_due_on
            plan.save(update_fields=["review_reminded_for"])
            mentors = list(
                Mentoring.objects.filter(
                    mentee_id=plan.member_id, status=Mentoring.Status.ACTIVE
                ).values_list("mentor_id", flat=True)
            )
            notify(
                kind="development.review_due",
                title=_("Your development plan is due for review"),
                link=PLAN_URL,
                members=[plan.member_id],
            )
            if mentors:
                notify(
                    kind="development.review_due",
                    title=_("The development plan of %(name)s is due for review") % {"name": NAMED},
                    named=plan.member,
                    link=f"{PLAN_URL}plans/{plan.pk}/",
                    members=mentors,
                )
            told += 1
    return told


def member_erase(member: Any) -> None:
    """A member's plan and notes are theirs: erased. Mentoring ends; its rows stay without
    the note (the other member's history of having mentored)."""
    Plan.objects.filter(member=member).delete()
    Mentoring.objects.filter(
        Q(mentee=member) | Q(mentor=member), ~Q(status=Mentoring.Status.ENDED)
    ).update(status=Mentoring.Status.ENDED, ended_at=clock.now())
    Mentoring.objects.filter(mentee=member).update(note="")
