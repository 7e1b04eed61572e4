"""Case material: lessons the organisation recorded elsewhere, attached to a course's modules.

Training sits below the apps that keep such lessons (assessments of interventions,
post-mortems of decisions), so it cannot read their tables. Each registers a kind of case
in its `AppConfig.ready()`:

    from commonweal.training import cases
    cases.register(cases.CaseKind(
        key="interventions.assessment",
        label=_("assessment of an intervention"),
        fetch=lambda ids: {pk: cases.Case(title=..., summary=..., url=...) for ...},
        visible=lambda member, ids: {pk for pk in ids if ...},
    ))

`fetch` takes ids and returns those that exist (a missing id is simply left out); `visible`
returns the ids of those the member may read. A module shows a case only to whom `visible`
allows, so attaching a lesson to a course never shows it to a learner who could not read
it where it was kept. Both are called once per page with every id on it.
"""

from collections.abc import Callable, Iterable
from dataclasses import dataclass
from typing import Any

from django.utils.functional import Promise


@dataclass(frozen=True)
class Case:
    title: str
    summary: str
    url: str


@dataclass(frozen=True)
class CaseKind:
    key: str
    label: str | Promise
    fetch: Callable[[list[int]], dict[int, Case]]
    visible: Callable[[Any, list[int]], set[int]]


_KINDS: dict[str, CaseKind] = {}


def register(kind: CaseKind) -> None:
    _KINDS[kind.key] = kind


def unregister(key: str) -> None:
    """For tests that register a kind of their own."""
    _KINDS.pop(key, None)


def kinds() -> list[CaseKind]:
    return sorted(_KINDS.values(), key=lambda kind: str(kind.label))


def kind(key: str) -> CaseKind | None:
    return _KINDS.get(key)


def shown_to(member: Any, attached: Iterable[Any]) -> list[dict[str, Any]]:
    """The attached cases (`ModuleCase` rows) the member may read, each with its kind's label
    and the case's title, summary and link; one fetch per kind."""
    attached = list(attached)
    by_kind: dict[str, list[Any]] = {}
    for row in attached:
        by_kind.setdefault(row.kind, []).append(row)
    shown: dict[int, dict[str, Any]] = {}
    for key, rows in by_kind.items():
        case_kind = _KINDS.get(key)
        if case_kind is None:
            continue
        ids = [row.object_id for row in rows]
        allowed = case_kind.visible(member, ids)
        found = case_kind.fetch([pk for pk in ids if pk in allowed])
        for row in rows:
            if row.object_id in found:
                shown[row.pk] = {"row": row, "label": case_kind.label, "case": found[row.object_id]}
    return [shown[row.pk] for row in attached if row.pk in shown]
