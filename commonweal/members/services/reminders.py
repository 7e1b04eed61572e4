"""Applications to join not forgotten: reminders before the time for a decision runs out,
escalation to the unit above after it."""

from datetime import timedelta
from functools import partial
from typing import Any

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from commonweal.core import clock
from commonweal.notifications.selectors import not_reminded
from commonweal.notifications.services import NAMED, remind_once
from commonweal.organisation.selectors import officers_above, officers_of_unit
from commonweal.rulebook.selectors import current as current_rulebook

from ..emails import send_application_waiting
from ..models import MembershipApplication

# Reminders, and escalations, one run of the sweep sends at most; the rest wait for the next
# run (an hour later), so a backlog reaches the officers in steps, not in one flood.
SWEEP_BATCH = 200


def applications_sweep() -> dict[str, int]:
    """The platform's clock keeps applications from waiting unseen.

    `notifications.reminder_days` before the rulebook's time for a decision
    (`members.application_decision_days`) runs out, the officers of the unit applied to
    are reminded; once it has run out, the officers of the unit above are told, with the
    unit's own, and the applicant hears by email that it is still being considered. Each
    once per application, however often or concurrently this runs; a decided application
    is no longer pending and is passed over.
    """
    rulebook = current_rulebook()
    decision = timedelta(days=rulebook["members.application_decision_days"])
    before = timedelta(days=rulebook["notifications.reminder_days"])
    now = clock.now()
    pending = MembershipApplication.objects.filter(
        status=MembershipApplication.Status.PENDING
    ).select_related("applicant", "unit")
    overdue = not_reminded(pending.filter(applied_at__lt=now - decision), "escalation")
    due_soon = not_reminded(
        pending.filter(applied_at__gte=now - decision, applied_at__lte=now - decision + before),
        "reminder",
    )
    reminded = escalated = 0
    for application in due_soon.order_by("applied_at")[:SWEEP_BATCH]:
        due = application.applied_at + decision
        sent = remind_once(
            subject=application,
            step="reminder",
            due_at=due,
            kind="membership.application_due",
            title=_("Decide on the application of %(name)s to join %(unit)s by %(date)s")
            % {"name": NAMED, "unit": application.unit.name, "date": _day(due)},
            named=application.applicant,
            link="/members/applications/",
            members=officers_of_unit(application.unit),
            rulebook_version=rulebook.version,
        )
        reminded += sent is not None
    for application in overdue.order_by("applied_at")[:SWEEP_BATCH]:
        due = application.applied_at + decision
        unit = application.unit
        sent = remind_once(
            subject=application,
            step="escalation",
            due_at=due,
            kind="membership.application_overdue",
            title=_(
                "The application of %(name)s to join %(unit)s was to be decided by %(date)s "
                "and is still waiting"
            )
            % {"name": NAMED, "unit": unit.name, "date": _day(due)},
            named=application.applicant,
            link="/members/applications/",
            members=[*officers_above(unit), *officers_of_unit(unit)],
            rulebook_version=rulebook.version,
        )
        if sent is not None:
            transaction.on_commit(partial(send_application_waiting, application.pk))
            escalated += 1
    return {"reminded": reminded, "escalated": escalated}


def _day(moment: Any) -> str:
    return timezone.localdate(moment).isoformat()
