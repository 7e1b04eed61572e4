"""Production static files: hashed names to cache for a year, and gzip made at collectstatic."""

import gzip
import json
import os
import re
import secrets
import subprocess
import sys
from pathlib import Path

from django.conf import settings

ROOT = Path(settings.BASE_DIR)

COLLECT_AND_NAME = """
import django
django.setup()
from django.core.management import call_command
from django.templatetags.static import static
call_command("collectstatic", interactive=False, verbosity=0)
print(static("core/commonweal.css"))
print(static("django_htmx/htmx-2.min.js"))
"""


def test_production_collects_hashed_names_with_gzip_beside_them(tmp_path):
    env = {k: v for k, v in os.environ.items() if k != "DJANGO_ALLOW_ASYNC_UNSAFE"}
    env |= {
        "DEBUG": "0",
        "SECRET_KEY": secrets.token_urlsafe(60),
        "COMMONWEAL_DATA_DIR": str(tmp_path),
        "DATABASE_URL": f"sqlite:///{tmp_path / 'unused.sqlite3'}",
        "DJANGO_SETTINGS_MODULE": "commonweal.config.settings",
    }
    result = subprocess.run(
        [sys.executable, "-c", COLLECT_AND_NAME],
        cwd=ROOT,
        env=env,
        capture_output=True,
        text=True,
        timeout=300,
    )
    assert result.returncode == 0, result.stderr
    css_url, htmx_url = result.stdout.split()
    # Pages name the hashed file, which changes name whenever its content changes.
    assert re.fullmatch(r"/static/core/commonweal\.[0-9a-f]{12}\.css", css_url)
    assert re.fullmatch(r"/static/django_htmx/htmx-2\.min\.[0-9a-f]{12}\.js", htmx_url)
    static_root = tmp_path / "static"
    manifest = json.loads((static_root / "staticfiles.json").read_text())
    assert manifest["paths"]["core/commonweal.css"] == css_url.removeprefix("/static/")
    for url in (css_url, htmx_url):
        served = static_root / url.removeprefix("/static/")
        packed = served.with_name(served.name + ".gz").read_bytes()
        assert gzip.decompress(packed) == served.read_bytes()
        assert len(packed) < served.stat().st_size / 2
    # The stylesheet in the hashed file is the one in the source tree.
    source = ROOT / "commonweal/core/static/core/commonweal.css"
    assert (static_root / css_url.removeprefix("/static/")).read_bytes() == source.read_bytes()
