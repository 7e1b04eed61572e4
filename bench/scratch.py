"""What the benchmarks share: a scratch PostgreSQL database and reading processes' memory."""

from __future__ import annotations

import os
import sys
import tempfile
from pathlib import Path
from urllib.parse import urlparse

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))


def scratch_url(default_name: str) -> str:
    """The database to use (BENCH_DATABASE_URL or a default ``..._bench`` one), set for Django."""
    url = os.environ.get("BENCH_DATABASE_URL", f"postgres://postgres@127.0.0.1:5432/{default_name}")
    os.environ["DATABASE_URL"] = url
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "commonweal.config.settings")
    os.environ.setdefault("COMMONWEAL_DATA_DIR", tempfile.mkdtemp(prefix="bench-"))
    return url


def recreate_database(url: str) -> None:
    """Drop and create the scratch database; only names ending in _bench, never a real one."""
    import psycopg

    parsed = urlparse(url)
    name = parsed.path.lstrip("/")
    if not name.endswith("_bench"):
        raise SystemExit(f"refusing to drop {name!r}: the scratch database must end in _bench")
    admin = parsed._replace(scheme="postgresql", path="/postgres").geturl()
    with psycopg.connect(admin, autocommit=True) as conn:
        conn.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')
        conn.execute(f'CREATE DATABASE "{name}"')


def peak_rss_kib(pid: int, *, children: bool = False) -> list[int]:
    """Peak resident memory (VmHWM) of a process, or of each of its children (web workers)."""
    pids = [pid]
    if children:
        task = Path(f"/proc/{pid}/task/{pid}/children")
        pids = [int(p) for p in task.read_text().split()] if task.exists() else []
    peaks = []
    for each in pids:
        for line in Path(f"/proc/{each}/status").read_text().splitlines():
            if line.startswith("VmHWM:"):
                peaks.append(int(line.split()[1]))
    return peaks


CLOCK_TICKS = os.sysconf("SC_CLK_TCK")


def cpu_seconds(pid: int) -> float | None:
    """User + system CPU a process has used so far (all its threads), None once it is gone."""
    try:
        fields = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()
    except (OSError, IndexError):
        return None
    return (int(fields[11]) + int(fields[12])) / CLOCK_TICKS


def processes_titled(prefix: str, *, containing: str = "") -> list[int]:
    """Processes whose command line starts with prefix (and contains the other string):
    PostgreSQL sets each backend's title to "postgres: ... user database host(port) state"."""
    found = []
    for entry in Path("/proc").iterdir():
        if not entry.name.isdigit():
            continue
        try:
            title = (entry / "cmdline").read_bytes().replace(b"\0", b" ").decode(errors="replace")
        except OSError:
            continue
        if title.startswith(prefix) and containing in title:
            found.append(int(entry.name))
    return found
