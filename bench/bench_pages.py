"""Page time and query count at 2,000 members / 1,000 proposals and at 1,000,000 / 100,000.

Usage:
  BENCH_DATABASE_URL=postgres://postgres@127.0.0.1:5432/pages_bench \
    .venv/bin/python bench/bench_pages.py [--small 2000 1000] [--large 1000000 100000]
                                          [--requests 30]

Recreates the scratch database (its name must end in `_bench`), builds an organisation
(a nation, 10 regions, 100 branches, 5 policy sections) and fills it to the small size
with set-based INSERTs: members (each in their branch's assembly), proposals in every
stage, one decision per ten proposals. It signs in a member who sits on the transport
section and her branch's assembly and requests each page in-process through Django's
test client (so the figure is the server's time: routing, queries, templates) `--requests`
times after two warm-up requests: median, p95 and the number of queries. Then it grows the
same organisation to the large size and measures again. Target: at the large size at
most 1.5x the small size's median time, and the same query count.
"""

from __future__ import annotations

import argparse
import statistics
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))
from scratch import recreate_database, scratch_url

SECTIONS = ["Transport", "Housing", "Health", "Education", "Environment"]
STAGES = [
    "proposed",
    "scoping",
    "circulation",
    "drafting",
    "consultation",
    "approval",
    "published",
    "expired",
    "withdrawn",
]


def build_organisation():
    from commonweal.organisation.models import Body, Unit
    from commonweal.organisation.services import body_create, unit_create

    nation = unit_create(name="Nation", kind=Unit.Kind.NATIONAL)
    branches = []
    for r in range(10):
        region = unit_create(name=f"Region {r}", kind=Unit.Kind.REGION, parent=nation)
        for b in range(10):
            branch = unit_create(name=f"Branch {r}-{b}", kind=Unit.Kind.BRANCH, parent=region)
            branches.append(branch)
    sections = [
        body_create(name=f"{s} Section", kind=Body.Kind.POLICY_SECTION, unit=nation, subject=s)
        for s in SECTIONS
    ]
    return nation, branches, sections


def add_members(first: int, last: int, branch_ids: list[int]) -> None:
    """Members first..last-1, spread over the branches, each in their branch's assembly."""
    from django.db import connection

    with connection.cursor() as cursor:
        cursor.execute(
            """
            INSERT INTO members_member (password, is_superuser, email, full_name, unit_id,
                status, status_reason, joined_at, capacities, skills, interests,
                tags_for_officers, visibility, show_email, locale, is_staff, is_active,
                date_joined)
            SELECT '!', false, 'm' || i || '@bench.test', 'Member ' || i,
                (%s::bigint[])[1 + i %% %s], 'member', '', now(), '[]',
                CASE WHEN i %% 50 = 0 THEN '["Spanish translation"]' ELSE '[]' END::jsonb,
                '[]', '[]', 'unit', false, 'en', false, true, now()
            FROM generate_series(%s, %s - 1) AS i
            """,
            [branch_ids, len(branch_ids), first, last],
        )
        cursor.execute(
            """
            INSERT INTO organisation_bodymembership (body_id, member_id, role, since)
            SELECT b.id, m.id, 'member', current_date
            FROM members_member m JOIN organisation_body b
              ON b.unit_id = m.unit_id AND b.kind = 'assembly'
            WHERE m.email LIKE 'm%%@bench.test'
              AND NOT EXISTS (SELECT 1 FROM organisation_bodymembership x
                              WHERE x.member_id = m.id AND x.body_id = b.id)
            """
        )


def add_proposals(first: int, last: int, section_ids: list[int], branch_ids: list[int]) -> None:
    from django.db import connection

    with connection.cursor() as cursor:
        cursor.execute("SELECT min(id), max(id) FROM members_member")
        low, high = cursor.fetchone()
        cursor.execute(
            """
            INSERT INTO policy_proposal (title, text, prompted_by, anonymous, stage,
                stage_started_at, stage_deadline, support_needed, support_count, scope_areas,
                created_at, rulebook_version, author_id, section_id, unit_id)
            SELECT 'Proposal ' || i || ' on ' || (%s::text[])[1 + i %% 5],
                'The case for proposal ' || i || '. ' || repeat('Members argue for it. ', 20),
                '', false, (%s::text[])[1 + i %% %s],
                now() - (i %% 400) * interval '1 hour', now() + interval '30 days',
                25, i %% 40, '', now() - (i %% 400) * interval '1 hour', 1,
                %s + (i * 7919) %% (%s - %s + 1),
                (%s::bigint[])[1 + i %% 5], (%s::bigint[])[1 + i %% %s]
            FROM generate_series(%s, %s - 1) AS i
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
                first,
                last,
            ],
        )
        cursor.execute(
            """
            INSERT INTO decisions_decision (kind, title, text, decided_at, rulebook_version,
                body_id, link, subject)
            SELECT 'motion', 'Decision ' || i, 'The body resolved ' || i || '.',
                now() - (i %% 900) * interval '1 hour', 1, (%s::bigint[])[1 + i %% 5], '',
                (%s::text[])[1 + i %% 5]
            FROM generate_series(%s / 10, %s / 10 - 1) AS i
            """,
            [section_ids, SECTIONS, first, last],
        )
        cursor.execute("ANALYZE")


def settle() -> None:
    """Vacuum and analyse what was just written, so autovacuum does not run under the timing."""
    from django.db import connection

    with connection.cursor() as cursor:
        cursor.execute("VACUUM (ANALYZE)")


def viewer(sections, branches):
    from commonweal.members.models import Member
    from commonweal.organisation.services import body_membership_add

    member = Member.objects.create_user(
        email="viewer@bench.test", password="x", full_name="Vera Viewer", unit=branches[0]
    )
    member.status = Member.Status.MEMBER
    member.save(update_fields=["status"])
    from commonweal.organisation.selectors import assembly_of

    body_membership_add(body=assembly_of(branches[0]), member=member)
    body_membership_add(body=sections[0], member=member)
    return member


def measure(client, pages: dict[str, str], requests: int) -> dict[str, tuple[float, float, int]]:
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    figures = {}
    for name, url in pages.items():
        for _ in range(2):
            response = client.get(url)
            if response.status_code != 200:
                raise SystemExit(f"{name} ({url}) answered {response.status_code}")
        times = []
        for _ in range(requests):
            with CaptureQueriesContext(connection) as queries:
                started = time.perf_counter()
                client.get(url)
                times.append(time.perf_counter() - started)
        times.sort()
        figures[name] = (
            statistics.median(times),
            times[min(len(times) - 1, int(0.95 * len(times)))],
            len(queries),
        )
    return figures


def pages_of(sections, branches) -> dict[str, str]:
    from django.urls import reverse

    from commonweal.decisions.models import Decision
    from commonweal.organisation.selectors import assembly_of
    from commonweal.policy.models import Proposal

    proposal = Proposal.objects.filter(section=sections[0], stage="circulation").first()
    decision = Decision.objects.filter(body=sections[0]).order_by("-decided_at").first()
    return {
        "member home": reverse("members:home"),
        "bulletin board": reverse("policy:board"),
        "board, one section": reverse("policy:board") + f"?section={sections[0].slug}",
        "proposal page": reverse("policy:proposal", args=[proposal.pk]),
        "decision register": reverse("decisions:register"),
        "decision page": reverse("decisions:detail", args=[decision.pk]),
        "section body page": reverse("organisation:body", args=[sections[0].slug]),
        "branch assembly page": reverse("organisation:body", args=[assembly_of(branches[0]).slug]),
    }


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--small", type=int, nargs=2, default=[2000, 1000])
    parser.add_argument("--large", type=int, nargs=2, default=[1_000_000, 100_000])
    parser.add_argument("--requests", type=int, default=60)
    args = parser.parse_args()
    url = scratch_url("pages_bench")
    recreate_database(url)
    import django

    django.setup()
    from django.conf import settings
    from django.core.management import call_command
    from django.test import Client

    settings.ALLOWED_HOSTS = ["testserver"]
    call_command("migrate", verbosity=0)
    _nation, branches, sections = build_organisation()
    branch_ids = [b.pk for b in branches]
    section_ids = [s.pk for s in sections]
    member = viewer(sections, branches)

    results = {}
    done_members = done_proposals = 0
    for label, (members, proposals) in (("small", args.small), ("large", args.large)):
        started = time.perf_counter()
        add_members(done_members, members, branch_ids)
        add_proposals(done_proposals, proposals, section_ids, branch_ids)
        done_members, done_proposals = members, proposals
        settle()
        print(
            f"{label}: {members:,} members, {proposals:,} proposals, {proposals // 10:,} "
            f"decisions built in {time.perf_counter() - started:.0f} s",
            flush=True,
        )
        client = Client()
        client.force_login(member)
        results[label] = measure(client, pages_of(sections, branches), args.requests)

    print(
        f"\n{'page':<22} {'small med':>9} {'p95':>7} {'q':>3}   {'large med':>9} {'p95':>7} "
        f"{'q':>3}   {'ratio':>5}"
    )
    worst = 0.0
    for name, (s_med, s_p95, s_q) in results["small"].items():
        l_med, l_p95, l_q = results["large"][name]
        ratio = l_med / s_med
        worst = max(worst, ratio)
        print(
            f"{name:<22} {s_med * 1000:>7.1f}ms {s_p95 * 1000:>5.1f}ms {s_q:>3}   "
            f"{l_med * 1000:>7.1f}ms {l_p95 * 1000:>5.1f}ms {l_q:>3}   {ratio:>4.2f}x"
            + ("" if l_q == s_q else "  (queries differ)")
        )
    print(f"\nworst ratio {worst:.2f}x (target at most 1.5x)")


if __name__ == "__main__":
    main()
