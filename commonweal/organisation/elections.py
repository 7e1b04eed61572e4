"""Elections planned or under way to fill a body's offices, shown on the body's page.

The meetings app holds the elections (an election item on a meeting's agenda) and
organisation may not import it, so it registers a reader here. An election is planned from
the moment its item is on an agenda (its office and seats are set when the chair opens it)
and under way once its vote is open.
"""

from collections.abc import Callable
from dataclasses import dataclass
from datetime import datetime
from typing import Any


@dataclass(frozen=True)
class Upcoming:
    office: str  # while only planned, the agenda item's title
    seats: int | None  # None while only planned
    opens_at: datetime
    meeting: str
    link: str
    candidates: int = 0

    @property
    def planned(self) -> bool:
        return self.seats is None


Reader = Callable[[Any], list[Upcoming]]
_readers: list[Reader] = []


def register(reader: Reader) -> None:
    if reader not in _readers:
        _readers.append(reader)


def upcoming(body: Any) -> list[Upcoming]:
    """Elections not yet held for the body's offices, soonest first."""
    found = [election for reader in _readers for election in reader(body)]
    return sorted(found, key=lambda election: election.opens_at)
