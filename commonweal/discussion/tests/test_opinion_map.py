import numpy as np
import pytest
from django_tasks_db.models import DBTaskResult

from commonweal.core.errors import Conflict, NotPermitted, Refused
from commonweal.discussion import clustering, selectors, services
from commonweal.discussion.models import Statement, StatementVote

pytestmark = pytest.mark.django_db


def planted(groups=4, per_group=750, statements=200, votes_each=25, noise=0.15, seed=7):
    """Synthetic voters: each group agrees or disagrees per statement, with some noise.

    Statements 0-9 are common ground (every group agrees); 10-14 are rejected by
    all; 15-19 split the groups in two; the rest get random but mixed opinions.
    """
    rng = np.random.default_rng(seed)
    opinion = rng.choice([-1.0, 1.0], size=(groups, statements))
    opinion[:, :10] = 1
    opinion[:, 10:15] = -1
    opinion[: groups // 2, 15:20] = 1
    opinion[groups // 2 :, 15:20] = -1
    for j in range(20, statements):
        if abs(opinion[:, j].sum()) == groups:
            opinion[0, j] *= -1
    truth = np.repeat(np.arange(groups), per_group)
    n = len(truth)
    rows = np.repeat(np.arange(n), votes_each)
    cols = np.concatenate([rng.choice(statements, votes_each, replace=False) for _ in range(n)])
    vals = opinion[truth[rows], cols]
    vals = np.where(rng.random(len(vals)) < noise, -vals, vals)
    return truth, clustering.Sparse(rows, cols, vals, (n, statements))


def test_clustering_recovers_planted_groups():
    """Bound: adjusted Rand index above 0.9 with 15% of votes flipped at random."""
    truth, matrix = planted()
    found = clustering.cluster(matrix, seed=1)
    assert len(found.centroids) == 4
    assert clustering.adjusted_rand_index(truth, found.labels) > 0.9


def test_common_ground_and_divisive_statements_on_planted_data():
    _truth, matrix = planted(groups=3, per_group=600)
    found = clustering.cluster(matrix, seed=1)
    summary = clustering.summarise(
        clustering.group_figures(matrix, found.labels, len(found.centroids))
    )
    assert set(summary["common"]) <= set(range(15))
    assert len(summary["common"]) == clustering.TOP
    assert not set(summary["divisive"]) & set(range(15))
    assert summary["divisive"]


def test_adjusted_rand_index_is_one_for_renamed_labels_and_low_for_chance():
    truth = np.array([0, 0, 1, 1, 2, 2] * 50)
    assert clustering.adjusted_rand_index(truth, (truth + 1) % 3) == pytest.approx(1.0)
    shuffled = np.random.default_rng(0).permutation(truth)
    assert abs(clustering.adjusted_rand_index(truth, shuffled)) < 0.1


@pytest.fixture
def opinion_map(debate):
    return services.opinion_map_open(debate=debate, opened_by=debate.opened_by)


def test_statements_are_short_and_not_repeated(opinion_map, section_member):
    author = section_member()
    with pytest.raises(Refused, match="140"):
        services.statement_add(opinion_map=opinion_map, author=author, text="x" * 141)
    services.statement_add(opinion_map=opinion_map, author=author, text="Buses should be free")
    with pytest.raises(Conflict):
        services.statement_add(opinion_map=opinion_map, author=author, text="buses should be FREE")
    assert opinion_map.statements.count() == 1


def test_voting_twice_replaces_the_vote_and_never_double_counts(opinion_map, section_member):
    voter = section_member()
    statement = services.statement_add(opinion_map=opinion_map, author=voter, text="Free buses")
    services.statement_vote(statement=statement, member=voter, choice="agree")
    services.statement_vote(statement=statement, member=voter, choice="agree")
    services.statement_vote(statement=statement, member=voter, choice="disagree")
    statement.refresh_from_db()
    assert StatementVote.objects.filter(statement=statement).count() == 1
    assert (statement.agree_count, statement.disagree_count, statement.pass_count) == (0, 1, 0)


def test_bad_votes_are_refused_and_change_nothing(opinion_map, section_member, make_member):
    statement = services.statement_add(
        opinion_map=opinion_map, author=section_member(), text="Free buses"
    )
    with pytest.raises(Refused):
        services.statement_vote(statement=statement, member=section_member(), choice="maybe")
    with pytest.raises(NotPermitted):
        services.statement_vote(statement=statement, member=make_member(), choice="agree")
    assert not StatementVote.objects.exists()


def test_a_hidden_statement_takes_no_more_votes(opinion_map, section_member, make_officer, org):
    statement = services.statement_add(
        opinion_map=opinion_map, author=section_member(), text="Free buses"
    )
    services.statement_hide(
        statement=statement, moderator=make_officer(body=org.transport), reason="Duplicate"
    )
    with pytest.raises(Conflict):
        services.statement_vote(statement=statement, member=section_member(), choice="agree")


def test_votes_queue_no_work_and_wait_for_the_next_batch(opinion_map, section_member, on_commit):
    voter = section_member()
    statements = [
        services.statement_add(opinion_map=opinion_map, author=voter, text=f"Statement {i}")
        for i in range(3)
    ]
    for statement in statements:
        services.statement_vote(statement=statement, member=voter, choice="agree")
    on_commit()
    assert not DBTaskResult.objects.filter(task_path__startswith="commonweal.discussion").exists()
    opinion_map.refresh_from_db()
    assert opinion_map.recompute_pending


def _planted_map(opinion_map, org, bulk_members):
    """3 groups of 10 section members; statements 0-2 shared, the rest split by group."""
    from commonweal.organisation.models import BodyMembership

    members = bulk_members(30, org.leeds)
    BodyMembership.objects.bulk_create(
        [BodyMembership(body=org.transport, member=m, since="2026-01-01") for m in members]
    )
    texts = [f"Statement number {i}" for i in range(12)]
    statements = [
        services.statement_add(opinion_map=opinion_map, author=members[0], text=t) for t in texts
    ]
    for index, member in enumerate(members):
        group = index % 3
        for j, statement in enumerate(statements):
            if j < 2:
                choice = "agree"
            elif j == 2:
                choice = "disagree"
            else:
                choice = "agree" if j % 3 == group else "disagree"
            services.statement_vote(statement=statement, member=member, choice=choice)
    return members, statements


def test_recompute_finds_groups_common_ground_and_divisions(opinion_map, org, bulk_members):
    members, statements = _planted_map(opinion_map, org, bulk_members)
    results = services.opinion_map_recompute(map_id=opinion_map.pk)
    assert results["participants"] == 30
    assert sorted(g["size"] for g in results["groups"]) == [10, 10, 10]
    assert set(results["common"]) == {s.pk for s in statements[:3]}
    assert set(results["divisive"]) <= {s.pk for s in statements[3:]}
    assert results["divisive"]
    opinion_map.refresh_from_db()
    page = selectors.opinion_map_page(opinion_map)
    # Every group agrees with the first two and rejects the third: said apart, not as one list.
    assert {row["statement"].pk for row in page["common"]} == {s.pk for s in statements[:2]}
    assert [row["statement"].pk for row in page["rejected"]] == [statements[2].pk]
    own = [selectors.own_group(opinion_map, m) for m in members]
    for planted_group in range(3):
        assert len({own[i] for i in range(planted_group, 30, 3)}) == 1
    assert len(set(own)) == 3


def test_the_clocks_batch_task_publishes_the_map(opinion_map, org, bulk_members):
    from commonweal.discussion.tasks import publish_opinion_maps

    _planted_map(opinion_map, org, bulk_members)
    assert publish_opinion_maps.call() == [opinion_map.pk]
    opinion_map.refresh_from_db()
    assert opinion_map.results["participants"] == 30
    assert not opinion_map.recompute_pending


def test_next_statements_are_unvoted_and_in_a_stable_personal_order(opinion_map, section_member):
    author, voter = section_member(), section_member()
    for i in range(10):
        services.statement_add(opinion_map=opinion_map, author=author, text=f"Statement {i}")
    first = selectors.next_statements(opinion_map, voter, limit=10)
    assert first == selectors.next_statements(opinion_map, voter, limit=10)
    assert first != selectors.next_statements(opinion_map, author, limit=10)
    services.statement_vote(statement=first[0], member=voter, choice="pass")
    assert first[0] not in selectors.next_statements(opinion_map, voter, limit=10)
    assert Statement.objects.get(pk=first[0].pk).pass_count == 1
