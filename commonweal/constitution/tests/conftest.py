import copy

import pytest


@pytest.fixture
def conference(org, make_member):
    """The national conference the shipped rulebook names, with four delegates."""
    from commonweal.organisation.models import Body
    from commonweal.organisation.services import body_create, body_membership_add

    body = body_create(name="National Conference", kind=Body.Kind.CONFERENCE, unit=org.nation)
    body.delegates = [
        make_member(unit=unit, full_name=name)
        for unit, name in (
            (org.leeds, "Ana Costa"),
            (org.york, "Ben Okafor"),
            (org.brighton, "Cleo Hart"),
            (org.leeds, "Dev Patel"),
        )
    ]
    for member in body.delegates:
        body_membership_add(body=body, member=member)
    return body


@pytest.fixture
def amended_rules():
    """The rules in force with the quorum raised to 20% and terms of three years."""

    def make(**changes):
        from commonweal.rulebook.schema import RULES
        from commonweal.rulebook.selectors import current

        in_force = current()
        rules = {"title": "Rulebook 2027"}
        for section, fields in RULES.items():
            rules[section] = {name: copy.deepcopy(in_force[f"{section}.{name}"]) for name in fields}
        rules["meetings"]["quorum"] = 0.2
        rules["offices"]["term_months"] = 36
        for dotted, value in changes.items():
            section, _, name = dotted.partition("__")
            rules[section][name] = value
        return rules

    return make
