"""A real task worker killed (SIGKILL) in the middle of closing and counting a vote.

The worker is caught inside the tally's transaction: it has counted the ballots and marked the
vote closed, and waits for a lock this test holds on the record. Killed there, its transaction
dies with it. The platform's clock enqueues the vote sweep again a minute later (the test moves
the killed job's time back instead of waiting), a new worker closes the vote, and there is
exactly one result, one record entry and one closing notice.
"""

import io
from datetime import timedelta

import pytest
from django.core.management import call_command
from django.db import connection
from django_tasks_db.models import DBTaskResult

from commonweal.core import clock
from commonweal.core.tests.processes import (
    kill_when_blocked,
    side_connection,
    start_worker,
    wait_for,
)
from commonweal.notifications.models import Event
from commonweal.organisation.selectors import assembly_of
from commonweal.record.models import Entry
from commonweal.voting import services as voting
from commonweal.voting.models import Vote
from commonweal.voting.tasks import sweep_votes

VOTERS = 30


@pytest.mark.postgres
@pytest.mark.django_db(transaction=True)
def test_a_tally_killed_midway_completes_once_after_restart(org, make_member):
    if connection.vendor != "postgresql":
        pytest.skip("needs PostgreSQL and a real worker process")
    vote = voting.vote_create(
        title="Adopt the transport policy",
        body=assembly_of(org.nation),
        method="majority",
        secret=True,
        electorate=org.nation,
        closes_at=clock.now() + timedelta(hours=1),
        created_by=None,
    )
    voting.vote_open(vote=vote, opened_by=None)
    for i in range(VOTERS):
        voter = make_member(unit=(org.leeds, org.york, org.brighton)[i % 3])
        voting.ballot_cast(vote=vote, voter=voter, ranking=["yes" if i % 3 else "no"])
    Vote.objects.filter(pk=vote.pk).update(closes_at=clock.now() - timedelta(seconds=1))
    DBTaskResult.objects.all().delete()
    sweep_votes.enqueue()

    locker, watcher = side_connection(), side_connection(autocommit=True)
    locker.execute("LOCK TABLE record_entry IN EXCLUSIVE MODE")
    kill_when_blocked(
        start_worker(), locker=locker, watcher=watcher, statement='INSERT INTO "record_entry"'
    )

    vote.refresh_from_db()
    assert vote.state == Vote.State.OPEN, "the killed tally left a half-closed vote"
    assert vote.result in (None, {})

    DBTaskResult.objects.filter(task_path=sweep_votes.module_path).update(
        enqueued_at=clock.now() - timedelta(minutes=2)
    )
    call_command("schedule", stdout=io.StringIO())
    second = start_worker()
    try:
        assert wait_for(lambda: Vote.objects.get(pk=vote.pk).state == Vote.State.CLOSED)
    finally:
        second.kill()
        second.wait(timeout=30)

    vote.refresh_from_db()
    assert vote.turnout == VOTERS
    assert vote.result["turnout"] == VOTERS
    subject = f"voting.vote:{vote.pk}"
    assert Entry.objects.filter(kind="vote.closed", subject=subject).count() == 1
    assert Event.objects.filter(kind="vote.closed", link=f"/votes/{vote.pk}/result/").count() == 1
