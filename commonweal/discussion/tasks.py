from django_tasks import task

from .services import opinion_map_recompute, opinion_maps_publish


@task(queue_name="default")
def recompute_opinion_map(map_id: int) -> int:
    """Recompute an opinion map's groups; safe to run twice (the later start wins)."""
    return opinion_map_recompute(map_id=map_id)["participants"]


@task(queue_name="default")
def publish_opinion_maps() -> list[int]:
    """The clock's batch publication of opinion maps (`services.opinion_maps_publish`)."""
    return opinion_maps_publish()
