from django_tasks import task


@task(queue_name="default")
def refresh_participation() -> int:
    """Recount the months since the last count, and the buckets marked stale."""
    from .aggregates import refresh

    return refresh()
