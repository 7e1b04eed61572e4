"""The platform's clock: periodic work enqueued on the task worker, with nothing but the database.

One `tick` task runs every minute. It enqueues each periodic job that is due (none of it
waiting in the queue, and none enqueued within its interval) and books the next tick, so the
chain survives restarts and needs no cron. Periodic jobs must be safe to run twice at once:
every sweep here locks what it changes and skips what is already done.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import timedelta
from typing import Any

from django.db import transaction
from django.db.models import Q
from django.utils import timezone
from django.utils.module_loading import import_string

TICK_EVERY = timedelta(minutes=1)
TICK_PATH = "commonweal.core.tasks.tick"


@dataclass(frozen=True)
class Periodic:
    task_path: str
    every: timedelta
    args: tuple[Any, ...] = field(default=())


PERIODIC = (
    Periodic("commonweal.voting.tasks.sweep_votes", timedelta(minutes=1)),
    Periodic("commonweal.policy.tasks.sweep", timedelta(minutes=15)),
    Periodic("commonweal.decisions.tasks.sweep_actions", timedelta(hours=6)),
    # Reminders of decisions' review dates and of interventions' assessments, the overdue
    # ones told to the body and, later, to the body above.
    Periodic("commonweal.decisions.tasks.sweep_reviews", timedelta(hours=6)),
    Periodic("commonweal.interventions.tasks.sweep_assessments", timedelta(hours=6)),
    # Adopted amendments to the constitution come into force on their date.
    Periodic("commonweal.constitution.tasks.sweep_amendments", timedelta(minutes=5)),
    # Terms of office: notice before the end, the record entry and the role given back after.
    Periodic("commonweal.organisation.tasks.sweep_mandates", timedelta(hours=1)),
    # Members lists uploaded but not imported within a day are discarded, rows and all.
    Periodic("commonweal.members.tasks.sweep_member_imports", timedelta(hours=1)),
    # Reminders before a deadline and escalation to the unit above after it: applications
    # to join, accountability reports and minutes not approved (each sent once).
    Periodic("commonweal.members.tasks.sweep_applications", timedelta(hours=1)),
    Periodic("commonweal.meetings.tasks.sweep_reminders", timedelta(hours=1)),
    # Development plans due for review: the member and their mentor are reminded.
    Periodic("commonweal.development.tasks.sweep_plan_reviews", timedelta(hours=6)),
    # Office-holders warned before their training deadline; the body's chair told after it.
    Periodic("commonweal.training.tasks.sweep_leadership", timedelta(hours=6)),
    # Participation figures: the months since the last count, and the buckets marked stale.
    Periodic("commonweal.insights.tasks.refresh_participation", timedelta(minutes=15)),
    # Each run publishes the maps not yet published in the current hour's batch.
    Periodic("commonweal.discussion.tasks.publish_opinion_maps", timedelta(minutes=5)),
    # Hourly, though a member gets one digest a day (or week): each run sends the digests
    # of the current day (week) not sent yet, so a run cut short is finished within the hour.
    Periodic("commonweal.notifications.tasks.send_digests", timedelta(hours=1), ("daily",)),
    Periodic("commonweal.notifications.tasks.send_digests", timedelta(hours=1), ("weekly",)),
    Periodic("commonweal.notifications.tasks.recover_emails", timedelta(minutes=5)),
    Periodic("commonweal.core.tasks.prune_task_results", timedelta(days=1)),
    # Answers to actions never confirmed, and non-members' data past the rulebook's retention.
    Periodic("commonweal.mobilisation.tasks.prune_signups", timedelta(hours=6)),
    # The record: entries since the last checkpoint often (and a new signed checkpoint),
    # the whole chain daily; /record/ shows what they stored.
    Periodic("commonweal.record.tasks.check_record", timedelta(minutes=15), ("recent",)),
    Periodic("commonweal.record.tasks.check_record", timedelta(days=1), ("whole",)),
)


def _is_due(job: Periodic, now) -> bool:
    from django_tasks_db.models import DBTaskResult

    args = list(job.args)
    waiting_or_recent = DBTaskResult.objects.filter(task_path=job.task_path).filter(
        Q(status="READY") | Q(enqueued_at__gt=now - job.every)
    )
    return not any(
        (row.args_kwargs or {}).get("args", []) == args
        for row in waiting_or_recent.only("args_kwargs")
    )


def periodic_enqueue_due() -> list[str]:
    """Enqueue every periodic job that is due; returns what was enqueued."""
    now = timezone.now()
    enqueued = []
    for job in PERIODIC:
        if _is_due(job, now):
            import_string(job.task_path).enqueue(*job.args)
            enqueued.append(f"{job.task_path}{list(job.args) or ''}")
    return enqueued


def schedule_start() -> bool:
    """Make sure exactly one future tick is waiting; True if one had to be booked."""
    from django_tasks_db.models import DBTaskResult

    from .tasks import tick

    with transaction.atomic():
        if DBTaskResult.objects.filter(task_path=TICK_PATH, status="READY").exists():
            return False
        tick.using(run_after=timezone.now() + TICK_EVERY).enqueue()
    return True
