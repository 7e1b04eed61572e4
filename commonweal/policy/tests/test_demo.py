"""The demo shows the whole process: a proposal at every step and a published policy."""

import random

import pytest
from django.test import Client

from commonweal.core.demo import DemoContext
from commonweal.policy import demo, services
from commonweal.policy.models import OPEN_STAGES, Amendment, Policy, Proposal, Stage

pytestmark = pytest.mark.django_db


def test_the_demo_has_every_step_and_a_published_policy_with_its_history():
    from commonweal.members import demo as members_demo
    from commonweal.organisation import demo as organisation_demo

    ctx = DemoContext(seed=1, members=400, rng=random.Random(1))
    organisation_demo.load(ctx)
    members_demo.load(ctx)
    demo.load(ctx)

    stages = set(Proposal.objects.values_list("stage", flat=True))
    assert stages >= {*OPEN_STAGES, Stage.PUBLISHED, Stage.EXPIRED}
    assert Amendment.objects.get().status == Amendment.Status.VOTING
    assert services.proposals_sweep() == {"expired": 0, "stalled": 0, "reminded": 0}

    policy = Policy.objects.get()
    versions = list(policy.versions.order_by("number"))
    assert [v.number for v in versions] == [1, 2]
    assert all(v.decision_id for v in versions)
    assert Proposal.objects.get(title="Free, frequent buses for every town").amends == policy

    page = Client().get(policy.get_absolute_url())
    assert page.status_code == 200
    html = page.content.decode()
    assert versions[1].decision.title in html
    assert "What changed from version 1 to version 2" in html
    assert "<ins>" in html
    assert "Minority position" in html
    assert "free fares for everyone" in html
