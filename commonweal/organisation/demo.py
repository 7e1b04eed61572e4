"""Demo units and bodies: a nation, three regions, twelve branches, five policy sections."""

from commonweal.organisation.models import Body, Unit
from commonweal.organisation.services import body_create, unit_create

REGIONS = {
    "North": ["Leeds", "York", "Sheffield", "Newcastle"],
    "Midlands": ["Birmingham", "Nottingham", "Leicester", "Coventry"],
    "South": ["Bristol", "Brighton", "Southampton", "Plymouth"],
}
SECTIONS = {
    "transport": "Transport",
    "health": "Health",
    "housing": "Housing",
    "education": "Education",
    "environment": "Environment",
}


def load(ctx) -> None:
    nation = unit_create(name="National", kind=Unit.Kind.NATIONAL, slug="national")
    ctx.units["national"] = nation
    for region_name, branches in REGIONS.items():
        region = unit_create(
            name=region_name, kind=Unit.Kind.REGION, parent=nation, slug=region_name.lower()
        )
        ctx.units[region_name.lower()] = region
        for branch_name in branches:
            ctx.units[branch_name.lower()] = unit_create(
                name=branch_name, kind=Unit.Kind.BRANCH, parent=region, slug=branch_name.lower()
            )
    ctx.bodies["national-committee"] = body_create(
        name="National Committee",
        kind=Body.Kind.LEADERSHIP,
        unit=nation,
        description="The elected leadership of the organisation.",
    )
    ctx.bodies["training"] = body_create(
        name="Training Department",
        kind=Body.Kind.DEPARTMENT,
        unit=nation,
        description="Courses, mentoring and leadership development.",
    )
    for subject, name in SECTIONS.items():
        ctx.bodies[subject] = body_create(
            name=f"{name} Section",
            kind=Body.Kind.POLICY_SECTION,
            unit=nation,
            subject=subject,
            description=f"Develops the organisation's {name.lower()} policy.",
        )
