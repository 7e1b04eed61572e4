"""Yes/no/abstain votes under the rulebook's majority, base and quorum."""

from __future__ import annotations

from .ballots import BallotSet, OptionError
from .result import Result

MAJORITIES = ("simple", "absolute", "two_thirds")
BASES = ("yes_no", "yes_no_abstain", "entitled")
_BASE_WORDS = {
    "yes_no": "yes + no votes (abstentions not counted)",
    "yes_no_abstain": "yes + no + abstain votes",
    "entitled": "all members entitled to vote",
}


def count_majority(
    ballots: BallotSet,
    *,
    seed: str,
    majority: str = "simple",
    base: str | None = None,
    entitled: int | None = None,
    quorum: int | None = None,
) -> Result:
    """Decide a motion.

    Simple: yes > base/2 (with the default base yes+no this is yes > no). Two-thirds:
    3·yes ≥ 2·base. Absolute: yes > base/2 where the base is all entitled members (or every
    vote cast when that number is not given). Whatever the base, a motion never carries unless
    yes > no. A turnout below ``quorum`` leaves the vote without effect.
    """
    if majority not in MAJORITIES:
        raise OptionError(f"majority must be one of {', '.join(MAJORITIES)}, got {majority!r}")
    if base is None:
        if majority == "absolute":
            base = "entitled" if entitled is not None else "yes_no_abstain"
        else:
            base = "yes_no"
    if base not in BASES:
        raise OptionError(f"base must be one of {', '.join(BASES)}, got {base!r}")
    if majority == "absolute" and base == "yes_no":
        raise OptionError("an absolute majority is counted against all votes cast or all entitled")
    first = ballots.first_choice_counts()
    votes = {name: int(first[i]) for i, name in enumerate(ballots.candidates)}
    yes, no, abstain = votes["yes"], votes["no"], votes["abstain"]
    turnout = yes + no + abstain
    if entitled is not None and entitled < turnout:
        raise OptionError(f"entitled ({entitled}) is smaller than the turnout ({turnout})")
    if base == "entitled" and entitled is None:
        raise OptionError("base 'entitled' needs the number of entitled members")
    base_total = {"yes_no": yes + no, "yes_no_abstain": turnout}.get(base, entitled or 0)

    if majority == "two_thirds":
        passes = 3 * yes >= 2 * base_total
        test, figures = "3 × yes ≥ 2 × base", f"{3 * yes} ≥ {2 * base_total}"
    else:
        passes = 2 * yes > base_total
        test, figures = "yes > base / 2", f"{2 * yes} > {base_total} (doubled)"
    carried = passes and yes > no
    quorum_met = quorum is None or turnout >= quorum
    if not quorum_met:
        outcome = "quorum_not_reached"
        statement = (
            f"Quorum not reached: turnout {turnout} is below the quorum of {quorum}; "
            "the vote is without effect."
        )
    elif carried:
        outcome = "carried"
        statement = f"Carried: {yes} yes, {no} no, {abstain} abstain."
    else:
        outcome = "not_carried"
        statement = f"Not carried: {yes} yes, {no} no, {abstain} abstain."
    words = {"simple": "Simple majority", "absolute": "Absolute majority"}
    label = words.get(majority, "Two-thirds majority")
    convention = (
        f"{label}: {test}, where the base is {_BASE_WORDS[base]}; "
        "a motion never carries unless yes > no"
        + (f"; quorum {quorum} ballots cast." if quorum is not None else "; no quorum.")
    )
    details = {
        "outcome": outcome,
        "statement": statement,
        "yes": yes,
        "no": no,
        "abstain": abstain,
        "turnout": turnout,
        "majority": majority,
        "base": base,
        "base_total": base_total,
        "entitled": entitled,
        "quorum": quorum,
        "quorum_met": quorum_met,
        "test": test,
        "test_figures": figures,
        "test_passed": passes,
    }
    contest = sorted(("yes", "no"), key=lambda c: -votes[c])
    order = [contest] if yes == no else [[contest[0]], [contest[1]]]
    return Result(
        method="majority",
        convention=convention,
        seats=1,
        candidates=list(ballots.candidates),
        winners=["yes"] if outcome == "carried" else [],
        order=order,
        rounds=[{"round": 1, "votes": votes}],
        seed=seed,
        details=details,
    )
