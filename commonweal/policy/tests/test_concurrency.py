"""Many supports at the same moment launch the process exactly once (PostgreSQL)."""

import threading

import pytest
from django.db import connection, connections

from commonweal.core.errors import Conflict
from commonweal.policy import services
from commonweal.policy.models import Proposal, Stage, StageTransition

pytestmark = [pytest.mark.postgres, pytest.mark.django_db(transaction=True)]

SUPPORTERS = 12


@pytest.fixture(autouse=True)
def _postgres_only():
    if connection.vendor != "postgresql":
        pytest.skip("needs PostgreSQL for real concurrent transactions")


def test_concurrent_supports_crossing_the_threshold_launch_exactly_once(
    set_rules, propose, make_member, org
):
    set_rules(support_threshold_kind="absolute", support_threshold=5)
    proposal = propose()
    members = [make_member(unit=org.york) for _ in range(SUPPORTERS)]
    barrier = threading.Barrier(SUPPORTERS)
    outcomes: list[str] = []

    def support(member):
        try:
            barrier.wait()
            services.proposal_support(proposal=proposal, member=member)
            outcomes.append("ok")
        except Conflict:
            outcomes.append("closed")
        finally:
            connections.close_all()

    threads = [threading.Thread(target=support, args=(m,)) for m in members]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()

    proposal = Proposal.objects.get(pk=proposal.pk)
    assert proposal.stage == Stage.SCOPING
    assert StageTransition.objects.filter(proposal=proposal, to_stage=Stage.SCOPING).count() == 1
    assert outcomes.count("ok") == 5
    assert outcomes.count("closed") == SUPPORTERS - 5
    assert proposal.support_count == 5
    assert proposal.supports.count() == 5
