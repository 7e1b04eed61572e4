"""Secret ballots cast through the HTTP API by concurrent clients against gunicorn on PostgreSQL.

Usage:
  BENCH_DATABASE_URL=postgres://postgres@127.0.0.1:5432/casting_bench \
    .venv/bin/python bench/bench_casting.py [--voters 20000] [--clients 64] [--server asgi]
                                            [--workers 1] [--threads 4] [--retry-share 0.02]

Recreates the scratch database (its name must end in `_bench`), migrates it, inserts the
voters with personal API tokens in set-based INSERTs, opens one secret yes/no/abstain vote
for the national electorate, then starts gunicorn as production runs it (uvicorn workers
serving the ASGI application with its ballot box; `--server wsgi` for gthread workers
serving every cast through Django's request cycle), DEBUG off, rate-limit counters in
Redis, one trusted proxy so each simulated voter has their own address, and
lets `--clients` asyncio connections cast one ballot per voter through
`POST /api/votes/{id}/cast` as fast as the server answers. A share of the voters repeats
their request with the same idempotency key, as a client that lost the answer would. The
requests are encoded before the clock starts and the client runs on uvloop, so that it
takes less of the cores the server needs; the server receives the same requests.

Prints ballots/s, p50/p95/p99 latency, the CPU seconds per 1,000 ballots of the web
processes, of this database's PostgreSQL backends and of the client (far less sensitive
to other load on the machine than ballots/s), the web workers' peak RSS, and then checks the
database: exactly one ballot and one roll entry per acknowledged voter, no ballot for
anyone else, and every retry answered with the same receipt. Exits non-zero if a ballot
was lost or counted twice.
"""

from __future__ import annotations

import argparse
import asyncio
import json
import os
import secrets
import signal
import socket
import subprocess
import sys
import threading
import time
from pathlib import Path
from urllib.parse import urlparse

import uvloop

sys.path.insert(0, str(Path(__file__).resolve().parent))
from scratch import (
    ROOT,
    cpu_seconds,
    peak_rss_kib,
    processes_titled,
    recreate_database,
    scratch_url,
)

PORT = 8765


def build(voters: int) -> tuple[int, list[str]]:
    """The electorate, their tokens and an open secret vote; returns (vote id, tokens)."""
    from datetime import timedelta

    from django.db import connection

    from commonweal.core import clock
    from commonweal.members.selectors import token_hash
    from commonweal.organisation.models import Unit
    from commonweal.organisation.selectors import assembly_of
    from commonweal.organisation.services import unit_create
    from commonweal.voting import services as voting

    nation = unit_create(name="Nation", kind=Unit.Kind.NATIONAL)
    branch = unit_create(name="Branch", kind=Unit.Kind.BRANCH, parent=nation)
    tokens = [f"bench-{i}-{secrets.token_hex(8)}" for i in range(voters)]
    with connection.cursor() as cursor:
        cursor.execute(
            """
            INSERT INTO members_member (password, is_superuser, email, full_name, unit_id,
                status, status_reason, joined_at, capacities, skills, interests, tags_for_officers,
                visibility, show_email, locale, is_staff, is_active, date_joined)
            SELECT '!', false, 'v' || i || '@bench.test', 'Voter ' || i, %s, 'member', '',
                now(), '[]', '[]', '[]', '[]', 'unit', false, 'en', false, true, now()
            FROM generate_series(0, %s - 1) AS i
            """,
            [branch.pk, voters],
        )
        cursor.execute(
            """
            INSERT INTO members_apitoken (member_id, name, key_hash, prefix, scope, created_at,
                expires_at)
            SELECT m.id, 'bench', h.hash, left(h.hash, 8), 'write', now(), now() + interval '1 day'
            FROM unnest(%s::text[]) WITH ORDINALITY AS h(hash, n)
            JOIN members_member m ON m.email = 'v' || (h.n - 1) || '@bench.test'
            """,
            [[token_hash(t) for t in tokens]],
        )
        cursor.execute("ANALYZE")
    vote = voting.vote_create(
        title="Casting benchmark",
        body=assembly_of(nation),
        method="majority",
        secret=True,
        electorate=nation,
        closes_at=clock.now() + timedelta(hours=2),
        created_by=None,
    )
    voting.vote_open(vote=vote, opened_by=None)
    return vote.pk, tokens


def server_command(server: str, workers: int, threads: int) -> list[str]:
    """gunicorn as docs/deployment.md runs it: uvicorn workers serving the ASGI application,
    whose ballot box batches the casts ("asgi"), or gthread workers serving the WSGI one,
    where every cast goes through Django's request cycle ("wsgi")."""
    common = [
        str(Path(sys.executable).with_name("gunicorn")),
        f"--bind=127.0.0.1:{PORT}",
        f"--workers={workers}",
        "--keep-alive=30",
        "--log-level=warning",
    ]
    if server == "asgi":
        return [
            *common,
            "commonweal.config.asgi:application",
            "--worker-class=uvicorn.workers.UvicornWorker",
        ]
    return [*common, "commonweal.config.wsgi", "--worker-class=gthread", f"--threads={threads}"]


def start_server(url: str, server_kind: str, workers: int, threads: int) -> subprocess.Popen:
    env = {
        **os.environ,
        "DATABASE_URL": url,
        "DEBUG": "0",
        "SECRET_KEY": "casting-benchmark-" + secrets.token_hex(16),
        "ALLOWED_HOSTS": "127.0.0.1",
        "REDIS_URL": "redis://127.0.0.1:6379/14",
        "TRUSTED_PROXY_COUNT": "1",
        "DJANGO_SETTINGS_MODULE": "commonweal.config.settings",
    }
    server = subprocess.Popen(
        server_command(server_kind, workers, threads),
        cwd=ROOT,
        env=env,
    )
    deadline = time.time() + 60
    while time.time() < deadline:
        try:
            socket.create_connection(("127.0.0.1", PORT), timeout=1).close()
            return server
        except OSError:
            time.sleep(0.3)
    server.kill()
    raise SystemExit("the server did not start within 60 s")


def wait_until_serving() -> None:
    """Wait for a web worker to answer (gunicorn listens before its workers have booted),
    so that booting is not counted in the casting's CPU."""
    deadline = time.time() + 60
    while time.time() < deadline:
        try:
            with socket.create_connection(("127.0.0.1", PORT), timeout=10) as conn:
                conn.sendall(b"GET /api/ HTTP/1.1\r\nHost: 127.0.0.1\r\nConnection: close\r\n\r\n")
                if conn.recv(16).startswith(b"HTTP/1.1"):
                    return
        except OSError:
            pass
        time.sleep(0.3)
    raise SystemExit("the web workers did not answer within 60 s")


class CpuMeter:
    """CPU seconds spent during the casting by each party: the web processes, this
    database's PostgreSQL backends, this client process, and (shared with whatever else
    runs on the machine) PostgreSQL's background processes and redis-server.

    Processes are polled every half second, so a backend that connects and goes away
    during the run is counted up to its last poll; those present at the start count only
    what they spend from then on. CPU time depends far less on other load than wall-clock
    time does."""

    def __init__(self, server_pid: int, database: str) -> None:
        task = Path(f"/proc/{server_pid}/task/{server_pid}/children")
        workers = [int(p) for p in task.read_text().split()] if task.exists() else []
        self.parties = {
            "web": lambda: [server_pid, *workers],
            "postgres": lambda: processes_titled("postgres: ", containing=f" {database} "),
            "postgres_shared": lambda: [
                pid
                for name in ("checkpointer", "background writer", "walwriter", "autovacuum")
                for pid in processes_titled("postgres: ", containing=name)
            ],
            "redis_shared": lambda: processes_titled("redis-server"),
        }
        self.first: dict[str, dict[int, float]] = {party: {} for party in self.parties}
        self.last: dict[str, dict[int, float]] = {party: {} for party in self.parties}
        self.stopping = threading.Event()
        self._poll(at_start=True)
        times = os.times()
        self.client_start = times.user + times.system
        self.poller = threading.Thread(target=self._run, daemon=True)
        self.poller.start()

    def _poll(self, *, at_start: bool = False) -> None:
        for party, pids in self.parties.items():
            for pid in pids():
                seconds = cpu_seconds(pid)
                if seconds is None:
                    continue
                # A process first seen during the run started during it: all its CPU counts.
                self.first[party].setdefault(pid, seconds if at_start else 0.0)
                self.last[party][pid] = seconds

    def _run(self) -> None:
        while not self.stopping.wait(0.5):
            self._poll()

    def stop(self) -> dict[str, float]:
        """CPU seconds per party since the start."""
        times = os.times()
        self.stopping.set()
        self.poller.join()
        self._poll()
        spent = {
            party: sum(self.last[party][pid] - first for pid, first in firsts.items())
            for party, firsts in self.first.items()
        }
        spent["client"] = times.user + times.system - self.client_start
        return spent


def requests_for(vote_id: int, tokens: list[str]) -> list[bytes]:
    """Each voter's request, encoded before the clock starts (a retry resends the same
    bytes, idempotency key included): the client's own work is kept off the two cores the
    server needs, and the server receives exactly what it did when the client made each
    request as it went."""
    requests = []
    for i, token in enumerate(tokens):
        body = json.dumps(
            {"ranking": ["yes"], "idempotency_key": secrets.token_urlsafe(24)}
        ).encode()
        requests.append(
            (
                f"POST /api/votes/{vote_id}/cast HTTP/1.1\r\nHost: 127.0.0.1\r\n"
                f"Content-Type: application/json\r\nContent-Length: {len(body)}\r\n"
                f"Authorization: Token {token}\r\n"
                f"X-Forwarded-For: 10.{i >> 16 & 255}.{i >> 8 & 255}.{i & 255}\r\n"
                "X-Forwarded-Proto: https\r\n\r\n"
            ).encode()
            + body
        )
    return requests


async def post(reader, writer, request: bytes) -> tuple[int, bytes, bool]:
    """Send one request and read its answer: (status, body, whether the server closes)."""
    writer.write(request)
    head = await reader.readuntil(b"\r\n\r\n")
    lower = head.lower()
    at = lower.find(b"\r\ncontent-length:")
    length = int(head[at + 17 : head.index(b"\r\n", at + 2)]) if at >= 0 else 0
    payload = await reader.readexactly(length)
    return int(head[9:12]), payload, b"\r\nconnection: close" in lower


async def cast_all(requests: list[bytes], clients: int, retry_share: float):
    queue: asyncio.Queue[int] = asyncio.Queue()
    for i in range(len(requests)):
        queue.put_nowait(i)
    latencies: list[float] = []
    receipts: dict[int, str] = {}
    retried: dict[int, str] = {}
    failures: dict[int, int] = {}
    retry_every = max(1, round(1 / retry_share)) if retry_share else 0

    async def client() -> None:
        reader = writer = None
        while not queue.empty():
            i = queue.get_nowait()
            attempts = 2 if retry_every and i % retry_every == 0 else 1
            for attempt in range(attempts):
                if writer is None:
                    reader, writer = await asyncio.open_connection("127.0.0.1", PORT)
                started = time.perf_counter()
                status, payload, closing = await post(reader, writer, requests[i])
                latencies.append(time.perf_counter() - started)
                if closing:
                    writer.close()
                    writer = None
                if status != 200:
                    failures[status] = failures.get(status, 0) + 1
                    break
                receipt = json.loads(payload)["receipt"]
                if attempt == 0:
                    receipts[i] = receipt
                else:
                    retried[i] = receipt
        if writer is not None:
            writer.close()

    started = time.perf_counter()
    await asyncio.gather(*(client() for _ in range(clients)))
    return time.perf_counter() - started, latencies, receipts, retried, failures


def percentile(values: list[float], share: float) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, int(share * len(ordered)))] if ordered else 0.0


def check(vote_id: int, receipts: dict[int, str], retried: dict[int, str]) -> list[str]:
    from commonweal.voting.models import SecretBallot, VoterRoll
    from commonweal.voting.selectors import receipt_hash

    problems = []
    ballots = SecretBallot.objects.filter(vote_id=vote_id).count()
    rolls = VoterRoll.objects.filter(vote_id=vote_id).count()
    stored = set(
        SecretBallot.objects.filter(vote_id=vote_id).values_list("receipt_hash", flat=True)
    )
    if ballots != len(receipts) or rolls != len(receipts):
        problems.append(f"{len(receipts)} acknowledged, {ballots} ballots, {rolls} roll entries")
    missing = sum(1 for r in receipts.values() if receipt_hash(r) not in stored)
    if missing:
        problems.append(f"{missing} acknowledged receipts have no ballot")
    changed = sum(1 for i, r in retried.items() if receipts.get(i) != r)
    if changed:
        problems.append(f"{changed} retries got a different receipt")
    return problems


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--voters", type=int, default=20000)
    parser.add_argument("--clients", type=int, default=64)
    parser.add_argument("--server", choices=["asgi", "wsgi"], default="asgi")
    # One web process did best on the two shared cores of BENCHMARKS.md; more only compete.
    parser.add_argument("--workers", type=int, default=1)
    parser.add_argument("--threads", type=int, default=4)
    parser.add_argument("--retry-share", type=float, default=0.02)
    args = parser.parse_args()
    url = scratch_url("casting_bench")

    recreate_database(url)
    import django

    django.setup()
    from django.core.management import call_command
    from django.db import connections

    call_command("migrate", verbosity=0)
    t0 = time.perf_counter()
    vote_id, tokens = build(args.voters)
    print(
        f"{args.voters:,} voters with tokens and an open secret vote "
        f"in {time.perf_counter() - t0:.1f} s"
    )
    connections.close_all()

    server = start_server(url, args.server, args.workers, args.threads)
    try:
        requests = requests_for(vote_id, tokens)
        wait_until_serving()
        load = os.getloadavg()[0]
        meter = CpuMeter(server.pid, urlparse(url).path.lstrip("/"))
        # The client on uvloop, as the server runs: it leaves more of the shared cores to
        # the server and changes nothing the server receives.
        seconds, latencies, receipts, retried, failures = uvloop.run(
            cast_all(requests, args.clients, args.retry_share)
        )
        cpu = meter.stop()
        rss = peak_rss_kib(server.pid, children=True)
    finally:
        server.send_signal(signal.SIGTERM)
        server.wait(timeout=30)

    print(
        f"{len(receipts):,} ballots (+{len(retried):,} retries) in {seconds:.1f} s: "
        f"{len(receipts) / seconds:,.0f} ballots/s, {len(latencies) / seconds:,.0f} requests/s; "
        f"{args.clients} clients, gunicorn {args.workers} "
        + (
            "uvicorn workers (ASGI, ballot box)"
            if args.server == "asgi"
            else f"gthread workers x {args.threads} threads (WSGI)"
        )
    )
    print(
        "latency ms: p50 {:.1f}, p95 {:.1f}, p99 {:.1f}".format(
            *(1000 * percentile(latencies, p) for p in (0.50, 0.95, 0.99))
        )
    )
    print(f"refused or failed: {failures or 'none'}")
    per = 1000 / max(1, len(receipts))
    print(
        f"CPU s per 1,000 ballots: web {cpu['web'] * per:.2f}, PostgreSQL backends "
        f"{cpu['postgres'] * per:.2f}, server alone {(cpu['web'] + cpu['postgres']) * per:.2f}; "
        f"client {cpu['client'] * per:.2f}; shared with the machine's other work: "
        f"PostgreSQL background {cpu['postgres_shared'] * per:.2f}, "
        f"redis-server {cpu['redis_shared'] * per:.2f} (load average {load:.1f} at the start)"
    )
    print("web workers' peak RSS: " + ", ".join(f"{kib / 1024:.0f} MB" for kib in rss))
    problems = check(vote_id, receipts, retried)
    if problems or failures:
        print("LOST OR DUPLICATED: " + "; ".join(problems) if problems else "")
        raise SystemExit(1)
    print("every acknowledged ballot stored exactly once; every retry got the same receipt")


if __name__ == "__main__":
    main()
