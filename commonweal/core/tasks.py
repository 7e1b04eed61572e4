from django_tasks import task


@task(queue_name="default")
def tick() -> list[str]:
    """Enqueue the periodic jobs that are due, then book the next tick."""
    from .schedule import periodic_enqueue_due, schedule_start

    enqueued = periodic_enqueue_due()
    schedule_start()
    return enqueued


@task(queue_name="default")
def prune_task_results() -> None:
    """Forget finished jobs after two weeks: the clock alone adds 1,440 a day."""
    from django.conf import settings
    from django.core.management import call_command

    for queue in settings.TASKS["default"]["QUEUES"]:
        call_command("prune_db_task_results", queue_name=queue, min_age_days=14, verbosity=0)
