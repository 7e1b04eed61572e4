"""CSV downloads: the whole decision register and a branch's members list, streamed at size.

Usage:
  BENCH_DATABASE_URL=postgres://postgres@127.0.0.1:5432/csv_bench \
    .venv/bin/python bench/bench_csv_export.py [--decisions 10000 100000]
                                               [--members 10000 50000]

Recreates the scratch database (its name must end in `_bench`), builds a nation with one
branch and fills it with set-based INSERTs, one title or name in seven a spreadsheet
formula. For each size it downloads `decisions:register_csv` as a member and
`organisation:unit_members_csv` as the branch's officer through Django's test client,
reading the stream to the end: time, rows, megabytes, queries, and the peak of Python
memory allocated while streaming (tracemalloc, a second download). It exits non-zero when
a row is missing or a cell would run in a spreadsheet.
"""

from __future__ import annotations

import argparse
import csv
import io
import sys
import time
import tracemalloc
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))
from scratch import recreate_database, scratch_url

FORMULA_START = ("=", "+", "-", "@", "\t", "\r")


def build():
    from allauth.mfa.totp.internal.auth import TOTP

    from commonweal.members.models import Member
    from commonweal.organisation.models import BodyMembership, Unit
    from commonweal.organisation.selectors import assembly_of
    from commonweal.organisation.services import body_membership_add, unit_create

    nation = unit_create(name="Nation", kind=Unit.Kind.NATIONAL)
    branch = unit_create(name="Branch", kind=Unit.Kind.BRANCH, parent=nation)
    officer = Member.objects.create_user(
        email="officer@bench.test", password="x", full_name="Olu Officer", unit=branch
    )
    officer.status = Member.Status.MEMBER
    officer.save(update_fields=["status"])
    body_membership_add(body=assembly_of(branch), member=officer, role=BodyMembership.Role.CHAIR)
    TOTP.activate(officer, "JBSWY3DPEHPK3PXPJBSWY3DPEHPK3PXP")
    return branch, assembly_of(branch), officer


def add_decisions(first: int, last: int, body_id: int) -> None:
    from django.db import connection

    with connection.cursor() as cursor:
        cursor.execute(
            """
            INSERT INTO decisions_decision (kind, title, text, decided_at, rulebook_version,
                body_id, link, subject)
            SELECT 'motion',
                CASE WHEN i %% 7 = 0 THEN '=HYPERLINK("http://evil","' || i || '")'
                     ELSE 'Decision ' || i END,
                'The body resolved ' || i || '.', now() - (i %% 900) * interval '1 hour', 1,
                %s, '', 'transport'
            FROM generate_series(%s, %s - 1) AS i
            """,
            [body_id, first, last],
        )
        cursor.execute("VACUUM (ANALYZE)")


def add_members(first: int, last: int, unit_id: int) -> None:
    from django.db import connection

    with connection.cursor() as cursor:
        cursor.execute(
            """
            INSERT INTO members_member (password, is_superuser, email, full_name, unit_id,
                status, status_reason, joined_at, capacities, skills, interests, tags_for_officers,
                visibility, show_email, locale, is_staff, is_active, date_joined)
            SELECT '!', false, 'm' || i || '@bench.test',
                CASE WHEN i %% 7 = 0 THEN '+1+' || i ELSE 'Member ' || i END, %s, 'member',
                '', now(), '["driver"]', '[]', '[]', '[]', 'unit', i %% 2 = 0, 'en', false, true,
                now()
            FROM generate_series(%s, %s - 1) AS i
            """,
            [unit_id, first, last],
        )
        cursor.execute("VACUUM (ANALYZE)")


def download(client, url: str) -> tuple[float, int, int, bytes]:
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    with CaptureQueriesContext(connection) as queries:
        started = time.perf_counter()
        response = client.get(url)
        raw = b"".join(response.streaming_content)
        elapsed = time.perf_counter() - started
    if response.status_code != 200:
        raise SystemExit(f"{url} answered {response.status_code}")
    return elapsed, len(queries), len(raw), raw


def peak_streaming_mib(client, url: str) -> float:
    """Peak Python allocation while the stream is read chunk by chunk and dropped."""
    tracemalloc.start()
    response = client.get(url)
    for _chunk in response.streaming_content:
        pass
    peak = tracemalloc.get_traced_memory()[1]
    tracemalloc.stop()
    return peak / 2**20


def check(raw: bytes, rows_expected: int, name: str) -> None:
    rows = list(csv.reader(io.StringIO(raw.decode("utf-8-sig"), newline="")))[1:]
    if len(rows) != rows_expected:
        raise SystemExit(f"{name}: {len(rows)} rows, expected {rows_expected}")
    running = [cell for row in rows for cell in row if cell.lstrip().startswith(FORMULA_START)]
    if running:
        raise SystemExit(f"{name}: cells a spreadsheet would run: {running[:3]}")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--decisions", type=int, nargs="+", default=[10_000, 100_000])
    parser.add_argument("--members", type=int, nargs="+", default=[10_000, 50_000])
    args = parser.parse_args()
    url = scratch_url("csv_bench")
    recreate_database(url)
    import django

    django.setup()
    from django.conf import settings
    from django.core.management import call_command
    from django.test import Client
    from django.urls import reverse

    settings.ALLOWED_HOSTS = ["testserver"]
    settings.DEBUG = False
    call_command("migrate", verbosity=0)
    branch, assembly, officer = build()
    client = Client()
    client.force_login(officer)
    register_url = reverse("decisions:register_csv")
    members_url = reverse("organisation:unit_members_csv", args=[branch.slug])

    print(f"{'download':<16} {'rows':>8} {'seconds':>8} {'MB':>7} {'queries':>7} {'peak MiB':>9}")
    done = 0
    for size in args.decisions:
        add_decisions(done, size, assembly.pk)
        done = size
        elapsed, queries, length, raw = download(client, register_url)
        check(raw, size, "register")
        peak = peak_streaming_mib(client, register_url)
        print(
            f"{'register':<16} {size:>8,} {elapsed:>8.2f} {length / 1e6:>7.1f} {queries:>7} "
            f"{peak:>9.1f}",
            flush=True,
        )
    done = 0
    for size in args.members:
        add_members(done, size, branch.pk)
        done = size
        elapsed, queries, length, raw = download(client, members_url)
        check(raw, size + 1, "members")  # the officer is a member of the branch too
        peak = peak_streaming_mib(client, members_url)
        print(
            f"{'members list':<16} {size + 1:>8,} {elapsed:>8.2f} {length / 1e6:>7.1f} "
            f"{queries:>7} {peak:>9.1f}",
            flush=True,
        )


if __name__ == "__main__":
    main()
