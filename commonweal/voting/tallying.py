"""The one tally path: the live close, ``manage.py recount`` and ``manage.py tally`` all use it.

It wraps the counting core with what the core leaves to the platform: the quorum for methods
other than yes/no/abstain, and the statement of whether the vote has effect.
"""

from __future__ import annotations

import math
from typing import Any

from . import counting

SCHULZE_STRENGTHS = {"winning_votes": "winning", "winning": "winning", "margin": "margin"}


def quorum_required(share: float, entitled: int) -> int:
    """The number of ballots a quorum of ``share`` of ``entitled`` members needs."""
    return math.ceil(share * entitled - 1e-9) if share > 0 else 0


def core_options(
    method: str,
    *,
    majority: str = "simple",
    base: str = "yes_no",
    entitled: int | None = None,
    quorum: int | None = None,
    strength: str = "winning",
    rule: str = "scottish",
) -> dict[str, Any]:
    """The counting core's keyword options for a method."""
    if method == "majority":
        return {"majority": majority, "base": base, "entitled": entitled, "quorum": quorum}
    if method == "schulze":
        return {"strength": SCHULZE_STRENGTHS.get(strength, strength)}
    if method == "stv":
        return {"rule": rule}
    return {}


def tally(
    election: dict[str, Any],
    *,
    seed: str | None = None,
    entitled: int | None = None,
    quorum: int | None = None,
    **options: Any,
) -> dict[str, Any]:
    """Count a published-ballots dict and say whether the result has effect.

    ``quorum`` is a number of ballots. The returned dict is the core's ``Result.to_dict()``
    with ``effective``, ``turnout``, ``entitled``, ``quorum`` and ``statement`` added.
    """
    method = election["method"]
    opts = core_options(method, entitled=entitled, quorum=quorum, **options)
    ballots = counting.parse_election(election)
    result = counting.count(ballots, seed=seed, **opts).to_dict()
    turnout = ballots.total
    result["turnout"] = turnout
    result["entitled"] = entitled
    result["quorum"] = quorum
    result["quorum_met"] = quorum is None or turnout >= quorum
    if method == "majority":
        result["effective"] = result["outcome"] != "quorum_not_reached" and turnout > 0
        if turnout == 0:
            result["outcome"] = "no_ballots"
            result["statement"] = "No ballots were cast; the vote is without effect."
        return result
    if turnout == 0:
        result.update(
            effective=False,
            outcome="no_ballots",
            statement="No ballots were cast; the vote is without effect.",
            winners_without_effect=result["winners"],
            winners=[],
        )
    elif not result["quorum_met"]:
        result.update(
            effective=False,
            outcome="quorum_not_reached",
            statement=(
                f"Quorum not reached: turnout {turnout} is below the quorum of {quorum}; "
                "the vote is without effect."
            ),
            winners_without_effect=result["winners"],
            winners=[],
        )
    else:
        result.update(
            effective=True,
            outcome="elected" if method == "stv" else "decided",
            statement=f"{turnout} ballots counted; {', '.join(result['winners'])} "
            + ("elected." if method == "stv" else "chosen."),
        )
    return result
