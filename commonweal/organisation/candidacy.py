"""What a member must meet to stand for an office or be appointed to one, beyond being a
member in good standing.

The apps above organisation hold such conditions (training: the courses the rulebook
requires before standing) and organisation and meetings may not import them, so each
registers a check here from its `AppConfig.ready()`: a function of the member, the office's
name and the body, returning a refusal in the member's words or None. A nomination, the
opening of an election (for every candidate) and an appointment outside an election all ask
`require`, so the page, the API and the service refuse alike.
"""

from collections.abc import Callable
from typing import Any

from commonweal.core.errors import Refused

Check = Callable[[Any, str, Any], str | None]
_checks: list[Check] = []


def register(check: Check) -> None:
    if check not in _checks:
        _checks.append(check)


def refusals(member: Any, office: str, body: Any) -> list[str]:
    """Every reason the member may not stand for this office now (none: they may)."""
    return [reason for check in _checks if (reason := check(member, office, body))]


def require(member: Any, office: str, body: Any, *, field: str = "candidate") -> None:
    """Refuse, naming what is missing, a member who may not stand for this office."""
    found = refusals(member, office, body)
    if found:
        raise Refused(" ".join(found), field=field)
