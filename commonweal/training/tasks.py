from django_tasks import task


@task(queue_name="default")
def sweep_leadership() -> int:
    """Warn office-holders before their training deadline; tell the chair once it passed."""
    from .leadership import warnings_sweep

    return warnings_sweep()
