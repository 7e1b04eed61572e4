"""`manage.py backup DIR`: the database and uploaded media, safe while the platform runs.

SQLite is copied with its online backup API (a consistent snapshot while writers go on);
PostgreSQL with `pg_dump --format=custom`, connection details from the database settings
and the password through PGPASSWORD, never on the command line. The media tar is taken
after the database, so every file the database names is in it. `manifest.json` says what
the directory holds; `manage.py restore DIR --yes` puts it back.
"""

import json
import os
import sqlite3
import subprocess
import tarfile
from pathlib import Path
from typing import Any

from django.conf import settings
from django.core.management.base import BaseCommand, CommandError
from django.db import connection
from django.utils import timezone

from commonweal.record.models import Entry

MANIFEST = "manifest.json"
SQLITE_FILE = "database.sqlite3"
PG_FILE = "database.pgdump"
MEDIA_FILE = "media.tar.gz"


def pg_connection_args(settings_dict: dict[str, Any]) -> tuple[list[str], dict[str, str]]:
    """Arguments naming the database for pg_dump/pg_restore, and their environment."""
    args = []
    for flag, key in (("--host", "HOST"), ("--port", "PORT"), ("--username", "USER")):
        if settings_dict.get(key):
            args += [flag, str(settings_dict[key])]
    args += ["--dbname", settings_dict["NAME"]]
    env = dict(os.environ)
    if settings_dict.get("PASSWORD"):
        env["PGPASSWORD"] = settings_dict["PASSWORD"]
    return args, env


def run_tool(command: list[str], env: dict[str, str]) -> None:
    result = subprocess.run(command, env=env, capture_output=True, text=True, check=False)
    if result.returncode != 0:
        raise CommandError(f"{command[0]} failed: {result.stderr.strip()}")


class Command(BaseCommand):
    help = "Back up the database and uploaded media into a new directory (safe while running)."

    def add_arguments(self, parser):
        parser.add_argument("path", type=Path, help="a directory that does not exist yet")

    def handle(self, *args, path: Path, **options):
        if path.exists() and any(path.iterdir()):
            raise CommandError(f"{path} already holds files; back up into a new directory.")
        path.mkdir(parents=True, exist_ok=True)
        vendor = connection.vendor
        if vendor == "sqlite":
            database = SQLITE_FILE
            connection.ensure_connection()
            target = sqlite3.connect(path / SQLITE_FILE)
            try:
                connection.connection.backup(target)
            finally:
                target.close()
        elif vendor == "postgresql":
            database = PG_FILE
            conn_args, env = pg_connection_args(connection.settings_dict)
            run_tool(["pg_dump", "--format=custom", "--file", str(path / PG_FILE), *conn_args], env)
        else:
            raise CommandError(f"Backups of {vendor} databases are not supported.")
        media = Path(settings.MEDIA_ROOT)
        with tarfile.open(path / MEDIA_FILE, "w:gz") as tar:
            if media.is_dir():
                for child in sorted(media.iterdir()):
                    tar.add(child, arcname=child.name)
        manifest = {
            "engine": vendor,
            "database": database,
            "media": MEDIA_FILE,
            "taken_at": timezone.now().isoformat(),
            "record_entries": Entry.objects.count(),
        }
        (path / MANIFEST).write_text(json.dumps(manifest, indent=2) + "\n")
        self.stdout.write(
            f"Backed up the {vendor} database ({manifest['record_entries']} record entries) "
            f"and media into {path}."
        )
