"""The production set-up is written down, and nothing the settings read is left out of it."""

import re
from pathlib import Path

from django.conf import settings

ROOT = Path(settings.BASE_DIR)
DOC = ROOT / "docs" / "deployment.md"


def test_every_environment_variable_the_settings_read_is_documented():
    source = (ROOT / "commonweal" / "config" / "settings.py").read_text()
    read = set(re.findall(r"""os\.environ\.get\(\s*["']([A-Z_]+)["']""", source))
    read |= set(re.findall(r"""env_\w+\(\s*["']([A-Z_]+)["']""", source))
    assert {"DATABASE_URL", "SECRET_KEY", "DEBUG", "ALLOWED_HOSTS"} <= read
    doc = DOC.read_text()
    assert sorted(name for name in read if f"`{name}`" not in doc) == []


def test_the_documented_set_up_is_postgresql_gunicorn_behind_tls_with_several_processes():
    doc = DOC.read_text().lower()
    for needle in (
        "postgresql",
        "gunicorn",
        "tls",
        "x-forwarded-proto",
        "db_worker",
        "check --deploy",
        "redis",
    ):
        assert needle in doc, needle
    assert re.search(r"--workers[ =]\d", doc), "the gunicorn command names its worker count"
