"""Appends per second to the record with concurrent writers on PostgreSQL, then sealing.

Usage: .venv/bin/python bench/bench_record.py [--database-url URL] [--writers 1 4 16]
                                             [--seconds 10]

Into a scratch database (created and migrated if needed; default `commonweal_bench`, or
BENCH_DATABASE_URL): for each writer count, that many processes each call `record_append`
in its own transaction, as a support or a vote does, for the given time. Then the sealer
links everything pending into the hash chain and the chain is verified. Prints appends/s,
entries sealed/s and entries verified/s. The scratch database keeps its entries between
runs; drop it to start afresh.
"""

from __future__ import annotations

import argparse
import multiprocessing
import os
import sys
import tempfile
import time
from pathlib import Path
from urllib.parse import urlparse

ROOT = Path(__file__).resolve().parent.parent
DEFAULT_URL = "postgres://postgres@127.0.0.1:5432/commonweal_bench"


def ensure_database(url: str) -> None:
    import psycopg

    parsed = urlparse(url)
    name = parsed.path.lstrip("/")
    server = parsed._replace(scheme="postgresql", path="/postgres").geturl()
    with psycopg.connect(server, autocommit=True) as admin:
        if not admin.execute("SELECT 1 FROM pg_database WHERE datname = %s", [name]).fetchone():
            admin.execute(f'CREATE DATABASE "{name}"')


def setup_django(url: str) -> None:
    os.environ["DATABASE_URL"] = url
    os.environ.setdefault("COMMONWEAL_DATA_DIR", tempfile.mkdtemp(prefix="bench-record-"))
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "commonweal.config.settings")
    sys.path.insert(0, str(ROOT))
    import django

    django.setup()


def writer(worker: int, deadline: float, start, out) -> None:
    from django.db import connection, transaction

    from commonweal.record.services import record_append

    connection.ensure_connection()
    start.wait()
    done = 0
    while time.time() < deadline:
        with transaction.atomic():
            record_append(
                kind="bench.append", subject=f"bench:{worker}", payload={"n": done, "w": worker}
            )
        done += 1
    connection.close()
    out.put(done)


def appends(writers: int, seconds: float) -> tuple[int, float]:
    from django.db import connections

    connections.close_all()
    ctx = multiprocessing.get_context("fork")
    start, out = ctx.Event(), ctx.Queue()
    begin = time.time() + 1.0
    procs = [
        ctx.Process(target=writer, args=(w, begin + seconds, start, out)) for w in range(writers)
    ]
    for proc in procs:
        proc.start()
    time.sleep(max(0.0, begin - time.time()))
    start.set()
    total = sum(out.get() for _ in procs)
    for proc in procs:
        proc.join()
    return total, seconds


def timed(fn):
    started = time.perf_counter()
    value = fn()
    return value, time.perf_counter() - started


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--database-url", default=os.environ.get("BENCH_DATABASE_URL", DEFAULT_URL))
    parser.add_argument("--writers", type=int, nargs="+", default=[1, 4, 16])
    parser.add_argument("--seconds", type=float, default=10.0)
    args = parser.parse_args()
    if not args.database_url.startswith(("postgres://", "postgresql://")):
        parser.error("the record benchmark runs on PostgreSQL")

    ensure_database(args.database_url)
    setup_django(args.database_url)
    from django.core.management import call_command

    from commonweal.record.selectors import record_verify
    from commonweal.record.services import record_seal

    call_command("migrate", verbosity=0)
    record_seal()
    print(f"database {urlparse(args.database_url).path.lstrip('/')}, {os.cpu_count()} cores")
    print(f"{'writers':>7}  {'appends':>9}  {'appends/s':>10}  {'sealed/s':>10}  {'seal s':>7}")
    for writers in args.writers:
        total, seconds = appends(writers, args.seconds)
        sealed, seal_time = timed(record_seal)
        print(
            f"{writers:>7}  {total:>9,}  {total / seconds:>10,.0f}  "
            f"{sealed / seal_time:>10,.0f}  {seal_time:>7.2f}"
        )
    result, verify_time = timed(record_verify)
    status = "intact" if result.ok else f"BROKEN at {result.broken_at}: {result.problem}"
    print(
        f"verify: {result.checked:,} entries in {verify_time:.2f} s "
        f"({result.checked / verify_time:,.0f}/s), chain {status}"
    )
    if not result.ok:
        sys.exit(1)


if __name__ == "__main__":
    main()
