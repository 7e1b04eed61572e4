"""The web server killed and restarted while members cast secret ballots through the API.

Real gunicorn processes on the test database, serving the WSGI application (every cast
through Django's request cycle) or the ASGI one with uvicorn workers (casts batched by the
ballot box, `commonweal.voting.ballot_box`). Clients keep casting; halfway the whole
server is killed (SIGKILL, no graceful shutdown) and a new one started. A client whose
request got no answer retries it with the same idempotency key, as the API documents.
Afterwards every acknowledged ballot is counted exactly once and nobody has two.

The servers share Redis, as production's do (docs/deployment.md): a retry of a secret cast
is answered from the cache, which outlives a web server (docs/secret-ballots.md, Retries).
"""

import contextlib
import json
import os
import queue
import secrets
import signal
import socket
import subprocess
import sys
import threading
import time
import urllib.error
import urllib.request
from datetime import timedelta
from pathlib import Path

import pytest
from django.db import connection

from commonweal.core import clock
from commonweal.core.tests.processes import ROOT, database_url
from commonweal.members.services import api_token_create
from commonweal.organisation.selectors import assembly_of
from commonweal.voting import services as voting
from commonweal.voting.models import SecretBallot, VoterRoll
from commonweal.voting.selectors import receipt_hash

VOTERS = 120
CLIENTS = 6


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


SERVERS = {
    "wsgi": ["commonweal.config.wsgi"],
    "asgi": ["commonweal.config.asgi:application", "--worker-class=uvicorn.workers.UvicornWorker"],
}


REDIS = "redis://127.0.0.1:6379/11"


def start_server(port: int, kind: str) -> subprocess.Popen:
    env = {
        **os.environ,
        "DATABASE_URL": database_url(),
        "REDIS_URL": REDIS,
        "DJANGO_SETTINGS_MODULE": "commonweal.config.settings",
        "DEBUG": "1",
    }
    server = subprocess.Popen(
        [
            str(Path(sys.executable).with_name("gunicorn")),
            *SERVERS[kind],
            f"--bind=127.0.0.1:{port}",
            "--workers=2",
            "--log-level=critical",
        ],
        cwd=ROOT,
        env=env,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
        start_new_session=True,
    )
    deadline = time.monotonic() + 120
    while time.monotonic() < deadline:
        try:
            socket.create_connection(("127.0.0.1", port), timeout=1).close()
            return server
        except OSError:
            time.sleep(0.2)
    kill(server)
    raise AssertionError("gunicorn did not start")


def kill(server: subprocess.Popen) -> None:
    """SIGKILL the master and its workers at once: a crash, not a graceful restart."""
    with contextlib.suppress(ProcessLookupError):
        os.killpg(server.pid, signal.SIGKILL)
    server.wait(timeout=30)


def cast_until_acknowledged(url: str, token: str, acknowledged: dict, retries: list) -> None:
    """One member's ballot, retried with the same key until the server answers it."""
    body = json.dumps({"ranking": ["yes"], "idempotency_key": secrets.token_urlsafe(24)})
    for attempt in range(600):
        request = urllib.request.Request(  # noqa: S310 - our own http:// test server
            url,
            data=body.encode(),
            headers={"Authorization": f"Token {token}", "Content-Type": "application/json"},
            method="POST",
        )
        try:
            with urllib.request.urlopen(request, timeout=30) as response:  # noqa: S310
                acknowledged[token] = json.loads(response.read())["receipt"]
                if attempt:
                    retries.append(token)
                return
        except urllib.error.HTTPError as error:
            if error.code < 500:
                raise AssertionError(f"ballot refused: {error.code} {error.read()!r}") from None
        except OSError:
            pass
        time.sleep(0.1)
    raise AssertionError("a ballot was never acknowledged")


@pytest.mark.postgres
@pytest.mark.django_db(transaction=True)
@pytest.mark.parametrize("server_kind", sorted(SERVERS))
def test_every_acknowledged_ballot_counts_once_across_a_killed_web_server(
    org, make_member, server_kind
):
    if connection.vendor != "postgresql":
        pytest.skip("needs PostgreSQL and real server processes")
    redis = pytest.importorskip("redis")
    try:
        redis.Redis.from_url(REDIS, socket_connect_timeout=1).ping()
    except redis.exceptions.ConnectionError:
        pytest.skip(f"needs Redis at {REDIS}, shared by the servers as in production")
    tokens = []
    for i in range(VOTERS):
        member = make_member(unit=(org.leeds, org.york, org.brighton)[i % 3])
        tokens.append(api_token_create(member=member, name="restart test", scope="write")[1])
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
    port = free_port()
    url = f"http://127.0.0.1:{port}/api/votes/{vote.pk}/cast"
    waiting: queue.Queue[str] = queue.Queue()
    for token in tokens:
        waiting.put(token)
    acknowledged: dict[str, str] = {}
    retries: list[str] = []
    failures: list[BaseException] = []

    def client() -> None:
        while True:
            try:
                token = waiting.get_nowait()
            except queue.Empty:
                return
            try:
                cast_until_acknowledged(url, token, acknowledged, retries)
            except BaseException as error:
                failures.append(error)

    server = start_server(port, server_kind)
    threads = [threading.Thread(target=client) for _ in range(CLIENTS)]
    try:
        for thread in threads:
            thread.start()
        deadline = time.monotonic() + 300
        while len(acknowledged) < VOTERS // 3 and time.monotonic() < deadline:
            time.sleep(0.01)
        assert len(acknowledged) < VOTERS, "every ballot was cast before the crash"
        kill(server)
        server = start_server(port, server_kind)
        for thread in threads:
            thread.join(timeout=600)
    finally:
        kill(server)

    assert not failures, failures
    assert len(acknowledged) == VOTERS
    assert retries, "no request was caught by the crash"
    stored = set(SecretBallot.objects.filter(vote=vote).values_list("receipt_hash", flat=True))
    assert SecretBallot.objects.filter(vote=vote).count() == VOTERS
    assert VoterRoll.objects.filter(vote=vote).count() == VOTERS
    assert {receipt_hash(r) for r in acknowledged.values()} == stored
