"""Static files for production: names that change with their content, and gzip beside them.

A hashed name (`commonweal.3f2a9c81d0e4.css`) never changes content, so browsers may keep it
for a year; a new release's file has a new name. Each text file also gets a `.gz` beside it,
made once at `collectstatic`, which nginx's `gzip_static` sends as it is
(docs/deployment.md): no compression work per request.
"""

import gzip
from pathlib import PurePosixPath

from django.contrib.staticfiles.storage import ManifestStaticFilesStorage
from django.core.files.base import ContentFile

COMPRESSIBLE = {".css", ".js", ".mjs", ".map", ".svg", ".json", ".txt", ".html", ".xml", ".ico"}


class CompressedManifestStaticFilesStorage(ManifestStaticFilesStorage):
    def post_process(self, paths, dry_run=False, **options):
        yield from super().post_process(paths, dry_run, **options)
        if dry_run:
            return
        for name in paths:
            hashed = self.hashed_files.get(self.hash_key(self.clean_name(name)))
            for stored in {name, hashed} - {None}:
                if PurePosixPath(stored).suffix.lower() in COMPRESSIBLE:
                    self._write_gzip(stored)

    def _write_gzip(self, name: str) -> None:
        """Write `name.gz` if smaller; mtime 0, so the same file always packs to the same bytes."""
        with self.open(name) as original:
            content = original.read()
        packed = gzip.compress(content, compresslevel=9, mtime=0)
        if len(packed) >= len(content):
            return
        if self.exists(f"{name}.gz"):
            self.delete(f"{name}.gz")
        self._save(f"{name}.gz", ContentFile(packed))
