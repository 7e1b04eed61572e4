"""Time a national fan-out on PostgreSQL: N members told, in the app and by email.

Usage:
  BENCH_DATABASE_URL=postgres://postgres@127.0.0.1:5432/hnotify_bench \
    .venv/bin/python bench/bench_fanout.py [--members 1000000] [--batch 20000] [--workers 1]

Drops and recreates the scratch database (BENCH_DATABASE_URL, or DATABASE_URL when it
names a `..._bench` database; default `fanout_bench`; its name must end in `_bench`), migrates it,
inserts N members over 100 branches in one INSERT ... SELECT, then sends an
urgent alert to the national unit (every member gets a notification, its email
queued on it) and runs real `manage.py db_worker` processes on the fan-out queue
until the event is done. Prints the phases' times, rows written and the workers'
peak RSS. Emails are only queued here; sending is the email queue's job.
"""

from __future__ import annotations

import argparse
import os
import resource
import subprocess
import sys
import time
from pathlib import Path
from urllib.parse import urlparse

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
DEFAULT_URL = "postgres://postgres@127.0.0.1:5432/fanout_bench"
_given = os.environ.get("DATABASE_URL", "")
os.environ["DATABASE_URL"] = os.environ.get(
    "BENCH_DATABASE_URL", _given if _given.endswith("_bench") else DEFAULT_URL
)
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "commonweal.config.settings")


def recreate_database(url: str) -> None:
    import psycopg

    parsed = urlparse(url)
    name = parsed.path.lstrip("/")
    if not name.endswith("_bench"):
        raise SystemExit(f"refusing to drop {name!r}: the scratch database must end in _bench")
    admin = parsed._replace(path="/postgres").geturl()
    with psycopg.connect(admin, autocommit=True) as conn:
        conn.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')
        conn.execute(f'CREATE DATABASE "{name}"')


def build_units():
    from commonweal.organisation.models import Unit
    from commonweal.organisation.services import unit_create

    nation = unit_create(name="Nation", kind=Unit.Kind.NATIONAL)
    branches = []
    for r in range(10):
        region = unit_create(name=f"Region {r}", kind=Unit.Kind.REGION, parent=nation)
        for b in range(10):
            branch = unit_create(name=f"Branch {r}-{b}", kind=Unit.Kind.BRANCH, parent=region)
            branches.append(branch.pk)
    return nation, branches


def insert_members(n: int, branches: list[int]) -> None:
    """One set-based INSERT: the fastest honest way to make N rows."""
    from django.db import connection

    with connection.cursor() as cursor:
        cursor.execute(
            """
            INSERT INTO members_member (password, last_login, is_superuser, email, full_name,
                unit_id, status, status_reason, joined_at, capacities, skills, interests,
                tags_for_officers, visibility, show_email, locale, is_staff, is_active, date_joined)
            SELECT '!', NULL, false, 'm' || i || '@bench.test', 'Member ' || i,
                (%s::bigint[])[1 + i %% %s], 'member', '', now(), '[]', '[]', '[]',
                '[]', 'unit', false, 'en', false, true, now()
            FROM generate_series(1, %s) AS i
            """,
            [branches, len(branches), n],
        )
        cursor.execute("ANALYZE members_member")


def run_workers(count: int, env: dict[str, str]) -> float:
    started = time.perf_counter()
    workers = [
        subprocess.Popen(
            [
                sys.executable,
                "manage.py",
                "db_worker",
                "--queue-name",
                "fanout",
                "--batch",
                "--no-reload",
                "--no-startup-delay",
                "--interval",
                "0.1",
                "-v",
                "0",
            ],
            cwd=ROOT,
            env=env,
        )
        for _ in range(count)
    ]
    for worker in workers:
        worker.wait()
    return time.perf_counter() - started


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--members", type=int, default=1_000_000)
    parser.add_argument("--batch", type=int, default=20000)
    parser.add_argument("--workers", type=int, default=1)
    args = parser.parse_args()
    url = os.environ["DATABASE_URL"]

    t0 = time.perf_counter()
    recreate_database(url)
    import django

    django.setup()
    from django.core.management import call_command

    call_command("migrate", verbosity=0)
    t_migrate = time.perf_counter() - t0

    from commonweal.members.models import Member
    from commonweal.notifications.models import EmailStatus, Event, Notification
    from commonweal.notifications.services import notify

    t0 = time.perf_counter()
    nation, branches = build_units()
    insert_members(args.members, branches)
    t_members = time.perf_counter() - t0

    event = notify(kind="alert.urgent", title="Bench", units=[nation], urgent=True)
    env = {**os.environ, "DJANGO_SETTINGS_MODULE": "bench.fanout_settings"}
    env["COMMONWEAL_FAN_OUT_BATCH"] = str(args.batch)
    t_fan = run_workers(args.workers, env)

    event = Event.objects.get(pk=event.pk)
    notifications = Notification.objects.filter(event=event).count()
    emails = Notification.objects.filter(event=event, email=EmailStatus.PENDING).count()
    members = Member.objects.count()
    rss_mb = resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss / 1024
    print(
        f"database          {urlparse(url).path.lstrip('/')} (dropped, created, migrated "
        f"in {t_migrate:.1f} s)"
    )
    print(f"members           {members:,} inserted in {t_members:.1f} s")
    print(
        f"fan-out           {t_fan:.1f} s with {args.workers} worker(s), batch {args.batch:,}"
        f" ({notifications / max(t_fan, 1e-9):,.0f} members/s)"
    )
    print(f"notifications     {notifications:,}")
    print(f"emails queued     {emails:,}")
    print(
        f"event done        {event.fanned_out_at is not None} "
        f"(checkpoint {event.fan_out_after}, count {event.recipient_count:,})"
    )
    print(f"worker peak RSS   {rss_mb:,.0f} MB")
    if not (notifications == emails == members == event.recipient_count):
        raise SystemExit("WRONG: every member must have exactly one notification and one email")


if __name__ == "__main__":
    main()
