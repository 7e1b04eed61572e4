"""Match the policy process's free-text names of outside groups to organisations here.

A name matches an organisation when the two are equal once trimmed and compared without
regard to case; the policy app keeps its text either way. Written against a `get_model`
passed in, so the data migration (historical models) and the services share it.
"""

from typing import Any

from django.db.models import Q
from django.db.models.functions import Trim

# (PolicyLink field, policy model name, that model's free-text field, extra filter)
SOURCES = [
    ("proposal", "Proposal", "prompted_by", {}),
    ("contribution", "Contribution", "outside_who", {"kind": "outside"}),
    ("invitation", "ExternalInvitation", "name", {}),
]


def key(name: str) -> str:
    return (name or "").strip().lower()


def _link(get_model: Any, organisation: Any, link_field: str, row: Any, now: Any) -> int:
    PolicyLink = get_model("alliances", "PolicyLink")
    _, created = PolicyLink.objects.get_or_create(
        organisation=organisation, **{link_field: row}, defaults={"linked_at": now}
    )
    return int(created)


def link_mentions(*, get_model: Any, now: Any, organisations: Any = None) -> int:
    """Link every policy mention whose name matches one of `organisations` (default: all);
    returns the number of links made."""
    Organisation = get_model("alliances", "OutsideOrganisation")
    chosen = list(organisations if organisations is not None else Organisation.objects.all())
    by_name = {key(o.name): o for o in chosen}
    if not by_name:
        return 0
    made = 0
    for link_field, model_name, text_field, extra in SOURCES:
        rows = get_model("policy", model_name).objects.filter(**extra).exclude(**{text_field: ""})
        if organisations is not None:
            # A few organisations: the database narrows by name (by its own case rules),
            # and the comparison below decides.
            wanted = Q(pk__in=[])
            for organisation in chosen:
                wanted |= Q(_trimmed__iexact=organisation.name.strip())
            rows = rows.annotate(_trimmed=Trim(text_field)).filter(wanted)
        for row in rows.only("pk", text_field).iterator():
            organisation = by_name.get(key(getattr(row, text_field)))
            if organisation is not None:
                made += _link(get_model, organisation, link_field, row, now)
    return made


def link_row(*, get_model: Any, now: Any, link_field: str, row: Any) -> int:
    """Link one policy row to the organisation its free text names, if one does."""
    text_field = {source[0]: source[2] for source in SOURCES}[link_field]
    name = getattr(row, text_field, "")
    if not key(name):
        return 0
    Organisation = get_model("alliances", "OutsideOrganisation")
    for organisation in Organisation.objects.filter(name__iexact=name.strip()):
        if key(organisation.name) == key(name):
            return _link(get_model, organisation, link_field, row, now)
    return 0
