"""Sections that apps above the website add to the public home page.

An app registers a `Section` in its `AppConfig.ready()`; the home page lists each one's
items inside its cached fragment, so a section costs its queries only when public content
has changed (`services.public_content_changed`).
"""

from collections.abc import Callable
from dataclasses import dataclass
from typing import Any


@dataclass(frozen=True)
class Section:
    key: str
    title: str
    items: Callable[[], list[dict[str, Any]]]  # each: title, url, note, lang
    more_url: Callable[[], str]
    more_label: str
    empty: str


_SECTIONS: dict[str, Section] = {}


def register(section: Section) -> None:
    _SECTIONS[section.key] = section


def sections() -> list[Section]:
    return list(_SECTIONS.values())
