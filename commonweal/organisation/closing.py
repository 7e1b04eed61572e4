"""What keeps a body (or a unit, through its bodies) from closing, as the apps above see it.

The process apps hold what a closing would cut short (an open vote); organisation cannot
import them, so each registers a check that names the obstacle in the member's words.
"""

from collections.abc import Callable, Iterable

Check = Callable[[list[int]], list[str]]
_checks: list[Check] = []


def register(check: Check) -> None:
    if check not in _checks:
        _checks.append(check)


def obstacles(body_ids: Iterable[int]) -> list[str]:
    """Why these bodies cannot close now; empty if nothing stands in the way."""
    ids = sorted(set(body_ids))
    return [reason for check in _checks for reason in check(ids)] if ids else []
