"""Fixtures for the policy process: a rulebook to tune, section members, a launched proposal."""

import contextlib
import copy
from datetime import timedelta

import pytest
from django.test import Client

from commonweal.core import clock
from commonweal.organisation.models import BodyMembership
from commonweal.organisation.services import body_membership_add
from commonweal.policy import services


@pytest.fixture
def client_of(no_two_factor):
    """A signed-in client of its own for each member, so that several act side by side."""

    def signed_in(member):
        client = Client()
        client.force_login(member)
        return client

    return signed_in


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


@pytest.fixture
def contributions(circulating, org, make_member, make_officer):
    leeds = circulating.circulations.get(unit=org.leeds)
    york = circulating.circulations.get(unit=org.york)
    a = services.contribution_add(
        circulation=leeds, author=make_member(unit=org.leeds), text="Free fares under 25."
    )
    b = services.outside_consultation_add(
        circulation=york,
        by=make_member(unit=org.york),
        who="York Bus Users",
        on=clock.now().date(),
        text="Evening buses.",
    )
    c = services.contribution_add(
        circulation=leeds, author=make_member(unit=org.leeds), text="Trams, not buses."
    )
    return a, b, c


@pytest.fixture
def drafting(circulating, chair, contributions):
    """The chair closes circulation early (the rulebook lets the section's chair), saying why."""
    services.drafting_start(
        proposal=circulating, by=chair, reason="Leeds and York have reported; the rest are silent."
    )
    return circulating


def _write_draft(proposal, chair, a, b, extra="Night buses run hourly."):
    return services.draft_save(
        proposal=proposal,
        by=chair,
        paragraphs=[
            {"text": "Fares will be free for everyone under 25.", "cites": [a.pk]},
            {"text": extra, "cites": [b.pk]},
        ],
    )


@pytest.fixture
def consulting(drafting, chair, contributions):
    a, b, _c = contributions
    _write_draft(drafting, chair, a, b)
    return services.consultation_open(proposal=drafting, by=chair)


@pytest.fixture
def days_pass():
    """Move the platform's clock on by some days, for the rest of the test."""
    with contextlib.ExitStack() as stack:

        def move(days: float):
            return stack.enter_context(clock.frozen(clock.now() + timedelta(days=days)))

        yield move


@pytest.fixture
def final(consulting, chair, days_pass):
    """The consultation has run to its deadline and the chair has declared the final draft."""
    days_pass(22)
    return services.final_draft(proposal=consulting, by=chair)


@pytest.fixture
def write_draft():
    """Two paragraphs citing two contributions; the second's text can vary between versions."""
    return _write_draft


def _vote_all(vote, members, choice):
    from commonweal.voting.services import ballot_cast

    for member in members:
        ballot_cast(vote=vote, voter=member, ranking=[choice])


@pytest.fixture
def vote_all():
    """Every member given casts the same ballot."""
    return _vote_all
