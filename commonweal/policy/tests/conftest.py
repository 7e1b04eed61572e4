"""Fixtures for the policy process: a rulebook to tune, section members, a launched proposal."""

import copy

import pytest

from commonweal.organisation.models import BodyMembership
from commonweal.organisation.services import body_membership_add
from commonweal.policy import services


@pytest.fixture
def no_two_factor(set_rules):
    """Officers sign in with a password alone (the rulebook's switch), for page tests."""
    return set_rules(members={"office_holders_need_two_factor": False})


@pytest.fixture
def set_rules(db):
    """Bring into force a rulebook that differs from the one in force as given.

    Keyword arguments change the [policy] section; `members={...}` the [members] one.
    """
    from commonweal.rulebook.selectors import current
    from commonweal.rulebook.services import rulebook_bring_into_force, rulebook_stage

    def apply(members=None, **policy):
        rules = copy.deepcopy(current().rules)
        rules["policy"].update(policy)
        rules["members"].update(members or {})
        version = rulebook_stage(rules=rules, staged_by=None)
        version = rulebook_bring_into_force(version=version)
        return version

    return apply


@pytest.fixture
def threshold(set_rules):
    """An absolute threshold of three supporters (the default minimum)."""
    return set_rules(support_threshold_kind="absolute", support_threshold=3)


@pytest.fixture
def chair(org, make_member):
    member = make_member(unit=org.york, full_name="Maya Singh")
    body_membership_add(body=org.transport, member=member, role=BodyMembership.Role.CHAIR)
    return member


@pytest.fixture
def author(org, make_member):
    return make_member(unit=org.leeds, full_name="Ana Costa")


@pytest.fixture
def propose(org, author):
    def make(**fields):
        values = {
            "author": author,
            "section": org.transport,
            "title": "A transport policy for the 2030s",
            "text": "Our bus policy is out of date: **fares** and rural routes.",
            "prompted_by": "Better Buses campaign",
        }
        values.update(fields)
        return services.proposal_create(**values)

    return make


@pytest.fixture
def launched(threshold, propose, make_member, org):
    """A proposal that has just reached its threshold of three."""
    proposal = propose()
    for _ in range(3):
        proposal = services.proposal_support(
            proposal=proposal, member=make_member(unit=org.brighton)
        )
    return proposal


@pytest.fixture
def circulating(launched, chair, author):
    scope = services.scope_propose(
        proposal=launched, by=chair, areas="Fares; rural routes; accessibility."
    )
    services.scope_answer(scope=scope, by=author, agree=True)
    launched.refresh_from_db()
    return launched
