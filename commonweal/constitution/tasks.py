from django_tasks import task


@task(queue_name="default")
def sweep_amendments() -> int:
    """Bring adopted amendments whose date has come into force."""
    from .services import amendments_sweep

    return amendments_sweep()
