import random

import pytest

from commonweal.core.demo import DemoContext
from commonweal.meetings import demo
from commonweal.meetings.models import Meeting, Minutes, Recall, SpeakerRequest
from commonweal.organisation.models import Mandate
from commonweal.voting.models import Vote
from commonweal.voting.selectors import may_vote

pytestmark = pytest.mark.django_db


def test_the_demo_loads_a_past_meeting_an_open_econference_and_a_recall():
    from commonweal.members import demo as members_demo
    from commonweal.organisation import demo as organisation_demo

    ctx = DemoContext(seed=1, members=400, rng=random.Random(1))
    organisation_demo.load(ctx)
    members_demo.load(ctx)
    demo.load(ctx)

    past = Meeting.objects.get(title="Leeds branch meeting")
    assert past.state == Meeting.State.CLOSED
    assert [i.kind for i in past.items.all()] == ["report", "motion", "election"]
    assert past.attendances.count() >= 4
    strike = past.items.get(kind="motion")
    turns = list(SpeakerRequest.objects.filter(item=strike, state="done").order_by("started_at"))
    member = ctx.people["member"]
    assert [t.member == member for t in turns] == [True, False, False, False, True]
    assert all(t.seconds >= 90 for t in turns)
    assert past.minutes.state == Minutes.State.SENT
    election = past.items.get(kind="election")
    stv = Vote.objects.get(pk=election.vote_id)
    assert stv.effective
    assert len(stv.result["rounds"]) > 1
    mandates = Mandate.objects.filter(body=past.body, office="Branch committee member")
    assert sorted(m.holder.display_name for m in mandates) == sorted(stv.result["winners"])

    econference = Meeting.objects.get(kind=Meeting.Kind.ECONFERENCE)
    open_vote = Vote.objects.get(meeting_id=econference.pk, state=Vote.State.OPEN)
    assert may_vote(ctx.people["member"], open_vote)
    assert Recall.objects.get().state == Recall.State.GATHERING
