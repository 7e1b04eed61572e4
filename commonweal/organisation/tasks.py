from django_tasks import task


@task(queue_name="default")
def sweep_mandates() -> dict[str, int]:
    """Tell holders a term is ending; record and announce the terms that have ended."""
    from .services import mandates_sweep

    return mandates_sweep()
