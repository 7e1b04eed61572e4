"""Interventions fixtures: a Leeds bus strike, the Leeds assembly's chair and two members."""

from datetime import UTC, date, datetime, timedelta

import pytest

from commonweal.core import clock

NOW = datetime(2026, 3, 2, 10, 0, tzinfo=UTC)


@pytest.fixture
def now():
    with clock.frozen(NOW):
        yield NOW


@pytest.fixture
def assembly(org):
    from commonweal.organisation.selectors import assembly_of

    return assembly_of(org.leeds)


@pytest.fixture
def chair(org, make_officer):
    return make_officer(org.leeds, full_name="Chris Chair")


@pytest.fixture
def members(org, assembly, make_member):
    from commonweal.organisation.services import body_membership_add

    people = [make_member(unit=org.leeds) for _ in range(2)]
    for person in people:
        body_membership_add(body=assembly, member=person)
    return people


@pytest.fixture
def strike(org, chair, now):
    from commonweal.interventions.services import struggle_create

    return struggle_create(
        by=chair,
        title="Leeds bus drivers' strike",
        kind="strike",
        unit=org.leeds,
        since=date(2026, 2, 1),
        involvement="taking_part",
    )


@pytest.fixture
def plan(strike, assembly, chair, now):
    """Plan an intervention of the given kind, assessed in 30 days."""
    from commonweal.interventions.services import intervention_plan

    def make(kind="leaflet", aims="Win 200 passengers to back the drivers.", **fields):
        return intervention_plan(
            struggle=strike,
            body=assembly,
            by=chair,
            title=fields.pop("title", "Leaflet the depot"),
            kind=kind,
            aims=aims,
            assess_on=fields.pop("assess_on", now.date() + timedelta(days=30)),
        )

    return make
