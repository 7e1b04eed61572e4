"""Which tendencies a member may speak for, answered by the discussion app.

Decisions sits below discussion, so discussion registers the answer at start-up
(``provide``); without it nobody speaks for a tendency.
"""

from collections.abc import Callable
from typing import Any

_provider: Callable[[Any], list[tuple[int, str]]] | None = None


def provide(provider: Callable[[Any], list[tuple[int, str]]]) -> None:
    global _provider
    _provider = provider


def speakable_by(member: Any) -> list[tuple[int, str]]:
    """(id, name) of each recognised tendency the member belongs to and may speak for."""
    return _provider(member) if _provider is not None else []
