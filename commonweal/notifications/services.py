"""The one way any app tells people something happened."""

from collections.abc import Iterable
from typing import Any

from django.db import transaction

from commonweal.core import clock

from .models import Event


def notify(
    *,
    kind: str,
    title: str,
    link: str = "",
    text: str = "",
    members: Iterable[Any] = (),
    bodies: Iterable[Any] = (),
    units: Iterable[Any] = (),
    actor: Any = None,
    urgent: bool = False,
    thread: str = "",
) -> Event:
    """Record an event and fan it out after commit, on the worker.

    `members`, `bodies` and `units` (objects or ids) say who is concerned: a body
    means its current members, a unit means every member in its subtree.
    """
    event = Event.objects.create(
        kind=kind,
        title=title[:300],
        text=text,
        link=link,
        urgent=urgent,
        actor=actor,
        member_ids=sorted({getattr(m, "pk", m) for m in members}),
        body_ids=sorted({getattr(b, "pk", b) for b in bodies}),
        unit_ids=sorted({getattr(u, "pk", u) for u in units}),
        thread=thread,
        created_at=clock.now(),
    )
    transaction.on_commit(lambda: _enqueue_fan_out(event.pk))
    return event


def _enqueue_fan_out(event_id: int) -> None:
    from .tasks import fan_out_event

    fan_out_event.enqueue(event_id)
