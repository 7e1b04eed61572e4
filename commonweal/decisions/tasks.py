from django_tasks import task


@task(queue_name="default")
def sweep_actions() -> int:
    """Flag overdue actions (once a day per action)."""
    from .services import actions_sweep

    return actions_sweep()
