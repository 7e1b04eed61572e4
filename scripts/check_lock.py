"""Refuse an install whose lock file does not cover pyproject.toml (run `make lock`).

A dependency added to pyproject.toml but not locked would not be installed by the hashed
install; this says so before anything is installed. Standard library only.
"""

import re
import sys
import tomllib
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent


def name(requirement: str) -> str:
    return re.split(r"[\s\[<>=!~;@]", requirement.strip(), maxsplit=1)[0].lower().replace("_", "-")


def main() -> int:
    project = tomllib.loads((ROOT / "pyproject.toml").read_text())["project"]
    wanted = {name(r) for r in project["dependencies"]}
    for extra in project.get("optional-dependencies", {}).values():
        wanted |= {name(r) for r in extra}
    locked = {
        name(line)
        for line in (ROOT / "requirements.lock").read_text().splitlines()
        if line and not line.startswith((" ", "#", "-"))
    }
    missing = sorted(wanted - locked)
    if missing:
        print(f"requirements.lock lacks {', '.join(missing)}: run `make lock`", file=sys.stderr)
        return 1
    return 0


if __name__ == "__main__":
    sys.exit(main())
