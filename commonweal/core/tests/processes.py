"""Real processes against the test database, for the fault tests (PostgreSQL)."""

import os
import signal
import subprocess
import sys
import time
from collections.abc import Callable
from pathlib import Path

import psycopg
from django.db import connection

ROOT = Path(__file__).resolve().parents[3]


def database_url() -> str:
    """The test database, for a child process to use."""
    db = connection.settings_dict
    return f"postgres://{db['USER']}:{db['PASSWORD'] or ''}@{db['HOST']}:{db['PORT']}/{db['NAME']}"


def side_connection(*, autocommit: bool = False) -> psycopg.Connection:
    """A second connection to the test database, outside Django's."""
    db = connection.settings_dict
    return psycopg.connect(
        host=db["HOST"] or "127.0.0.1",
        port=db["PORT"] or 5432,
        user=db["USER"],
        password=db["PASSWORD"] or None,
        dbname=db["NAME"],
        autocommit=autocommit,
    )


def start_worker(*, settings_module: str = "commonweal.config.settings") -> subprocess.Popen:
    """A real `manage.py db_worker` on every queue, polling often."""
    return subprocess.Popen(
        [
            sys.executable,
            "manage.py",
            "db_worker",
            "--queue-name",
            "*",
            "--no-reload",
            "--no-startup-delay",
            "--interval",
            "0.2",
        ],
        cwd=ROOT,
        env={
            **os.environ,
            "DATABASE_URL": database_url(),
            "DJANGO_SETTINGS_MODULE": settings_module,
        },
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
    )


def wait_for(condition: Callable[[], bool], timeout: float = 900) -> bool:
    """Poll until true; generous, because a loaded CI machine is slow (this is not a timing)."""
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if condition():
            return True
        time.sleep(0.05)
    return False


def waits_on_lock(watcher: psycopg.Connection, statement: str) -> bool:
    """Whether some backend is blocked on a lock while running a statement starting so."""
    row = watcher.execute(
        "SELECT count(*) FROM pg_stat_activity WHERE wait_event_type = 'Lock' AND query LIKE %s",
        [statement.replace("%", r"\%") + "%"],
    ).fetchone()
    return bool(row and row[0])


def kill_when_blocked(
    worker: subprocess.Popen,
    *,
    locker: psycopg.Connection,
    watcher: psycopg.Connection,
    statement: str,
) -> None:
    """SIGKILL the worker once its transaction waits on the lock `locker` holds, then let go.

    The dead worker's transaction is rolled back by PostgreSQL; we wait until it is gone.
    """
    try:
        assert wait_for(lambda: waits_on_lock(watcher, statement)), f"never reached {statement}"
        worker.send_signal(signal.SIGKILL)
        worker.wait(timeout=10)
    finally:
        if worker.poll() is None:
            worker.kill()
        locker.rollback()
        locker.close()
    assert wait_for(lambda: not waits_on_lock(watcher, statement))
    watcher.close()


def many_members(units: list, count: int, domain: str) -> None:
    """`count` members spread over the units, in one bulk insert (no factories: it is fast)."""
    from commonweal.members.models import Member

    Member.objects.bulk_create(
        [
            Member(
                email=f"m{i}@{domain}",
                full_name=f"Member {i}",
                unit=units[i % len(units)],
                status=Member.Status.MEMBER,
                password="!",
            )
            for i in range(count)
        ],
        batch_size=5000,
    )
