"""The rulebook in force, as typed values.

Every action that depends on a rule records `current().version`.
"""

from dataclasses import dataclass
from typing import Any

from commonweal.core.errors import Refused

from .models import RulebookVersion

_cache: dict[str, "Rulebook"] = {}


@dataclass(frozen=True)
class Rulebook:
    version: int
    rules: dict[str, Any]

    def __getitem__(self, dotted: str) -> Any:
        """`rulebook["policy.support_days"]`."""
        section, _, name = dotted.partition(".")
        return self.rules[section][name]

    def section(self, name: str) -> dict[str, Any]:
        return self.rules[name]


def current() -> Rulebook:
    """The version in force. Cached per process; staging a new one clears it."""
    version = (
        RulebookVersion.objects.filter(status=RulebookVersion.Status.IN_FORCE)
        .values_list("number", flat=True)
        .first()
    )
    if version is None:
        raise Refused("No rulebook is in force yet: run `manage.py migrate` and set-up first.")
    cached = _cache.get("current")
    if cached is None or cached.version != version:
        row = RulebookVersion.objects.get(number=version)
        cached = Rulebook(version=row.number, rules=row.rules)
        _cache["current"] = cached
    return cached


def forget_current() -> None:
    _cache.clear()


def version(number: int) -> Rulebook:
    row = RulebookVersion.objects.get(number=number)
    return Rulebook(version=row.number, rules=row.rules)
