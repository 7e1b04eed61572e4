"""What the register asks about a decision's vote, answered by the voting app.

Who may attach a minority position depends on the vote that took the decision: whether the
member could vote in it, and how their open ballot went. Decisions sits below voting, so
voting registers the answers at start-up (``provide``); without them nobody has a ballot
and only the deciding body's scope counts.
"""

from collections.abc import Callable
from typing import Any

_open_ballot: Callable[[Any, Any], list[str] | None] | None = None
_may_vote: Callable[[Any, Any], bool] | None = None


def provide(
    *, open_ballot: Callable[[Any, Any], list[str] | None], may_vote: Callable[[Any, Any], bool]
) -> None:
    global _open_ballot, _may_vote
    _open_ballot, _may_vote = open_ballot, may_vote


def open_ballot(member: Any, vote: Any) -> list[str] | None:
    """The member's own open ballot in the vote (its ranking), or None."""
    return _open_ballot(member, vote) if _open_ballot is not None else None


def may_vote(member: Any, vote: Any) -> bool:
    return _may_vote(member, vote) if _may_vote is not None else False
