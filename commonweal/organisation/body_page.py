"""What the apps above organisation add to a body's page.

A body's page shows what other apps hold about the body (the meetings app: its
office-holders' missing accountability reports; the decisions app: its decisions and, for
its officers, where to record one taken outside the platform); organisation may not import
them, so each registers a section: a function of the body and the viewer that returns the
template to include and its context, or None when it has nothing to show that viewer.
"""

from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any


@dataclass(frozen=True)
class Section:
    template: str
    context: dict[str, Any] = field(default_factory=dict)


Provider = Callable[[Any, Any], Section | None]
_providers: list[Provider] = []


def register(provider: Provider) -> None:
    if provider not in _providers:
        _providers.append(provider)


def sections(body: Any, viewer: Any) -> list[Section]:
    """The sections the apps above give this body's page, in the order they registered."""
    return [section for provider in _providers if (section := provider(body, viewer)) is not None]
