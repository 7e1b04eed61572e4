"""The rulebook in force, as typed values.

Every action that depends on a rule records `current().version`.
"""

from dataclasses import dataclass
from functools import cache
from typing import Any

from django.conf import settings

from commonweal.core.errors import Refused

from .models import RulebookVersion


@dataclass(frozen=True)
class Rulebook:
    version: int
    rules: dict[str, Any]

    def __getitem__(self, dotted: str) -> Any:
        """`rulebook["policy.support_days"]`; a rule added after this version was adopted
        reads as the shipped rulebook says, until a new version states it."""
        section, _, name = dotted.partition(".")
        given = self.rules.get(section, {})
        return given[name] if name in given else shipped()[section][name]

    def section(self, name: str) -> dict[str, Any]:
        return self.rules[name]


@cache
def shipped() -> dict[str, Any]:
    """The rulebook shipped with Commonweal (``default_rulebook.toml``)."""
    from .services import load_toml

    return load_toml(settings.COMMONWEAL_DEFAULT_RULEBOOK)


def current() -> Rulebook:
    """The version in force, read fresh (one small query) so no process acts on stale rules."""
    row = (
        RulebookVersion.objects.filter(status=RulebookVersion.Status.IN_FORCE)
        .only("number", "rules")
        .first()
    )
    if row is None:
        raise Refused("No rulebook is in force yet: run `manage.py migrate` first.")
    return Rulebook(version=row.number, rules=row.rules)


def version(number: int) -> Rulebook:
    row = RulebookVersion.objects.get(number=number)
    return Rulebook(version=row.number, rules=row.rules)


def history() -> list[dict[str, Any]]:
    """Every version that has been or will be in force (adopted), newest first, each with
    what it changed against the one before it, for anyone to read. Drafts and rejected
    amendments stay on the members' pages."""
    from .diff import rulebook_diff

    shown = (
        RulebookVersion.Status.IN_FORCE,
        RulebookVersion.Status.SUPERSEDED,
        RulebookVersion.Status.ADOPTED,
    )
    rows = list(RulebookVersion.objects.filter(status__in=shown).order_by("number"))
    entries, before = [], None
    for row in rows:
        entries.append(
            {
                "version": row,
                "changes": rulebook_diff(before.rules, row.rules) if before else [],
            }
        )
        if row.status != RulebookVersion.Status.ADOPTED:
            before = row
    return entries[::-1]
