"""The platform's clock: periodic work reaches the worker without cron, once per interval."""

import io
from datetime import timedelta

import pytest
from django.core.management import call_command
from django_tasks_db.models import DBTaskResult

from commonweal.core import clock
from commonweal.core.schedule import PERIODIC, TICK_PATH, periodic_enqueue_due, schedule_start
from commonweal.organisation.selectors import assembly_of
from commonweal.voting import services as voting
from commonweal.voting.models import Vote

pytestmark = pytest.mark.django_db


def ready(path: str) -> int:
    return DBTaskResult.objects.filter(task_path=path, status="READY").count()


def test_starting_the_clock_twice_books_one_tick(on_commit):
    assert schedule_start() is True
    assert schedule_start() is False
    on_commit()
    assert ready(TICK_PATH) == 1


def test_each_periodic_job_is_enqueued_once_per_interval(on_commit):
    first = periodic_enqueue_due()
    on_commit()
    assert len(first) == len(PERIODIC)
    assert periodic_enqueue_due() == []

    votes = "commonweal.voting.tasks.sweep_votes"
    DBTaskResult.objects.filter(task_path=votes).update(
        status="SUCCESSFUL", enqueued_at=clock.now() - timedelta(minutes=2)
    )
    assert periodic_enqueue_due() == [votes]

    digests = DBTaskResult.objects.filter(task_path__endswith="send_digests")
    assert sorted(row.args_kwargs["args"] for row in digests) == [["daily"], ["weekly"]]


def test_a_vote_whose_time_is_up_is_closed_by_the_clock(org, make_member, run_worker):
    voter = make_member(unit=org.leeds)
    vote = voting.vote_create(
        title="Adopt the transport policy",
        body=assembly_of(org.nation),
        method="majority",
        electorate=org.nation,
        closes_at=clock.now() + timedelta(hours=1),
        created_by=None,
    )
    voting.vote_open(vote=vote, opened_by=None)
    voting.ballot_cast(vote=vote, voter=voter, ranking=["yes"])
    Vote.objects.filter(pk=vote.pk).update(closes_at=clock.now() - timedelta(seconds=1))

    out = io.StringIO()
    call_command("schedule", stdout=out)
    run_worker()

    vote.refresh_from_db()
    assert vote.state == Vote.State.CLOSED
    assert vote.turnout == 1
    assert ready(TICK_PATH) == 1
    assert "the next tick is booked" in out.getvalue()
    assert "the next tick is booked" in out.getvalue()
