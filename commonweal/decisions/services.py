"""Recording decisions, minority positions and actions, and chasing overdue actions."""

from __future__ import annotations

from collections.abc import Iterable
from datetime import date, datetime, time
from typing import Any

from django.db import transaction
from django.urls import reverse
from django.utils import timezone
from django.utils.formats import date_format
from django.utils.translation import gettext as _

from commonweal.core import clock
from commonweal.core.errors import Conflict, NotPermitted, Refusals, Refused
from commonweal.core.markdown import clean_plain
from commonweal.notifications.services import Reach, notify
from commonweal.organisation.selectors import officer_ids_of_body
from commonweal.record.services import record_append, subject_of
from commonweal.rulebook.selectors import current as current_rulebook
from commonweal.search.services import index as search_index

from . import selectors
from .models import (
    DECISION_TEXT_MAX,
    MINORITY_POSITION_MAX,
    Action,
    ActionReport,
    Decision,
    MinorityPosition,
)


def _recipients(decision: Decision, extra_bodies: Iterable[Any] = ()) -> Reach:
    """The deciding body, the bodies named as concerned, and the vote's electorate."""
    bodies = {decision.body_id, *(getattr(b, "pk", b) for b in extra_bodies)}
    units = []
    if decision.vote is not None and decision.vote.electorate_id:
        units.append(decision.vote.electorate_id)
    return {"bodies": sorted(bodies), "units": units}


def decision_record(
    *,
    kind: str,
    title: str,
    text: str,
    body: Any,
    rulebook_version: int,
    vote: Any = None,
    meeting: Any = None,
    subject: str = "",
    link: str = "",
    recorded_by: Any = None,
    notify_bodies: Iterable[Any] = (),
) -> Decision:
    """Append a decision to the register and the record, and send it to those concerned.

    The notification fans out on the worker after commit, so the decision reaches the
    deciding body, ``notify_bodies`` and the vote's electorate within a minute.
    ``recorded_by=None`` is the platform itself (a vote's closing step).
    """
    if recorded_by is not None and not recorded_by.has_perm("decisions.record_decision", body):
        raise NotPermitted(
            _("Only the officers of %(body)s may record its decisions.") % {"body": body}
        )
    if kind not in Decision.Kind.values:
        raise Refused(_("Unknown kind of decision: %(kind)s.") % {"kind": kind}, field="kind")
    title = clean_plain(title)[:300]
    if not title:
        raise Refused(_("A decision needs a title."), field="title")
    if not (text or "").strip():
        raise Refused(_("A decision needs its text."), field="text")
    with transaction.atomic():
        decision = Decision.objects.create(
            kind=kind,
            title=title,
            text=text,
            body=body,
            decided_at=clock.now(),
            rulebook_version=rulebook_version,
            vote=vote,
            meeting_id=getattr(meeting, "pk", meeting),
            subject=subject,
            link=link[:300],
            recorded_by=recorded_by,
        )
        search_index("decisions.decision", decision.pk)
        record_append(
            kind="decision.recorded",
            subject=decision,
            actor=recorded_by,
            payload={
                "kind": kind,
                "body": body.pk,
                "vote": getattr(vote, "pk", None),
                "meeting": decision.meeting_id,
            },
            rulebook_version=rulebook_version,
        )
        notify(
            kind="decision.recorded",
            title=_("Decision of %(body)s: %(title)s") % {"body": body.name, "title": title},
            link=reverse("decisions:detail", args=[decision.pk]),
            actor=recorded_by,
            thread=subject_of(decision),
            **_recipients(decision, notify_bodies),
        )
    return decision


def decision_enter(
    *, body: Any, title: str, text: str, taken_on: date, basis: str, entered_by: Any
) -> Decision:
    """Enter in the register a decision the body took outside the platform's votes.

    A meeting held offline, the unanimous consent of its members or a written resolution
    binds as any other decision, so it is recorded, announced and open to minority
    positions and actions the same way; the page says how and on which day it was taken,
    and who entered it. Only the body's officers (or officers of a unit above) may.
    """
    if not entered_by.has_perm("decisions.record_decision", body):
        raise NotPermitted(
            _("Only the officers of %(body)s may record its decisions.") % {"body": body}
        )
    found = Refusals()
    title = clean_plain(title or "")[:300]
    if not title:
        found.add(Refused(_("A decision needs a title."), field="title"))
    text = (text or "").strip()
    if not text:
        found.add(Refused(_("Write what the body decided."), field="text"))
    elif len(text) > DECISION_TEXT_MAX:
        found.add(
            Refused(
                _("A decision is at most %(limit)s characters (this has %(n)s).")
                % {"limit": f"{DECISION_TEXT_MAX:,}", "n": f"{len(text):,}"},
                field="text",
            )
        )
    if basis not in Decision.Basis.values:
        found.add(Refused(_("Say how the body took the decision."), field="basis"))
    now = clock.now()
    today = timezone.localdate(now)
    if taken_on > today:
        found.add(
            Refused(
                _("A decision is recorded once it is taken: not a future date."),
                field="taken_on",
            )
        )
    elif body.closed_on is not None and taken_on > body.closed_on:
        found.add(
            Refused(
                _("%(body)s closed on %(date)s; it took no decision after that.")
                % {"body": body.name, "date": date_format(body.closed_on)},
                field="taken_on",
            )
        )
    found.raise_any()
    rulebook = current_rulebook()
    decided_at = (
        now if taken_on == today else timezone.make_aware(datetime.combine(taken_on, time(12)))
    )
    with transaction.atomic():
        decision = Decision.objects.create(
            kind=Decision.Kind.MOTION,
            title=title,
            text=text,
            body=body,
            decided_at=decided_at,
            rulebook_version=rulebook.version,
            recorded_by=entered_by,
            basis=basis,
            taken_on=taken_on,
        )
        search_index("decisions.decision", decision.pk)
        record_append(
            kind="decision.entered",
            subject=decision,
            actor=entered_by,
            payload={"body": body.pk, "basis": basis, "taken_on": taken_on.isoformat()},
            rulebook_version=rulebook.version,
        )
        notify(
            kind="decision.recorded",
            title=_("Decision of %(body)s: %(title)s") % {"body": body.name, "title": title},
            link=reverse("decisions:detail", args=[decision.pk]),
            actor=entered_by,
            thread=subject_of(decision),
            **_recipients(decision),
        )
    return decision


def minority_position_attach(
    *, decision: Decision, text: str, author: Any, tendency: int | None = None
) -> MinorityPosition:
    """Attach a minority position beside the decision, with the same prominence.

    Who may, in whose name and until when follows the rulebook
    (``decisions.selectors.minority_standing``): ``tendency`` is the id of a recognised
    tendency the author may speak for, never a name typed in. Where the rulebook asks for
    review it waits for an officer of the deciding body (``minority_position_publish``).
    """
    standing = selectors.minority_standing(author, decision)
    if not standing.may_attach:
        raise NotPermitted(standing.refusal)
    on_behalf_of = ""
    if tendency is not None:
        names = dict(standing.tendencies)
        if tendency not in names:
            raise Refused(
                _("You may speak only for a recognised tendency you belong to."),
                field="tendency",
            )
        on_behalf_of = names[tendency]
    elif not standing.as_self:
        raise Refused(_("Choose the tendency this minority position speaks for."), field="tendency")
    text = (text or "").strip()
    if not text:
        raise Refused(_("Write the minority position."), field="text")
    if len(text) > MINORITY_POSITION_MAX:
        raise Refused(
            _("A minority position is at most %(limit)s characters (this has %(n)s).")
            % {"limit": f"{MINORITY_POSITION_MAX:,}", "n": f"{len(text):,}"},
            field="text",
        )
    now = clock.now()
    with transaction.atomic():
        # Each one notifies the whole electorate: one in a member's own name and one per
        # tendency on each decision. The decision's row lock keeps two at once from both
        # passing the check.
        Decision.objects.select_for_update().filter(pk=decision.pk).first()
        earlier = MinorityPosition.objects.filter(decision=decision)
        if tendency is not None and earlier.filter(tendency_id=tendency).exists():
            raise Conflict(
                _("%(name)s has already attached a minority position to this decision.")
                % {"name": on_behalf_of}
            )
        if tendency is None and earlier.filter(author=author, tendency_id=None).exists():
            raise Conflict(_("You have already attached a minority position to this decision."))
        position = MinorityPosition.objects.create(
            decision=decision,
            text=text,
            author=author,
            on_behalf_of=on_behalf_of,
            tendency_id=tendency,
            attached_at=now,
            published_at=None if standing.review else now,
        )
        record_append(
            kind="decision.minority_position",
            subject=decision,
            actor=author,
            payload={
                "position": position.pk,
                "tendency": tendency,
                "published": not standing.review,
            },
            rulebook_version=standing.rulebook_version,
        )
        if standing.review:
            notify(
                kind="decision.minority_position_review",
                title=_("A minority position awaits publication: %(title)s")
                % {"title": decision.title},
                link=reverse("decisions:detail", args=[decision.pk]),
                members=_officers_of(decision.body),
                actor=author,
                thread=subject_of(decision),
            )
        else:
            _minority_published(decision, author)
    return position


def _officers_of(body: Any) -> set[int]:
    """Who may publish what the deciding body reviews: its chair, secretary, mandate holders."""
    return set(officer_ids_of_body(body))


def _minority_published(decision: Decision, actor: Any) -> None:
    notify(
        kind="decision.minority_position",
        title=_("Minority position on: %(title)s") % {"title": decision.title},
        link=reverse("decisions:detail", args=[decision.pk]),
        actor=actor,
        thread=subject_of(decision),
        **_recipients(decision),
    )


def minority_position_publish(*, position: MinorityPosition, by: Any) -> MinorityPosition:
    """An officer of the deciding body publishes a minority position held for review."""
    decision = position.decision
    if by is not None and not by.has_perm("decisions.manage_decision", decision):
        raise NotPermitted(_("Only the officers of the deciding body may publish it."))
    with transaction.atomic():
        position = MinorityPosition.objects.select_for_update().get(pk=position.pk)
        if position.published_at is not None:
            raise Conflict(_("This minority position is already published."))
        position.published_at = clock.now()
        position.published_by = by
        position.save(update_fields=["published_at", "published_by"])
        record_append(
            kind="decision.minority_position_published",
            subject=decision,
            actor=by,
            payload={"position": position.pk},
            rulebook_version=current_rulebook().version,
        )
        _minority_published(decision, by)
    return position


def action_add(
    *,
    decision: Decision,
    what: str,
    owner_member: Any = None,
    owner_body: Any = None,
    due_on: date,
    added_by: Any,
) -> Action:
    """Bind a member or a body to carry out part of a decision by a date."""
    if added_by is not None and not added_by.has_perm("decisions.manage_decision", decision):
        raise NotPermitted(_("Only the officers of the deciding body may add actions."))
    what = clean_plain(what)[:300]
    if not what:
        raise Refused(_("Say what is to be done."), field="what")
    if owner_member is None and owner_body is None:
        raise Refused(_("An action needs an owner: a member or a body."), field="owner_member")
    if owner_member is not None and not getattr(owner_member, "is_member", False):
        raise Refused(_("The owner must be a current member."), field="owner_member")
    if due_on < decision.decided_at.date():
        raise Refused(_("An action cannot be due before the decision was taken."), field="due_on")
    with transaction.atomic():
        action = Action.objects.create(
            decision=decision,
            what=what,
            owner_member=owner_member,
            owner_body=owner_body,
            due_on=due_on,
            added_by=added_by,
            added_at=clock.now(),
        )
        record_append(
            kind="decision.action_added",
            subject=decision,
            actor=added_by,
            payload={
                "action": action.pk,
                "owner_member": getattr(owner_member, "pk", None),
                "owner_body": getattr(owner_body, "pk", None),
                "due_on": due_on.isoformat(),
            },
            rulebook_version=decision.rulebook_version,
        )
        notify(
            kind="decision.action",
            title=_("Action for you: %(what)s (due %(due)s)") % {"what": what, "due": due_on},
            link=reverse("decisions:detail", args=[decision.pk]),
            members=[owner_member] if owner_member else [],
            bodies=[owner_body] if owner_body else [],
            actor=added_by,
            thread=subject_of(decision),
        )
    return action


def action_report(
    *, action: Action, text: str, percent: int, status: str, reported_by: Any
) -> ActionReport:
    """An owner reports progress; "done" completes the action today."""
    if not reported_by.has_perm("decisions.report_action", action):
        raise NotPermitted(_("Only the action's owner may report on it."))
    if status not in Action.Status.values:
        raise Refused(_("Unknown status."), field="status")
    if not 0 <= int(percent) <= 100:
        raise Refused(_("Give a percentage between 0 and 100."), field="percent")
    if not (text or "").strip():
        raise Refused(_("Say what has been done."), field="text")
    percent = 100 if status == Action.Status.DONE else int(percent)
    with transaction.atomic():
        action = (
            Action.objects.select_for_update(of=("self",))
            .select_related("decision")
            .get(pk=action.pk)
        )
        if action.status == Action.Status.DONE:
            raise Conflict(_("This action is already done."))
        now = clock.now()
        report = ActionReport.objects.create(
            action=action,
            text=text,
            percent=percent,
            status=status,
            reported_by=reported_by,
            reported_at=now,
        )
        action.status = status
        action.percent = percent
        if status == Action.Status.DONE:
            action.done_on = now.date()
        action.save(update_fields=["status", "percent", "done_on"])
        record_append(
            kind="decision.action_report",
            subject=action.decision,
            actor=reported_by,
            payload={"action": action.pk, "status": status, "percent": percent},
            rulebook_version=action.decision.rulebook_version,
        )
        notify(
            kind="decision.action_report",
            title=_("Progress on: %(what)s (%(percent)s%%)")
            % {"what": action.what, "percent": percent},
            link=reverse("decisions:detail", args=[action.decision_id]),
            bodies=[action.decision.body_id],
            actor=reported_by,
            thread=subject_of(action.decision),
        )
    return report


def actions_sweep(*, today: date | None = None) -> int:
    """Flag overdue actions to their owner and the deciding body, once a day per action."""
    today = today or clock.now().date()
    flagged = 0
    overdue = (
        Action.objects.filter(due_on__lt=today)
        .exclude(status=Action.Status.DONE)
        .exclude(overdue_flagged_on=today)
        .select_related("decision")
        .order_by("pk")
    )
    for action in overdue.iterator(chunk_size=500):
        with transaction.atomic():
            claimed = (
                Action.objects.filter(pk=action.pk)
                .exclude(overdue_flagged_on=today)
                .update(overdue_flagged_on=today)
            )
            if not claimed:
                continue
            notify(
                kind="decision.action_overdue",
                title=_("Overdue since %(due)s: %(what)s")
                % {"due": action.due_on, "what": action.what},
                link=reverse("decisions:detail", args=[action.decision_id]),
                members=[action.owner_member_id] if action.owner_member_id else [],
                bodies=[b for b in (action.owner_body_id, action.decision.body_id) if b],
                urgent=False,
                thread=subject_of(action.decision),
            )
            flagged += 1
    return flagged


def record_vote_outcome(vote: Any) -> None:
    """A vote's closing step: a carried motion or an effective election becomes a decision."""
    result = vote.result or {}
    if not result.get("effective"):
        return
    if vote.method == "majority":
        if vote.outcome != "carried":
            return
        kind, text = Decision.Kind.MOTION, result.get("statement", "")
    else:
        kind = Decision.Kind.ELECTION if vote.method == "stv" else Decision.Kind.MOTION
        text = _("Chosen: %(winners)s.") % {"winners": ", ".join(result.get("winners", []))}
    decision_record(
        kind=kind,
        title=vote.title,
        text=text,
        body=vote.body,
        rulebook_version=vote.rulebook_version,
        vote=vote,
        meeting=vote.meeting_id,
        subject=vote.subject,
        link=reverse("voting:result", args=[vote.pk]),
    )


def decision_review_set(*, decision: Decision, review_on: date, by: Any) -> Decision:
    """Set (or move) the day the deciding body looks back at what came of a decision."""
    if not by.has_perm("decisions.manage_decision", decision):
        raise NotPermitted(_("Only the officers of the deciding body may set its review."))
    if review_on <= clock.now().date():
        raise Refused(_("A review date is in the future."), field="review_on")
    with transaction.atomic():
        decision = Decision.objects.select_for_update().get(pk=decision.pk)
        if decision.reviewed_at is not None:
            raise Conflict(_("This decision has already been reviewed."))
        decision.review_on = review_on
        decision.review_reminded_on = None
        decision.save(update_fields=["review_on", "review_reminded_on"])
        record_append(
            kind="decision.review_set",
            subject=decision,
            actor=by,
            payload={"review_on": review_on.isoformat()},
            rulebook_version=current_rulebook().version,
        )
    return decision


def decision_review_record(*, decision: Decision, outcome: str, by: Any) -> Decision:
    """The deciding body records what came of its decision, once its review is due."""
    if not by.has_perm("decisions.manage_decision", decision):
        raise NotPermitted(_("Only the officers of the deciding body may record its review."))
    outcome = (outcome or "").strip()
    if not outcome:
        raise Refused(_("Say what came of the decision."), field="outcome")
    with transaction.atomic():
        decision = Decision.objects.select_for_update().get(pk=decision.pk)
        if decision.review_on is None:
            raise Conflict(_("This decision has no review date."))
        if decision.reviewed_at is not None:
            raise Conflict(_("This decision has already been reviewed."))
        decision.review_outcome = outcome[:MINORITY_POSITION_MAX]
        decision.reviewed_at = clock.now()
        decision.reviewed_by = by
        decision.save(
            update_fields=["review_outcome", "review_outcome_html", "reviewed_at", "reviewed_by"]
        )
        search_index("decisions.decision", decision.pk)
        record_append(
            kind="decision.reviewed",
            subject=decision,
            actor=by,
            rulebook_version=current_rulebook().version,
        )
        notify(
            kind="decision.reviewed",
            title=_("Reviewed: %(title)s") % {"title": decision.title},
            link=reverse("decisions:detail", args=[decision.pk]),
            bodies=[decision.body_id],
            actor=by,
            thread=subject_of(decision),
        )
    return decision


def decisions_review_sweep(*, today: date | None = None) -> int:
    """Remind the deciding body's officers of a review coming due (or past), once per date.

    Safe to run twice at once: each decision is claimed by an update that only one run wins.
    """
    from datetime import timedelta

    today = today or clock.now().date()
    ahead = today + timedelta(days=int(current_rulebook()["decisions.review_reminder_days"]))
    due = (
        Decision.objects.filter(review_on__lte=ahead, reviewed_at=None, review_reminded_on=None)
        .select_related("body")
        .order_by("pk")
    )
    reminded = 0
    for decision in due.iterator(chunk_size=500):
        with transaction.atomic():
            claimed = Decision.objects.filter(pk=decision.pk, review_reminded_on=None).update(
                review_reminded_on=today
            )
            if not claimed:
                continue
            notify(
                kind="decision.review_due",
                title=_("Review due on %(day)s: %(title)s")
                % {"day": decision.review_on, "title": decision.title},
                link=reverse("decisions:detail", args=[decision.pk]),
                members=_officers_of(decision.body),
                thread=subject_of(decision),
            )
            reminded += 1
    return reminded
