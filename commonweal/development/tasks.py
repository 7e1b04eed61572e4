from django_tasks import task


@task(queue_name="default")
def sweep_plan_reviews() -> int:
    """Remind members and their mentors of development plans due for review."""
    from .services import plans_review_sweep

    return plans_review_sweep()
