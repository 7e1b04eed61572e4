"""`manage.py restore DIR --yes`: replace the database and media with a backup.

Destructive, so it asks for `--yes`. SQLite is written back through the online backup
API (other connections wait rather than read half a copy); PostgreSQL through
`pg_restore --clean --if-exists --single-transaction`, so a failed restore leaves the
database as it was. Media are unpacked beside MEDIA_ROOT and swapped in whole. The
record's hash chain is checked at the end.
"""

import json
import shutil
import sqlite3
import tarfile
import tempfile
from pathlib import Path

from django.conf import settings
from django.core.management.base import BaseCommand, CommandError
from django.db import connection, connections

from commonweal.record.selectors import record_verify

from .backup import MANIFEST, pg_connection_args, run_tool


def restore_media(archive: Path, media: Path) -> None:
    media.parent.mkdir(parents=True, exist_ok=True)
    staging = Path(tempfile.mkdtemp(prefix=".media-restore-", dir=media.parent))
    with tarfile.open(archive, "r:gz") as tar:
        tar.extractall(staging, filter="data")
    if media.exists():
        shutil.rmtree(media)
    staging.rename(media)


class Command(BaseCommand):
    help = "Replace the database and uploaded media with a backup made by `manage.py backup`."

    def add_arguments(self, parser):
        parser.add_argument("path", type=Path, help="a directory written by `manage.py backup`")
        parser.add_argument(
            "--yes", action="store_true", help="confirm that the current data is to be replaced"
        )

    def handle(self, *args, path: Path, yes: bool, **options):
        try:
            manifest = json.loads((path / MANIFEST).read_text())
        except (OSError, ValueError) as exc:
            raise CommandError(f"{path} is not a backup made by `manage.py backup`: {exc}") from exc
        if manifest["engine"] != connection.vendor:
            raise CommandError(
                f"This backup is of a {manifest['engine']} database; "
                f"the configured one is {connection.vendor}."
            )
        name = connection.settings_dict["NAME"]
        if not yes:
            raise CommandError(
                f"This replaces everything in the database {name} and in {settings.MEDIA_ROOT} "
                f"with the backup taken at {manifest['taken_at']}. Run again with --yes."
            )
        database = path / manifest["database"]
        connections.close_all()
        if connection.vendor == "sqlite":
            connection.ensure_connection()
            source = sqlite3.connect(database)
            try:
                source.backup(connection.connection)
            finally:
                source.close()
        else:
            conn_args, env = pg_connection_args(connection.settings_dict)
            run_tool(
                [
                    "pg_restore",
                    "--clean",
                    "--if-exists",
                    "--no-owner",
                    "--no-privileges",
                    "--single-transaction",
                    "--exit-on-error",
                    *conn_args,
                    str(database),
                ],
                env,
            )
        restore_media(path / manifest["media"], Path(settings.MEDIA_ROOT))
        result = record_verify()
        if not result.ok:
            raise CommandError(
                f"Restored, but the record is broken at entry {result.broken_at}: {result.problem}"
            )
        self.stdout.write(
            f"Restored {name} from {path}; record intact ({result.checked} entries verified)."
        )
