"""What the apps above alliances add to an outside organisation's page.

The interventions app lists the struggles and interventions the organisation is in;
alliances may not import it, so each app above registers a section: a function of the
organisation and the viewer that returns the template to include and its context, or None
when it has nothing to show that viewer.
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


def sections(organisation: Any, viewer: Any) -> list[Section]:
    """The sections the apps above give this organisation's page, in registration order."""
    return [
        section
        for provider in _providers
        if (section := provider(organisation, viewer)) is not None
    ]
