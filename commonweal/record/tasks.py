from django_tasks import task

from . import services


@task(queue_name="default")
def seal_record() -> int:
    return services.record_seal()
