"""What a vote decides, when an app above voting put it (a meeting's motion or agenda item).

The vote page shows the text put to the vote and where it stands on an agenda; the meetings
app holds those and voting may not import it, so it registers a reader: a function of the
vote's id that returns a dict (`text`, `text_html`, `item`, `meeting`, `amendment`, and the
`template` that shows them) or None when the vote is not its.
"""

from collections.abc import Callable
from typing import Any

Reader = Callable[[int], dict[str, Any] | None]
_readers: list[Reader] = []


def register(reader: Reader) -> None:
    if reader not in _readers:
        _readers.append(reader)


def put_to_vote(vote_id: int) -> dict[str, Any] | None:
    """What the first app that knows the vote says it decides; None for a vote of its own."""
    for reader in _readers:
        found = reader(vote_id)
        if found is not None:
            return found
    return None
