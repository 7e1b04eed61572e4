"""The demo organisation's shared context and the order its parts are loaded in.

Each app that has demo content offers `load(ctx)` in its `demo.py`; later apps
use what earlier ones put on the context (units, bodies, named members).
"""

import importlib
import random
import sys
import time
from dataclasses import dataclass, field
from typing import Any

DEMO_PASSWORD = "commonweal-demo"  # noqa: S105 - printed for people trying the demo
DEMO_APPS = [
    "organisation",
    "members",
    "decisions",
    "meetings",
    "voting",
    "policy",
    "discussion",
    "notifications",
    "news",
    "library",
    "website",
    "training",
    "alliances",
    "interventions",
    "development",
    "mobilisation",
    "search",
]


@dataclass
class DemoContext:
    seed: int
    members: int
    rng: random.Random
    out: Any = sys.stdout
    units: dict[str, Any] = field(default_factory=dict)
    bodies: dict[str, Any] = field(default_factory=dict)
    people: dict[str, Any] = field(default_factory=dict)
    logins: list[tuple[str, str]] = field(default_factory=list)

    def say(self, message: str) -> None:
        self.out.write(message + "\n")
        self.out.flush()

    def progress(self, label: str, done: int, total: int, started: float) -> None:
        """A one-line progress bar that rewrites itself."""
        width = 30
        filled = int(width * done / max(total, 1))
        rate = done / max(time.monotonic() - started, 1e-6)
        end = "\n" if done >= total else ""
        self.out.write(
            f"\r  {label} [{'#' * filled}{'.' * (width - filled)}] "
            f"{done:,}/{total:,} ({rate:,.0f}/s){end}"
        )
        self.out.flush()


def demo_modules() -> list[Any]:
    modules = []
    for app in DEMO_APPS:
        try:
            modules.append(importlib.import_module(f"commonweal.{app}.demo"))
        except ModuleNotFoundError as exc:
            if exc.name != f"commonweal.{app}.demo" and exc.name != f"commonweal.{app}":
                raise
    return modules
