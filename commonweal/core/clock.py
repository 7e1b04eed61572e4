"""The platform's clock.

Deadlines, expiry and stall detection all ask this clock rather than the system
time, so tests (and a task worker started by a test) can move time forward.
`COMMONWEAL_NOW` (an ISO timestamp) in the environment pins the clock for a
whole process; `frozen()` pins it inside one process.
"""

import contextlib
import os
from collections.abc import Iterator
from datetime import datetime

from django.utils import timezone

_frozen: list[datetime] = []


def now() -> datetime:
    if _frozen:
        return _frozen[-1]
    pinned = os.environ.get("COMMONWEAL_NOW")
    if pinned:
        return datetime.fromisoformat(pinned)
    return timezone.now()


@contextlib.contextmanager
def frozen(moment: datetime) -> Iterator[datetime]:
    if timezone.is_naive(moment):
        raise ValueError("frozen() needs an aware datetime")
    _frozen.append(moment)
    try:
        yield moment
    finally:
        _frozen.pop()
