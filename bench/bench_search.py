"""Global search at 100,000 proposals on a scratch PostgreSQL database.

Builds the organisation and rows as bench_pages does, fills the index with `index_rebuild`,
then times `search.selectors.search` for a plain member: median and p95 over several queries
(rare, common and two-word), and counts its queries.
    .venv/bin/python bench/bench_search.py [--proposals 100000] [--runs 30]
"""

import argparse
import statistics
import time

from bench_pages import SECTIONS, STAGES, add_members, build_organisation, settle, viewer
from scratch import recreate_database, scratch_url

QUERIES = ["proposal 4242", "transport", "members argue", "housing case", "nothingmatches"]


def add_proposals(last: int, section_ids: list[int], branch_ids: list[int]) -> None:
    """bench_pages's proposals, without its decisions (whose columns have moved on)."""
    from django.db import connection

    with connection.cursor() as cursor:
        cursor.execute("SELECT min(id), max(id) FROM members_member")
        low, high = cursor.fetchone()
        cursor.execute(
            """
            INSERT INTO policy_proposal (title, text, text_html, prompted_by, anonymous, stage,
                stage_started_at, stage_deadline, support_needed, support_count, scope_areas,
                scope_areas_html, created_at, rulebook_version, author_id, section_id, unit_id)
            SELECT 'Proposal ' || i || ' on ' || (%s::text[])[1 + i %% 5],
                'The case for proposal ' || i || '. ' || repeat('Members argue for it. ', 20),
                '<p>The case for proposal ' || i || '. '
                    || repeat('Members argue for it. ', 20) || '</p>',
                '', false, (%s::text[])[1 + i %% %s],
                now(), now() + interval '30 days', 25, i %% 40, '', '', now(), 1,
                %s + (i * 7919) %% (%s - %s + 1),
                (%s::bigint[])[1 + i %% 5], (%s::bigint[])[1 + i %% %s]
            FROM generate_series(0, %s - 1) AS i
            """,
            [
                SECTIONS,
                STAGES,
                len(STAGES),
                low,
                high,
                low,
                section_ids,
                branch_ids,
                len(branch_ids),
                last,
            ],
        )


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--proposals", type=int, default=100_000)
    parser.add_argument("--members", type=int, default=20_000)
    parser.add_argument("--runs", type=int, default=30)
    args = parser.parse_args()
    url = scratch_url("search_bench")
    recreate_database(url)
    import django

    django.setup()
    from django.core.management import call_command
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    from commonweal.search import selectors
    from commonweal.search.services import index_rebuild

    call_command("migrate", verbosity=0)
    _nation, branches, sections = build_organisation()
    member = viewer(sections, branches)
    add_members(0, args.members, [b.pk for b in branches])
    add_proposals(args.proposals, [s.pk for s in sections], [b.pk for b in branches])
    started = time.perf_counter()
    counts = index_rebuild()
    print(f"index_rebuild: {counts} in {time.perf_counter() - started:.1f} s")
    settle()
    for query in QUERIES:
        times = []
        for _ in range(args.runs):
            t = time.perf_counter()
            with CaptureQueriesContext(connection) as queries:
                hits = selectors.search(member, query=query).hits
            times.append((time.perf_counter() - t) * 1000)
        times.sort()
        p95 = times[int(len(times) * 0.95) - 1]
        print(
            f"{query!r:18} median {statistics.median(times):7.1f} ms  p95 {p95:7.1f} ms  "
            f"{len(queries)} queries  {len(hits)} shown"
        )


if __name__ == "__main__":
    main()
