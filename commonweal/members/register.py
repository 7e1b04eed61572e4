"""Filters that apps above members add to the capacities register's search.

Officers search the register by unit and by the members' own tags (members knows both);
"and has done the facilitation course" is the training app's to answer, and members may
not import it, so training registers a filter here: its choices for the search form and a
condition on the members' rows. A filter must answer in a fixed number of queries
whatever the organisation's size (a subquery in the condition, not a list of ids).
"""

from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from django.db.models import Q


@dataclass(frozen=True)
class RegisterFilter:
    key: str  # the search form's field and the API's parameter, e.g. "course"
    label: Any
    # (value, label) pairs the form offers, for this officer
    choices: Callable[[Any], list[tuple[str, str]]]
    # the condition on members for a chosen value; None when the value is not one offered
    condition: Callable[[str], Q | None]


_filters: dict[str, RegisterFilter] = {}


def register(found: RegisterFilter) -> None:
    _filters[found.key] = found


def filters() -> list[RegisterFilter]:
    return list(_filters.values())
