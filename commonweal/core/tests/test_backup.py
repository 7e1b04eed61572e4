"""Backups round-trip an organisation: units, bodies, members, the record and media."""

import os
import sqlite3
import subprocess
import sys
from pathlib import Path

import pytest
from django.conf import settings as django_settings
from django.core.management import call_command
from django.core.management.base import CommandError
from django.db import connection

from commonweal.members.models import Member
from commonweal.organisation.models import Body, Unit
from commonweal.record.models import Entry
from commonweal.record.selectors import record_verify
from commonweal.record.services import record_append, record_seal

ROOT = Path(django_settings.BASE_DIR)
TABLES = {
    "units": Unit._meta.db_table,
    "bodies": Body._meta.db_table,
    "members": Member._meta.db_table,
    "record entries": Entry._meta.db_table,
}


def counts() -> dict[str, int]:
    with connection.cursor() as cursor:
        return {
            label: cursor.execute(f"SELECT COUNT(*) FROM {table}").fetchone()[0]  # noqa: S608
            for label, table in TABLES.items()
        }


@pytest.fixture
def organisation(org, make_member, settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path / "media"
    (settings.MEDIA_ROOT / "library").mkdir(parents=True)
    (settings.MEDIA_ROOT / "library" / "minutes.txt").write_text("Minutes of the AGM")
    for unit in (org.leeds, org.york, org.brighton):
        make_member(unit=unit)
    record_append(kind="test.backup", subject=org.nation, payload={"note": "before"})
    record_seal()
    return org


@pytest.mark.django_db(transaction=True)
def test_restore_needs_confirmation_then_brings_back_the_backed_up_state(
    organisation, make_member, settings, tmp_path
):
    if connection.vendor != "sqlite":
        pytest.skip("the SQLite online backup; PostgreSQL has its own test")
    before = counts()
    backup = tmp_path / "backup"
    call_command("backup", str(backup))
    assert sorted(p.name for p in backup.iterdir()) == [
        "database.sqlite3",
        "manifest.json",
        "media.tar.gz",
    ]

    # What happens after the backup is gone again once it is restored.
    make_member(unit=organisation.leeds)
    record_append(kind="test.backup", subject=organisation.nation, payload={"note": "after"})
    record_seal()
    (settings.MEDIA_ROOT / "late.txt").write_text("uploaded after the backup")
    changed = counts()
    assert changed != before

    with pytest.raises(CommandError, match="Run again with --yes"):
        call_command("restore", str(backup))
    assert counts() == changed

    call_command("restore", str(backup), yes=True)
    assert counts() == before
    assert record_verify().ok
    assert not (settings.MEDIA_ROOT / "late.txt").exists()
    assert (settings.MEDIA_ROOT / "library" / "minutes.txt").read_text() == "Minutes of the AGM"

    # The backup file is a complete database on its own: a fresh process verifies it.
    standalone = tmp_path / "standalone.sqlite3"
    with sqlite3.connect(backup / "database.sqlite3") as src, sqlite3.connect(standalone) as dst:
        src.backup(dst)
    result = subprocess.run(
        [sys.executable, "manage.py", "verify_record"],
        cwd=ROOT,
        env={
            **os.environ,
            "DATABASE_URL": f"sqlite:///{standalone}",
            "COMMONWEAL_DATA_DIR": str(tmp_path),
        },
        capture_output=True,
        text=True,
        timeout=300,
    )
    assert result.returncode == 0, result.stderr
    assert f"Record intact: {before['record entries']} entries verified." in result.stdout


@pytest.mark.django_db
def test_backup_refuses_a_directory_that_holds_files_and_restore_a_non_backup(tmp_path):
    (tmp_path / "old.txt").write_text("keep me")
    with pytest.raises(CommandError, match="already holds files"):
        call_command("backup", str(tmp_path))
    assert (tmp_path / "old.txt").read_text() == "keep me"
    with pytest.raises(CommandError, match="not a backup"):
        call_command("restore", str(tmp_path), yes=True)


@pytest.mark.postgres
@pytest.mark.django_db(transaction=True)
def test_postgres_backup_restores_into_a_fresh_database(organisation, tmp_path):
    if connection.vendor != "postgresql":
        pytest.skip("needs PostgreSQL")
    import psycopg

    before = counts()
    backup = tmp_path / "backup"
    call_command("backup", str(backup))
    assert (backup / "database.pgdump").stat().st_size > 0

    db = connection.settings_dict
    scratch = f"{db['NAME']}_restored"
    server = f"postgresql://{db['USER']}@{db['HOST'] or '127.0.0.1'}:{db['PORT'] or 5432}"
    with psycopg.connect(f"{server}/postgres", autocommit=True) as admin:
        admin.execute(f'DROP DATABASE IF EXISTS "{scratch}" WITH (FORCE)')
        admin.execute(f'CREATE DATABASE "{scratch}"')
    try:
        result = subprocess.run(
            [sys.executable, "manage.py", "restore", str(backup), "--yes"],
            cwd=ROOT,
            env={
                **os.environ,
                "DATABASE_URL": f"{server}/{scratch}".replace("postgresql://", "postgres://"),
                "COMMONWEAL_DATA_DIR": str(tmp_path / "restored"),
            },
            capture_output=True,
            text=True,
            timeout=300,
        )
        assert result.returncode == 0, result.stderr
        assert f"record intact ({before['record entries']} entries verified)" in result.stdout
        with psycopg.connect(f"{server}/{scratch}") as restored:
            after = {
                label: restored.execute(f"SELECT COUNT(*) FROM {table}").fetchone()[0]  # noqa: S608
                for label, table in TABLES.items()
            }
        assert after == before
        minutes = tmp_path / "restored" / "media" / "library" / "minutes.txt"
        assert minutes.read_text() == "Minutes of the AGM"
    finally:
        with psycopg.connect(f"{server}/postgres", autocommit=True) as admin:
            admin.execute(f'DROP DATABASE IF EXISTS "{scratch}" WITH (FORCE)')
