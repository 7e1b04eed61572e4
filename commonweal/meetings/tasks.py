from django_tasks import task

from .services import minutes_send


@task(queue_name="default")
def send_minutes(minutes_id: int) -> bool:
    """Send approved minutes to their bodies; a second run finds them sent and does nothing."""
    return minutes_send(minutes_id=minutes_id)
