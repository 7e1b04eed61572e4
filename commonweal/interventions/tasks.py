from django_tasks import task


@task(queue_name="default")
def sweep_assessments() -> dict[str, int]:
    """Remind, mark overdue and escalate interventions' assessments (each step once)."""
    from .services import assessments_sweep

    return assessments_sweep()
