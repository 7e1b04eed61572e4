"""Lower apps never import higher ones: INSTALLED_APPS order is the layering.

Every module of every app is parsed (not imported), so an import inside a function counts as
much as one at the top. A higher app contributes to a lower one's page through a registry the
lower app owns (`members.needs`, `organisation.body_page`, `organisation.elections`,
`organisation.closing`, `organisation.candidacy`, `voting.agenda`, `decisions.ballots`,
`decisions.tendencies`, `meetings.hooks`, `alliances.organisation_page`). Tests are left out:
they build their data with any app's factories.
"""

import ast
from pathlib import Path

from django.conf import settings

ROOT = Path(__file__).resolve().parents[2]
APPS = [name.split(".")[1] for name in settings.INSTALLED_APPS if name.startswith("commonweal.")]

# (importing app, imported module prefix): why it cannot be moved yet. Keep this short.
ALLOWED = {
    **{
        (app, "commonweal.notifications.services"): (
            "notify() and member_reach() are how every step tells members; notifications "
            "sits late because its fan-out, preferences and pages read members and bodies"
        )
        for app in ("organisation", "decisions", "voting", "policy")
    },
    **{
        (app, "commonweal.notifications"): (
            "notify(), and the reminders' sweeps read who has been told already "
            "(notifications.selectors)"
        )
        for app in ("members", "meetings")
    },
    ("constitution", "commonweal.notifications.services"): "as above: notify()",
    ("discussion", "commonweal.notifications"): (
        "notify(), and replies.register(): a registry notifications owns for email replies"
    ),
    ("organisation", "commonweal.members"): (
        "a unit's members are Members (members.Member.unit is an organisation.Unit): the "
        "unit page and roster, the officers' selectors and closing a unit read them; the "
        "two apps stand together until the rosters move to members"
    ),
}


def imported_modules(tree: ast.AST):
    for node in ast.walk(tree):
        if isinstance(node, ast.Import):
            for alias in node.names:
                yield node.lineno, alias.name
        elif isinstance(node, ast.ImportFrom) and node.level == 0 and node.module:
            if node.module == "commonweal":
                for alias in node.names:
                    yield node.lineno, f"commonweal.{alias.name}"
            else:
                yield node.lineno, node.module


def upward_imports() -> list[str]:
    rank = {app: i for i, app in enumerate(APPS)}
    found = []
    for app in APPS:
        for path in sorted((ROOT / app).rglob("*.py")):
            if "tests" in path.relative_to(ROOT / app).parts:
                continue
            for line, module in imported_modules(ast.parse(path.read_text(), str(path))):
                parts = module.split(".")
                if parts[0] != "commonweal" or len(parts) < 2 or parts[1] not in rank:
                    continue
                if rank[parts[1]] <= rank[app]:
                    continue
                if any(
                    importer == app and (module == prefix or module.startswith(prefix + "."))
                    for importer, prefix in ALLOWED
                ):
                    continue
                found.append(f"{path.relative_to(ROOT.parent)}:{line} imports {module}")
    return found


def test_no_app_imports_an_app_above_it():
    assert upward_imports() == []


def test_the_check_finds_an_import_inside_a_function():
    """The walk sees imports in function bodies too (the ones this test was written for)."""
    tree = ast.parse("def view():\n    from commonweal.meetings.selectors import put_to_vote\n")
    assert list(imported_modules(tree)) == [(2, "commonweal.meetings.selectors")]


def test_every_allowance_is_still_needed():
    """An allowance nothing uses any more is removed, so the list only shrinks."""
    rank = {app: i for i, app in enumerate(APPS)}
    used = set()
    for importer, prefix in ALLOWED:
        assert rank[prefix.split(".")[1]] > rank[importer]
        for path in (ROOT / importer).rglob("*.py"):
            if "tests" in path.relative_to(ROOT / importer).parts:
                continue
            for _, module in imported_modules(ast.parse(path.read_text())):
                if module == prefix or module.startswith(prefix + "."):
                    used.add((importer, prefix))
    assert used == set(ALLOWED)
