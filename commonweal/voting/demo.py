"""Demo votes: closed votes with their results, and open ones to try (the STV election of a
branch committee, with its mandates, is in the meetings demo).

Ballots are cast for a few hundred members (enough for the quorum) with bulk inserts, so the
demo stays quick with a million members.
"""

import secrets
from datetime import timedelta

from commonweal.core import clock
from commonweal.members.models import Member
from commonweal.organisation.models import Unit

from . import selectors, services, tallying
from .models import OpenBallot, SecretBallot, Vote, VoterRoll

RECORD_DECISION = "commonweal.decisions.services.record_vote_outcome"


def _voters(unit, vote: Vote, *, few: bool = False) -> list[int]:
    entitled = selectors.electorate_size(vote)
    needed = tallying.quorum_required(vote.quorum_share, entitled)
    want = 3 if few else min(entitled, max(300, needed + 40))
    return list(
        Member.objects.filter(unit__path__startswith=unit.path, status=Member.Status.MEMBER)
        .order_by("pk")
        .values_list("pk", flat=True)[:want]
    )


def cast_bulk(vote: Vote, member_ids: list[int], rankings: list[list[str]], weights, rng) -> None:
    """Bulk ballots (the meetings demo uses them too): each member draws a ranking by the
    weights."""
    index = {name: i for i, name in enumerate(vote.candidates)}
    drawn = rng.choices(rankings, weights, k=len(member_ids))
    encoded = [",".join(str(index[n]) for n in r) for r in drawn]
    now = clock.now()
    if vote.secret:
        VoterRoll.objects.bulk_create(
            [VoterRoll(vote=vote, member_id=pk) for pk in member_ids], batch_size=2000
        )
        rows = [
            SecretBallot(
                vote=vote,
                ranking=e,
                receipt_hash=selectors.receipt_hash(secrets.token_hex(15).upper()),
            )
            for e in encoded
        ]
        rng.shuffle(rows)
        SecretBallot.objects.bulk_create(rows, batch_size=2000)
    else:
        OpenBallot.objects.bulk_create(
            [
                OpenBallot(vote=vote, voter_id=pk, ranking=e, cast_at=now)
                for pk, e in zip(member_ids, encoded, strict=True)
            ],
            batch_size=2000,
        )


def _closed(ctx, *, unit, rankings, weights, few=False, **fields) -> Vote:
    vote = services.vote_create(
        closes_at=clock.now() + timedelta(hours=1),
        created_by=None,
        electorate=unit,
        on_close=RECORD_DECISION,
        **fields,
    )
    vote = services.vote_open(vote=vote, opened_by=None)
    cast_bulk(vote, _voters(unit, vote, few=few), rankings, weights, ctx.rng)
    return services.vote_close(vote=vote)


def load(ctx) -> None:
    # Read the units again: adding units renumbers the tree paths held in ctx.
    leeds = Unit.objects.get(pk=ctx.units["leeds"].pk)
    york = Unit.objects.get(pk=ctx.units["york"].pk)
    committee, transport = ctx.bodies["national-committee"], ctx.bodies["transport"]
    leeds_body = leeds.bodies.filter(kind="assembly").first()
    motion = _closed(
        ctx,
        unit=leeds,
        title="Support the bus workers' strike with a branch collection",
        body=leeds_body,
        method="majority",
        rankings=[["yes"], ["no"], ["abstain"]],
        weights=[6, 3, 1],
    )
    _closed(
        ctx,
        unit=leeds,
        title="Our priority campaign for next year",
        body=leeds_body,
        method="schulze",
        secret=True,
        candidates=["Free public transport", "Council housing", "Local hospital", "Clean air"],
        rankings=[
            ["Free public transport", "Clean air", "Council housing"],
            ["Council housing", "Local hospital"],
            ["Local hospital", "Council housing", "Free public transport"],
            ["Clean air", "Free public transport"],
        ],
        weights=[8, 7, 6, 4],
    )
    _closed(
        ctx,
        unit=leeds,
        title="Venues for the regional school (two chosen)",
        body=leeds_body,
        method="approval",
        seats=2,
        candidates=["Trades club", "Library hall", "University room", "Community centre"],
        rankings=[["Trades club", "Library hall"], ["Community centre"], ["Trades club"], []],
        weights=[5, 3, 4, 1],
    )
    york_body = york.bodies.filter(kind="assembly").first()
    _closed(
        ctx,
        unit=york,
        few=True,
        title="Move branch meetings to Thursdays",
        body=york_body,
        method="majority",
        rankings=[["yes"], ["no"]],
        weights=[2, 1],
    )
    _minority(ctx, motion)
    later = clock.now() + timedelta(days=5)
    work_plan = services.vote_create(
        title="Adopt the transport section's work plan for the year",
        body=transport,
        method="majority",
        closes_at=later,
        created_by=None,
        on_close=RECORD_DECISION,
    )
    services.vote_open(vote=work_plan, opened_by=None)
    ranked = services.vote_create(
        title="Theme of the national conference",
        body=committee,
        method="schulze",
        secret=True,
        electorate=Unit.objects.get(pk=ctx.units["north"].pk),
        candidates=["Housing is a right", "A green transition for workers", "Health for all"],
        closes_at=later,
        created_by=None,
        on_close=RECORD_DECISION,
    )
    services.vote_open(vote=ranked, opened_by=None)
    ctx.say("  votes: 4 closed (majority, Schulze, approval, one without quorum), 2 open")


def _minority(ctx, motion: Vote) -> None:
    from commonweal.decisions.models import Decision
    from commonweal.decisions.services import minority_position_attach

    decision = Decision.objects.filter(vote=motion).first()
    against = motion.open_ballots.filter(ranking="1").select_related("voter").first()
    if decision is None or against is None:
        return
    minority_position_attach(
        decision=decision,
        author=against.voter,
        text=(
            "We support the strikers too, but a branch collection duplicates the union's own "
            "hardship fund. We proposed giving through the fund and putting our effort into "
            "picket-line solidarity instead."
        ),
    )
