"""The platform's clock keeps accountability reports and minutes from being forgotten.

Before a deadline those who must act are reminded (`notifications.reminder_days` before);
after it the officers of the unit above are told, with those who had to act. Each once
(`notifications.services.remind_once`), however often or concurrently the sweep runs.
"""

from datetime import datetime, timedelta

from django.db.models import Exists, OuterRef
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _

from commonweal.core import clock
from commonweal.members.needs import day_end
from commonweal.notifications.selectors import not_reminded, reminders_sent
from commonweal.notifications.services import NAMED, remind_once
from commonweal.organisation.selectors import (
    active_mandates,
    officer_memberships,
    officers_above,
)
from commonweal.record.services import subject_of
from commonweal.rulebook.selectors import current as current_rulebook

from ..models import Meeting, Minutes
from ..selectors import minutes_due_at, report_due_of, reports_due_by
from ._common import meeting_url

# Reminders, and escalations, one run sends at most of each kind; the rest wait for the next
# run (an hour later), so a backlog reaches the officers in steps, not in one flood.
SWEEP_BATCH = 200


def reports_sweep() -> dict[str, int]:
    """Remind each office-holder of an accountability report falling due, and once it is
    overdue tell the officers of the unit above the body (and the holder).

    Only current mandates count: a holder whose term has ended is not reminded, one
    appointed in the interim is; a report due after the term's last day is not asked for.
    Filing a report moves the next one's due date, and with it the step, so the cycle
    starts again.
    """
    rulebook = current_rulebook()
    every = rulebook["offices.report_every_days"]
    before = rulebook["notifications.reminder_days"]
    today = clock.now().date()
    mandates = list(
        reports_due_by(active_mandates(on=today), today + timedelta(days=before), every)
        .select_related("body__unit", "holder")
        .order_by("pk")
    )
    sent = reminders_sent([subject_of(m) for m in mandates])
    reminded = escalated = 0
    for mandate in mandates:
        due = report_due_of(mandate, every)
        if due > mandate.ends_on:
            continue
        late = due < today
        step = f"{'report_escalation' if late else 'report_reminder'}:{due.isoformat()}"
        if (subject_of(mandate), step) in sent or (escalated if late else reminded) >= SWEEP_BATCH:
            continue
        values = {
            "holder": NAMED,
            "office": mandate.office,
            "body": mandate.body.name,
            "date": due.isoformat(),
        }
        told = remind_once(
            subject=mandate,
            step=step,
            due_at=day_end(due),
            kind="mandate.report_overdue" if late else "mandate.report_due",
            title=(
                _(
                    "The accountability report of %(holder)s as %(office)s of %(body)s was "
                    "due on %(date)s and has not been filed"
                )
                if late
                else _(
                    "The accountability report of %(holder)s as %(office)s of %(body)s is "
                    "due on %(date)s"
                )
            )
            % values,
            named=mandate.holder,
            link=reverse("meetings:accountability", args=[mandate.body.slug]),
            members=[mandate.holder, *(officers_above(mandate.body.unit) if late else ())],
            rulebook_version=rulebook.version,
        )
        if told is not None:
            if late:
                escalated += 1
            else:
                reminded += 1
    return {"reports_reminded": reminded, "reports_escalated": escalated}


def minutes_sweep() -> dict[str, int]:
    """Remind a body's chair and secretary of minutes not yet approved before the
    rulebook's time (`meetings.minutes_approval_days` from the meeting's closing time)
    runs out; once it has, tell the officers of the unit above (and the chair and
    secretary). Approved minutes stop both."""
    rulebook = current_rulebook()
    approval = timedelta(days=rulebook["meetings.minutes_approval_days"])
    before = timedelta(days=rulebook["notifications.reminder_days"])
    now = clock.now()
    waiting = (
        Meeting.objects.exclude(
            Exists(
                Minutes.objects.filter(
                    meeting=OuterRef("pk"),
                    state__in=[Minutes.State.APPROVED, Minutes.State.SENT],
                )
            )
        )
        .select_related("body__unit")
        .order_by("closes_at", "pk")
    )
    overdue = not_reminded(waiting.filter(closes_at__lt=now - approval), "minutes_escalation")
    due_soon = not_reminded(
        waiting.filter(closes_at__gte=now - approval, closes_at__lte=now - approval + before),
        "minutes_reminder",
    )
    reminded = escalated = 0
    for meeting in due_soon[:SWEEP_BATCH]:
        due = minutes_due_at(meeting, rulebook)
        told = remind_once(
            subject=meeting,
            step="minutes_reminder",
            due_at=due,
            kind="minutes.approval_due",
            title=_("The minutes of %(title)s (%(body)s) are to be approved by %(date)s")
            % {"title": meeting.title, "body": meeting.body.name, "date": _day(due)},
            link=meeting_url(meeting) + "#minutes",
            members=_chair_and_secretary(meeting),
            rulebook_version=rulebook.version,
        )
        reminded += told is not None
    for meeting in overdue[:SWEEP_BATCH]:
        due = minutes_due_at(meeting, rulebook)
        told = remind_once(
            subject=meeting,
            step="minutes_escalation",
            due_at=due,
            kind="minutes.approval_overdue",
            title=_(
                "The minutes of %(title)s (%(body)s) were to be approved by %(date)s and "
                "have not been"
            )
            % {"title": meeting.title, "body": meeting.body.name, "date": _day(due)},
            link=meeting_url(meeting) + "#minutes",
            members=[*_chair_and_secretary(meeting), *officers_above(meeting.body.unit)],
            rulebook_version=rulebook.version,
        )
        escalated += told is not None
    return {"minutes_reminded": reminded, "minutes_escalated": escalated}


def _chair_and_secretary(meeting: Meeting) -> list[int]:
    """Who writes and approves the minutes, holding the role today."""
    return list(officer_memberships(body=meeting.body).values_list("member_id", flat=True))


def _day(moment: datetime) -> str:
    return timezone.localdate(moment).isoformat()
