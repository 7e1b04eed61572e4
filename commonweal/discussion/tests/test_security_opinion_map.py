"""Nobody's opinion group can be read off the published map: batches, and no small groups."""

from datetime import timedelta

import pytest

from commonweal.core import clock
from commonweal.core.schedule import periodic_enqueue_due
from commonweal.discussion import selectors, services
from commonweal.organisation.models import BodyMembership

pytestmark = pytest.mark.django_db


def section_voters(org, bulk_members, n):
    members = bulk_members(n, org.leeds)
    BodyMembership.objects.bulk_create(
        [BodyMembership(body=org.transport, member=m, since="2026-01-01") for m in members]
    )
    return members


def vote_as_group(statements, member, group):
    """Statements 0-2 agreed by all; the rest split three ways."""
    for j, statement in enumerate(statements):
        if j < 2:
            choice = "agree"
        elif j == 2:
            choice = "disagree"
        else:
            choice = "agree" if j % 3 == group else "disagree"
        services.statement_vote(statement=statement, member=member, choice=choice)


@pytest.fixture
def planted(debate, org, bulk_members):
    """A published map of three groups of ten section members."""
    opinion_map = services.opinion_map_open(debate=debate, opened_by=debate.opened_by)
    members = section_voters(org, bulk_members, 30)
    statements = [
        services.statement_add(opinion_map=opinion_map, author=members[0], text=f"Statement {i}")
        for i in range(12)
    ]
    for index, member in enumerate(members):
        vote_as_group(statements, member, index % 3)
    services.opinion_map_recompute(map_id=opinion_map.pk)
    opinion_map.refresh_from_db()
    return opinion_map, statements


def published_sizes(opinion_map):
    opinion_map.refresh_from_db()
    return sorted((g["label"], g["size"]) for g in opinion_map.results["groups"])


def test_one_members_votes_never_show_as_a_change_in_the_published_map(
    planted, org, bulk_members, run_worker, monkeypatch
):
    opinion_map, statements = planted
    before = published_sizes(opinion_map)
    assert [size for _label, size in before] == [10, 10, 10]
    # Before the fix, every vote queued a recompute 10 seconds later; no waiting here.
    monkeypatch.setattr(services, "RECOMPUTE_EVERY", timedelta(0), raising=False)
    [newcomer] = section_voters(org, bulk_members, 1)
    vote_as_group(statements, newcomer, 0)
    run_worker()
    assert published_sizes(opinion_map) == before
    next_batch = selectors.next_publication() + timedelta(minutes=1)
    with clock.frozen(next_batch):
        periodic_enqueue_due()
        run_worker()
    assert published_sizes(opinion_map) == before, "one new voter is never published alone"
    for member in section_voters(org, bulk_members, selectors.SMALL_GROUP - 1):
        vote_as_group(statements, member, 1)
    with clock.frozen(next_batch + services.selectors.PUBLISH_EVERY):
        assert services.opinion_maps_publish() == [opinion_map.pk]
    after = published_sizes(opinion_map)
    assert sum(size for _label, size in after) == 30 + selectors.SMALL_GROUP


def test_the_batch_publishes_a_map_once_however_often_it_runs(planted, org, bulk_members):
    opinion_map, statements = planted
    for member in section_voters(org, bulk_members, selectors.SMALL_GROUP):
        vote_as_group(statements, member, 2)
    batch = selectors.next_publication() + timedelta(minutes=2)
    with clock.frozen(batch):
        assert services.opinion_maps_publish() == [opinion_map.pk]
    with clock.frozen(batch + timedelta(minutes=5)):
        assert services.opinion_maps_publish() == []


def test_groups_under_the_small_group_floor_are_not_published(debate, org, bulk_members):
    opinion_map = services.opinion_map_open(debate=debate, opened_by=debate.opened_by)
    members = section_voters(org, bulk_members, 12)
    statements = [
        services.statement_add(opinion_map=opinion_map, author=members[0], text=f"Statement {i}")
        for i in range(12)
    ]
    for index, member in enumerate(members):
        vote_as_group(statements, member, index % 3)
    results = services.opinion_map_recompute(map_id=opinion_map.pk)
    assert all(g["size"] >= selectors.SMALL_GROUP for g in results["groups"])
    assert all(
        len(figures) == len(results["groups"]) for figures in results.get("figures", {}).values()
    )
    opinion_map.refresh_from_db()
    assert all(
        selectors.own_group(opinion_map, m) in {g["label"] for g in results["groups"]} | {None}
        for m in members
    )


@pytest.mark.usefixtures("planted")
def test_the_page_and_api_say_when_the_map_was_computed_and_when_the_next_is_due(client, debate):
    client.force_login(debate.opened_by)
    answer = client.get(f"/api/discussion/debates/{debate.pk}/map").json()
    assert answer["computed_at"]
    assert answer["next_publication"] > answer["computed_at"]
    page = client.get(f"/discussion/debates/{debate.pk}/map/").content.decode()
    assert "the next is due" in page
