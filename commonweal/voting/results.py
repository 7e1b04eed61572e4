"""The result page's tables, shaped from a stored result (reads only)."""

from __future__ import annotations

from decimal import Decimal
from typing import Any

from commonweal.rulebook.labels import WORDS

from .models import Vote


def result_view(vote: Vote) -> dict[str, Any]:
    """Rows for the method's tables: approvals, the Schulze matrices, the STV stages."""
    result = vote.result or {}
    names = result.get("candidates", vote.candidates)
    view: dict[str, Any] = {"names": names}
    if vote.method == "majority" and "base_total" in result:
        view.update(_majority(result))
    if vote.method == "approval":
        approvals = (result.get("rounds") or [{}])[0].get("approvals", {})
        view["approvals"] = sorted(approvals.items(), key=lambda kv: (-kv[1], kv[0]))
    elif vote.method == "schulze":
        view["pairwise"] = _matrix(names, result.get("pairwise", []))
        view["beatpaths"] = _matrix(names, result.get("beatpaths", []))
    elif vote.method == "stv":
        view["stages"] = _stages(names, result.get("rounds", []))
    return view


def _majority(result: dict[str, Any]) -> dict[str, Any]:
    """The majority test in words: which votes form the base, and how many yes votes it takes."""
    base = result["base_total"]
    two_thirds = result["majority"] == "two_thirds"
    return {
        "majority_words": WORDS.get(result["majority"], result["majority"]),
        "base_words": WORDS.get(result["base"], result["base"]),
        # 3·yes ≥ 2·base, or 2·yes > base (VOTING.md), as the smallest number of yes votes.
        "yes_needed": -(-2 * base // 3) if two_thirds else base // 2 + 1,
    }


def _matrix(names: list[str], rows: list[list[int]]) -> list[dict[str, Any]]:
    """Each cell says whether the row candidate beats the column one (d[i,j] > d[j,i])."""
    out = []
    for i, row in enumerate(rows):
        cells = []
        for j, value in enumerate(row):
            if i == j:
                cells.append({"value": "—", "wins": None})
            else:
                cells.append({"value": value, "wins": value > rows[j][i]})
        out.append({"name": names[i], "cells": cells})
    return out


def _stages(names: list[str], rounds: list[dict[str, Any]]) -> list[dict[str, Any]]:
    """Each STV stage with every candidate's votes and the change a transfer made."""
    stages = []
    previous: dict[str, Decimal] = {}
    for stage in rounds:
        votes = {n: Decimal(stage["votes"][n]) for n in names}
        exhausted = Decimal(stage.get("exhausted", "0"))
        cells = []
        for n in names:
            change = votes[n] - previous[n] if previous else None
            cells.append({"name": n, "votes": stage["votes"][n], "change": change})
        prev_exhausted = previous.get("__exhausted") if previous else None
        stages.append(
            {
                **stage,
                "cells": cells,
                "exhausted_change": None if prev_exhausted is None else exhausted - prev_exhausted,
            }
        )
        previous = {**votes, "__exhausted": exhausted}
    return stages
