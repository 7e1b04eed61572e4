from django_tasks import task

from .services import opinion_map_recompute


@task(queue_name="default")
def recompute_opinion_map(map_id: int) -> int:
    """Recompute an opinion map's groups; safe to run twice (the later start wins)."""
    return opinion_map_recompute(map_id=map_id)["participants"]
