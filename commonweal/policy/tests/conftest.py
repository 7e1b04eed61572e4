"""Fixtures for the policy process: a rulebook to tune, section members, a launched proposal."""

from pathlib import Path

import pytest

from commonweal.organisation.models import BodyMembership
from commonweal.organisation.services import body_membership_add
from commonweal.policy import services

DEFAULT_RULEBOOK = Path(__file__).parents[2] / "rulebook" / "default_rulebook.toml"


@pytest.fixture
def set_rules(db):
    """Bring into force a rulebook whose [policy] section differs as given."""
    from commonweal.rulebook.services import load_toml, rulebook_bring_into_force, rulebook_stage

    def apply(**policy):
        rules = load_toml(DEFAULT_RULEBOOK)
        rules["policy"].update(policy)
        version = rulebook_stage(rules=rules, staged_by=None)
        return rulebook_bring_into_force(version=version)

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
