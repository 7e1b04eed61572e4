import pytest


@pytest.fixture
def world(org, make_member, make_officer, run_worker):
    """The organisation with an object of every kind and a person in every role."""
    from .world import build

    return build(org, make_member, make_officer, run_worker)
