from django_tasks import task


@task(queue_name="default")
def sweep_actions() -> int:
    """Flag overdue actions (once a day per action)."""
    from .services import actions_sweep

    return actions_sweep()


@task(queue_name="default")
def sweep_reviews() -> int:
    """Remind bodies of decisions whose review is coming due (once per review date)."""
    from .services import decisions_review_sweep

    return decisions_review_sweep()
