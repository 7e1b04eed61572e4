from django_tasks import task

from .services import minutes_send, minutes_sweep, reports_sweep


@task(queue_name="default")
def send_minutes(minutes_id: int) -> bool:
    """Send approved minutes to their bodies; a second run finds them sent and does nothing."""
    return minutes_send(minutes_id=minutes_id)


@task(queue_name="default")
def sweep_reminders() -> dict[str, int]:
    """Remind of accountability reports and minutes falling due; escalate the overdue."""
    return {**reports_sweep(), **minutes_sweep()}
