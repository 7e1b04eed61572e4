"""What this app adds to the pages of lower apps, through the registries they own."""

from typing import Any

from commonweal.alliances.organisation_page import Section

from . import selectors


def organisation_section(organisation: Any, viewer: Any) -> Section | None:
    """An outside organisation's page lists the struggles and interventions it is in that
    the viewer may see (another branch's work stays hidden)."""
    if not viewer.has_perm("interventions.view"):
        return None
    return Section(
        "interventions/_organisation_section.html",
        selectors.organisation_involvement(organisation, viewer),
    )
