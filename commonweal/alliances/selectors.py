"""Reading outside organisations, relationships and joint statements, as the viewer may."""

from dataclasses import dataclass, field
from typing import Any

from django.db.models import Count, Prefetch, Q, QuerySet

from commonweal.organisation.models import Unit
from commonweal.organisation.selectors import officer_unit_paths

from .models import (
    Activity,
    ContactPerson,
    JointStatement,
    OutsideOrganisation,
    Relationship,
    StatementText,
)


def _line_paths(unit: Unit | None) -> list[str]:
    """Paths of a unit and every unit above it, from its own path without a query."""
    if unit is None:
        return []
    return [unit.path[: i * Unit.steplen] for i in range(1, len(unit.path) // Unit.steplen + 1)]


def _member(user: Any) -> bool:
    return bool(getattr(user, "is_authenticated", False) and user.is_member)


def visible_relationships_q(user: Any, prefix: str = "") -> Q:
    """Relationships of the viewer's own unit and those above it, and of every unit in the
    scope of an office they hold. `prefix` is the lookup path to the relationship."""
    if getattr(user, "is_superuser", False) and getattr(user, "is_authenticated", False):
        return Q()
    if not _member(user):
        return Q(pk__in=[])
    shown = Q(**{f"{prefix}unit__path__in": _line_paths(getattr(user, "unit", None))})
    for path in officer_unit_paths(user):
        shown |= Q(**{f"{prefix}unit__path__startswith": path})
    return shown


def organisations_visible_to(user: Any) -> QuerySet[OutsideOrganisation]:
    """Every organisation's public facts, for members (and administrators)."""
    if not (_member(user) or getattr(user, "is_superuser", False)):
        return OutsideOrganisation.objects.none()
    return OutsideOrganisation.objects.select_related("unit")


def organisations_search(
    user: Any,
    *,
    q: str = "",
    kind: str = "",
    country: str = "",
    unit: Unit | None = None,
    status: str = "",
) -> QuerySet[OutsideOrganisation]:
    """Organisations by name, kind and country; by `unit` (held by it or a unit under it)
    and `status` only through relationships the viewer may see."""
    found = organisations_visible_to(user)
    if q:
        found = found.filter(name__icontains=q.strip())
    if kind:
        found = found.filter(kind=kind)
    if country:
        found = found.filter(country=country.strip().upper())
    if unit is not None or status:
        relationships = Relationship.objects.filter(visible_relationships_q(user))
        if unit is not None:
            relationships = relationships.filter(unit__path__startswith=unit.path)
        if status:
            relationships = relationships.filter(status=status)
        found = found.filter(pk__in=relationships.values("organisation_id"))
    return found


def relationships_visible_to(user: Any) -> QuerySet[Relationship]:
    return Relationship.objects.filter(visible_relationships_q(user)).select_related(
        "organisation", "unit"
    )


@dataclass
class RelationshipView:
    relationship: Relationship
    details: bool
    may_add: bool
    manage: bool
    contact_people: list[ContactPerson] = field(default_factory=list)
    activities: list[Activity] = field(default_factory=list)
    statements: list[JointStatement] = field(default_factory=list)


def organisation_page(organisation: OutsideOrganisation, viewer: Any) -> dict[str, Any]:
    """What the viewer may see of one organisation: its facts, the relationships in their
    scope (contact details only where they hold it or are its unit's officer), and where
    it took part in the policy process."""
    relationships = (
        organisation.relationships.filter(visible_relationships_q(viewer))
        .select_related("unit")
        .prefetch_related(
            "holders",
            "changes__changed_by",
            Prefetch("contact_people", queryset=ContactPerson.objects.filter(erased_at=None)),
            Prefetch("activities", queryset=Activity.objects.select_related("recorded_by")),
            Prefetch(
                "statements",
                queryset=JointStatement.objects.prefetch_related("texts"),
            ),
        )
    )
    views = []
    for relationship in relationships:
        views.append(
            RelationshipView(
                relationship=relationship,
                details=viewer.has_perm("alliances.view_contact_details", relationship),
                may_add=viewer.has_perm("alliances.add_contact_person", relationship),
                manage=viewer.has_perm("alliances.manage_relationship", relationship),
                contact_people=list(relationship.contact_people.all()),
                activities=list(relationship.activities.all()),
                statements=list(relationship.statements.all()),
            )
        )
    return {
        "organisation": organisation,
        "relationships": views,
        "policy_links": policy_links_of(organisation),
    }


def policy_links_of(organisation: OutsideOrganisation) -> list[dict[str, Any]]:
    """The proposals it prompted, the consultations it spoke to, the drafts it was invited
    to comment on: each with the proposal (which every member may read)."""
    rows = []
    for link in organisation.policy_links.select_related(
        "proposal",
        "contribution__proposal",
        "contribution__circulation__unit",
        "invitation__proposal",
    ):
        if link.proposal is not None:
            rows.append(
                {
                    "what": "prompted",
                    "proposal": link.proposal,
                    "on": link.proposal.created_at.date(),
                }
            )
        elif link.contribution is not None:
            rows.append(
                {
                    "what": "consulted",
                    "proposal": link.contribution.proposal,
                    "on": link.contribution.outside_on,
                    "by": link.contribution.circulation.unit,
                }
            )
        elif link.invitation is not None:
            rows.append(
                {
                    "what": "invited",
                    "proposal": link.invitation.proposal,
                    "on": link.invitation.created_at.date(),
                }
            )
    return rows


def statements_visible_to(
    user: Any, *, status: str = "", country: str = "", unit: Unit | None = None
) -> QuerySet[JointStatement]:
    found = JointStatement.objects.filter(visible_relationships_q(user, "relationship__"))
    if status:
        found = found.filter(status=status)
    if country:
        found = found.filter(relationship__organisation__country=country.strip().upper())
    if unit is not None:
        found = found.filter(relationship__unit__path__startswith=unit.path)
    return found.select_related(
        "relationship__organisation", "relationship__unit"
    ).prefetch_related("texts")


def carried_motion(statement: JointStatement) -> Any:
    """The decision of the competent body's carried motion on the statement, if any (the
    meetings app records it, with the statement as its subject, when the vote closes)."""
    from commonweal.decisions.models import Decision

    if not statement.motion_id:
        return None
    return (
        Decision.objects.filter(
            subject=f"alliances.statement:{statement.pk}", kind=Decision.Kind.MOTION
        )
        .select_related("body")
        .order_by("-decided_at")
        .first()
    )


def public_statements() -> QuerySet[JointStatement]:
    return (
        JointStatement.objects.filter(status=JointStatement.Status.PUBLISHED)
        .order_by("-published_at", "-id")
        .select_related("relationship__organisation")
        .prefetch_related(Prefetch("texts", queryset=StatementText.objects.order_by("id")))
    )


def country_overview(user: Any, *, unit: Unit | None = None) -> list[dict[str, Any]]:
    """Per country: the organisations recorded, and of the relationships the viewer sees
    (within `unit`'s subtree if given) how many are at each status, and the statements
    published."""
    organisations = (
        organisations_visible_to(user).values("country").annotate(n=Count("id")).order_by()
    )
    rows: dict[str, dict[str, Any]] = {
        row["country"]: {"country": row["country"], "organisations": row["n"], "statements": 0}
        | dict.fromkeys(Relationship.Status.values, 0)
        for row in organisations
    }
    relationships = Relationship.objects.filter(visible_relationships_q(user))
    if unit is not None:
        relationships = relationships.filter(unit__path__startswith=unit.path)
    for counted in (
        relationships.values("organisation__country", "status").annotate(n=Count("id")).order_by()
    ):
        rows.setdefault(counted["organisation__country"], {})[counted["status"]] = counted["n"]
    statements = JointStatement.objects.filter(
        status=JointStatement.Status.PUBLISHED, relationship__in=relationships
    )
    for published in (
        statements.values("relationship__organisation__country").annotate(n=Count("id")).order_by()
    ):
        rows[published["relationship__organisation__country"]]["statements"] = published["n"]
    for row in rows.values():
        row["by_status"] = [
            (label, row.get(status, 0)) for status, label in Relationship.Status.choices
        ]
    return sorted(rows.values(), key=lambda row: row["country"])


def contact_person_export(person: ContactPerson) -> dict[str, Any]:
    """What we hold about a contact person, for them to have on request."""
    relationship = person.relationship
    return {
        "name": person.name,
        "role": person.role,
        "email": person.email,
        "phone": person.phone,
        "organisation": relationship.organisation.name,
        "held_by_unit": relationship.unit.name,
        "consented_to": person.consent_to,
        "consent_on": person.consent_on.isoformat(),
        "recorded_at": person.created_at.isoformat(),
    }


def member_export(member: Any) -> dict[str, Any]:
    """A member's part in this area: the relationships they hold."""
    return {
        "outside_relationships_held": [
            {"organisation": r.organisation.name, "unit": r.unit.name, "status": r.status}
            for r in member.outside_relationships_held.select_related("organisation", "unit")
        ]
    }
