"""docs/security.md is the index of the security regression suite: it names every
test_security_*.py file, and every test file it names exists."""

import re
from pathlib import Path

from django.conf import settings

ROOT = Path(settings.BASE_DIR)


def test_the_security_page_names_every_regression_file_and_only_files_that_exist():
    doc = (ROOT / "docs" / "security.md").read_text()
    named = set(re.findall(r"([a-z_]+/tests/test_[a-z_0-9]+\.py)", doc))
    assert sorted(p for p in named if not (ROOT / "commonweal" / p).exists()) == []
    suite = {
        str(p.relative_to(ROOT / "commonweal"))
        for p in (ROOT / "commonweal").glob("*/tests/test_security_*.py")
    }
    assert sorted(suite - named) == []
