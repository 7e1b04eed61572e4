import random

import pytest

from commonweal.core.demo import DemoContext
from commonweal.discussion import demo, selectors
from commonweal.discussion.models import Debate, OpinionMap, Tendency

pytestmark = pytest.mark.django_db


def test_the_demo_loads_a_debate_a_map_and_tendencies():
    from commonweal.members import demo as members_demo
    from commonweal.organisation import demo as organisation_demo

    ctx = DemoContext(seed=1, members=400, rng=random.Random(1))
    organisation_demo.load(ctx)
    members_demo.load(ctx)
    demo.load(ctx)
    debate = Debate.objects.get(space_body=ctx.bodies["transport"])
    page = selectors.debate_page(debate, ctx.people["member"])
    assert page["for_arguments"]
    assert page["against_arguments"]
    assert page["positions"]
    results = OpinionMap.objects.get().results
    assert len(results["groups"]) >= 2
    assert results["common"]
    assert [selectors.is_recognised(t) for t in Tendency.objects.order_by("name")] == [True, False]
