"""Time and measure an opinion map's recompute on a large synthetic map.

Usage (from the repository root):
  PYTHONPATH=. .venv/bin/python bench/bench_opinion_map.py
      [--participants 100000] [--statements 1000]
      [--votes-each 30] [--groups 4] [--db]

Participants fall into planted groups; each group agrees or disagrees with
each statement (the first 5% are common ground, agreed by all), each
participant votes on `votes-each` random statements, 15% of votes are flipped
and 10% are passes. Prints the time and peak memory of the clustering core
(PCA by randomised subspace iteration on the sparse matrix, k-means with k
chosen by silhouette) and how well it recovered the planted groups (adjusted
Rand index). With --db it also loads the votes into the database named by
DATABASE_URL (use a throwaway one: set COMMONWEAL_DATA_DIR to a temporary
directory and migrate first) and times the whole task, reading included.
"""

from __future__ import annotations

import argparse
import resource
import time
import tracemalloc

import numpy as np

from commonweal.discussion import clustering


def synthetic(participants: int, statements: int, votes_each: int, groups: int, seed: int = 11):
    rng = np.random.default_rng(seed)
    opinion = rng.choice([-1.0, 1.0], size=(groups, statements))
    common = max(1, statements // 20)
    opinion[:, :common] = 1
    unanimous = np.abs(opinion.sum(axis=0)) == groups
    unanimous[:common] = False
    opinion[0, unanimous] *= -1
    truth = rng.integers(groups, size=participants)
    rows = np.repeat(np.arange(participants), votes_each)
    # Distinct statements per participant: a random offset plus a random stride coprime to n.
    start = rng.integers(statements, size=participants)
    stride = rng.choice(
        [s for s in range(1, statements) if np.gcd(s, statements) == 1], participants
    )
    steps = np.arange(votes_each)
    cols = ((start[:, None] + stride[:, None] * steps[None, :]) % statements).ravel()
    vals = opinion[truth[rows], cols]
    vals = np.where(rng.random(len(vals)) < 0.15, -vals, vals)
    vals[rng.random(len(vals)) < 0.10] = 0.0
    return truth, clustering.Sparse(rows, cols, vals, (participants, statements)), common


def bench_core(args) -> None:
    truth, matrix, common = synthetic(
        args.participants, args.statements, args.votes_each, args.groups
    )
    print(
        f"{args.participants:,} participants × {args.statements:,} statements, "
        f"{len(matrix.vals):,} votes, {args.groups} planted groups"
    )
    started, cpu = time.perf_counter(), time.process_time()
    found = clustering.cluster(matrix, seed=1)
    cluster_time = time.perf_counter() - started
    figures = clustering.group_figures(matrix, found.labels, len(found.centroids))
    summary = clustering.summarise(figures)
    total_time, total_cpu = time.perf_counter() - started, time.process_time() - cpu
    tracemalloc.start()
    clustering.summarise(
        clustering.group_figures(matrix, clustering.cluster(matrix, seed=1).labels, args.groups)
    )
    _, peak = tracemalloc.get_traced_memory()
    tracemalloc.stop()
    print(f"  cluster (PCA + k choice + k-means): {cluster_time:.2f} s wall")
    print(f"  with group figures and summary:     {total_time:.2f} s wall, {total_cpu:.2f} s CPU")
    print(f"  peak memory allocated in the step:  {peak / 2**20:.0f} MiB (tracemalloc)")
    print(f"  groups found: {len(found.centroids)}, silhouette {found.silhouette:.3f}")
    ari = clustering.adjusted_rand_index(truth, found.labels)
    print(f"  adjusted Rand index vs planted:     {ari:.3f}")
    planted_common = set(range(common))
    print(
        f"  common ground found: {len(summary['common'])} "
        f"(all planted: {set(summary['common']) <= planted_common})"
    )
    rss = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    print(f"  process peak RSS: {rss:.0f} MiB")


def bench_db(args) -> None:
    import django

    django.setup()
    from django.db import connection, transaction

    from commonweal.core import clock
    from commonweal.discussion.models import Debate, OpinionMap, Statement, StatementVote
    from commonweal.discussion.services import opinion_map_recompute
    from commonweal.members.models import Member

    _truth, matrix, _common = synthetic(
        args.participants, args.statements, args.votes_each, args.groups
    )
    now = clock.now()
    print("  loading members, statements and votes into the database ...")
    started = time.perf_counter()
    with transaction.atomic():
        first = Member.objects.count()
        Member.objects.bulk_create(
            [
                Member(email=f"bench{first + i}@bench.invalid", full_name="Bench", status="member")
                for i in range(args.participants)
            ],
            batch_size=5000,
        )
        member_ids = list(
            Member.objects.filter(email__endswith="@bench.invalid")
            .order_by("pk")
            .values_list("pk", flat=True)
        )[-args.participants :]
        author = Member.objects.get(pk=member_ids[0])
        debate = Debate.objects.create(
            question="Bench", opened_by=author, opened_at=now, rulebook_version=1
        )
        opinion_map = OpinionMap.objects.create(debate=debate, opened_by=author, opened_at=now)
        statements = Statement.objects.bulk_create(
            [
                Statement(opinion_map=opinion_map, text=f"S{i}", author=author, created_at=now)
                for i in range(args.statements)
            ]
        )
        statement_ids = [s.pk for s in statements]
        table = StatementVote._meta.db_table
        sql = (
            f"INSERT INTO {table} (opinion_map_id, statement_id, member_id, choice, voted_at) "
            "VALUES (%s, %s, %s, %s, %s)"
        )
        batch = []
        with connection.cursor() as cursor:
            for r, c, v in zip(matrix.rows, matrix.cols, matrix.vals, strict=True):
                batch.append((opinion_map.pk, statement_ids[c], member_ids[r], int(v), now))
                if len(batch) == 50_000:
                    cursor.executemany(sql, batch)
                    batch = []
            if batch:
                cursor.executemany(sql, batch)
    print(f"  loaded in {time.perf_counter() - started:.0f} s")
    for run in ("first (cold)", "second (warm start)"):
        started, cpu = time.perf_counter(), time.process_time()
        results = opinion_map_recompute(map_id=opinion_map.pk)
        print(
            f"  task {run}: {time.perf_counter() - started:.2f} s wall, "
            f"{time.process_time() - cpu:.2f} s CPU, "
            f"{results['participants']:,} participants, {len(results['groups'])} groups"
        )
    rss = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    print(f"  process peak RSS: {rss:.0f} MiB")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--participants", type=int, default=100_000)
    parser.add_argument("--statements", type=int, default=1_000)
    parser.add_argument("--votes-each", type=int, default=30)
    parser.add_argument("--groups", type=int, default=4)
    parser.add_argument("--db", action="store_true", help="also time the task against the DB")
    args = parser.parse_args()
    bench_core(args)
    if args.db:
        bench_db(args)


if __name__ == "__main__":
    main()
