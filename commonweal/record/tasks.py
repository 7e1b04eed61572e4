from django_tasks import task

from . import services


@task(queue_name="default")
def seal_record() -> int:
    return services.record_seal()


@task(queue_name="default")
def check_record(scope: str = "recent") -> bool:
    """Verify the record on the worker and store the result; the clock books it (core/schedule)."""
    return services.record_check(whole=scope == "whole").ok
