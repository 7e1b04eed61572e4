"""What the apps above news add to a member's calendar feed.

Training sits above news and schedules cohort sessions; it registers a function of the
member returning events (uid, summary, description, start, end, url) in its
`AppConfig.ready()`, and the feed adds them to the meetings and deadlines it reads itself.
"""

from collections.abc import Callable
from typing import Any

Provider = Callable[[Any], list[dict[str, Any]]]
_PROVIDERS: list[Provider] = []


def register(provider: Provider) -> None:
    if provider not in _PROVIDERS:
        _PROVIDERS.append(provider)


def entries(member: Any) -> list[dict[str, Any]]:
    found: list[dict[str, Any]] = []
    for provider in _PROVIDERS:
        found += provider(member)
    return found
