"""What an amendment changes, rule by rule, in the organisation's words.

A rule the older version does not state reads as the shipped rulebook says (as
``Rulebook.__getitem__`` reads it), so adding a rule to the schema shows no change by itself.
"""

from dataclasses import dataclass
from typing import Any

from .labels import LABELS, SECTIONS, readable
from .schema import RULES
from .selectors import shipped


@dataclass(frozen=True)
class Change:
    key: str
    section: Any
    label: Any
    before: str
    after: str


def _stated(rules: dict[str, Any], section: str) -> dict[str, Any]:
    return {**shipped().get(section, {}), **(rules.get(section) or {})}


def rulebook_diff(before: dict[str, Any], after: dict[str, Any]) -> list[Change]:
    """Every rule whose value differs, in the schema's order, old and new value in words."""
    changes = []
    for section, fields in RULES.items():
        old, new = _stated(before, section), _stated(after, section)
        for name in fields:
            if name in old and name in new and old[name] == new[name]:
                continue
            key = f"{section}.{name}"
            changes.append(
                Change(
                    key=key,
                    section=SECTIONS.get(section, section),
                    label=LABELS[key].label,
                    before=readable(key, old[name], old) if name in old else "—",
                    after=readable(key, new[name], new) if name in new else "—",
                )
            )
    return changes
