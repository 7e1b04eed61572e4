"""Demo proposals at every step of the policy process, the transport example among them."""

import copy
from collections.abc import Callable
from contextlib import AbstractContextManager
from datetime import datetime, timedelta

from commonweal.core import clock
from commonweal.decisions.services import minority_position_attach
from commonweal.members.models import Member
from commonweal.organisation.models import Unit
from commonweal.policy import services
from commonweal.policy.models import Circulation, Proposal
from commonweal.rulebook.selectors import current
from commonweal.rulebook.services import rulebook_bring_into_force, rulebook_stage
from commonweal.voting.demo import cast_bulk
from commonweal.voting.models import OpenBallot, Vote
from commonweal.voting.selectors import electorate_size
from commonweal.voting.services import vote_close
from commonweal.voting.tallying import quorum_required

SUPPORTERS = 30


def _supporters(ctx, exclude: int):
    ids = list(
        Member.objects.filter(status=Member.Status.MEMBER)
        .exclude(pk=exclude)
        .order_by("?" if ctx.members <= 10_000 else "pk")
        .values_list("pk", flat=True)[: SUPPORTERS * 3]
    )
    ctx.rng.shuffle(ids)
    return Member.objects.filter(pk__in=ids)


def _launch(ctx, proposal) -> None:
    for member in _supporters(ctx, proposal.author_id):
        proposal.refresh_from_db()
        if proposal.stage != "proposed":
            return
        services.proposal_support(proposal=proposal, member=member)


def _propose(ctx, author, section, title, text, prompted_by="", amends=None):
    return services.proposal_create(
        author=author,
        section=ctx.bodies[section],
        title=title,
        text=text,
        prompted_by=prompted_by,
        amends=amends,
    )


def _scope_and_agree(ctx, proposal, chair, areas):
    scope = services.scope_propose(proposal=proposal, by=chair, areas=areas)
    services.scope_answer(scope=scope, by=proposal.author, agree=True)


def _days_from(start: datetime, step: int = 4) -> Callable[..., AbstractContextManager]:
    """Each call freezes the clock a few days (`step`, or as many as given) after the last,
    so timelines show real durations; the first call freezes it at `start`."""
    moment = [start - timedelta(days=step)]

    def at(days: int = step) -> AbstractContextManager:
        moment[0] += timedelta(days=days)
        return clock.frozen(moment[0])

    return at


def _to_final_draft(ctx, proposal: Proposal, chair, at, *, areas: str, said: str, paragraphs):
    """Launch, scope, circulate, draft from a contribution with a citation, consult, finalise.

    `paragraphs` are texts; the first cites the contribution from the author's unit.
    """
    with at():
        _launch(ctx, proposal)
    proposal.refresh_from_db()
    with at():
        _scope_and_agree(ctx, proposal, chair, areas)
    author = proposal.author
    with at():
        circulation = Circulation.objects.get(proposal=proposal, unit_id=author.unit_id)
        cited = services.contribution_add(circulation=circulation, author=author, text=said)
    with at():
        services.drafting_start(
            proposal=proposal, by=chair, reason="Every branch that meant to has reported."
        )
        version = services.draft_save(
            proposal=proposal,
            by=chair,
            paragraphs=[
                {"text": text, "cites": [cited.pk] if i == 0 else []}
                for i, text in enumerate(paragraphs)
            ],
            note="Drafted from the units' contributions",
        )
    with at():
        services.consultation_open(proposal=proposal, by=chair)
        services.comment_add(
            paragraph=version.paragraphs.get(position=1),
            author=ctx.people["member"],
            text="Say who pays for it.",
        )
    with at(22):
        return services.final_draft(proposal=proposal, by=chair)


def _turnout(vote: Vote) -> list[int]:
    """Enough of the electorate to make the quorum, and some more."""
    entitled = electorate_size(vote)
    want = min(entitled, quorum_required(vote.quorum_share, entitled) + 60)
    unit = Unit.objects.get(pk=vote.electorate_id)
    return list(
        Member.objects.filter(unit__path__startswith=unit.path, status=Member.Status.MEMBER)
        .order_by("pk")
        .values_list("pk", flat=True)[:want]
    )


def _approve(ctx, proposal: Proposal, chair, at, weights) -> Vote:
    """The e-conference votes on the final text with a realistic turnout; the close publishes.

    The next step of `at` comes after the vote's closing time, as the sweep would close it.
    """
    with at(15):
        approval = services.approval_call(
            proposal=proposal, by=chair, closes_at=clock.now() + timedelta(days=3)
        )
    vote = Vote.objects.get(pk=approval.vote_id)
    cast_bulk(vote, _turnout(vote), [["yes"], ["no"], ["abstain"]], weights, ctx.rng)
    with at():
        return vote_close(vote=vote)


def _published_policy(ctx, now: datetime):
    """The transport policy, approved by e-conference and then amended: two versions, a diff,
    a decision for each, and a minority position beside the second."""
    chair = ctx.people["transport_chair"]
    at = _days_from(now - timedelta(days=150))
    with at():
        first = _propose(
            ctx,
            ctx.people["leeds_secretary"],
            "transport",
            "Public transport",
            "We have no transport policy at all. I propose one built on public ownership.",
        )
    _to_final_draft(
        ctx,
        first,
        chair,
        at,
        areas="Ownership, fares, accessibility",
        said="Buses and trains belong in public hands, run for need, not profit.",
        paragraphs=[
            "Buses and railways are brought into public ownership.",
            "Fares are set so that nobody is priced out of travelling to work or study.",
            "Every station and every bus is accessible to disabled passengers.",
        ],
    )
    _approve(ctx, first, chair, at, [80, 15, 5])
    first.refresh_from_db()

    at = _days_from(now - timedelta(days=70))
    with at():
        second = _propose(
            ctx,
            ctx.people["member"],
            "transport",
            "Public transport: half fares for under-25s",
            "Young people in our branches cannot afford to get to college. Halve their fares.",
            prompted_by="Youth Travel Alliance",
            amends=first.policy,
        )
    _to_final_draft(
        ctx,
        second,
        chair,
        at,
        areas="Fares",
        said="Apprentices in Leeds spend a fifth of their wage on the bus.",
        paragraphs=[
            "Buses and railways are brought into public ownership.",
            "Fares are set so that nobody is priced out; under-25s pay half fare.",
            "Every station and every bus is accessible to disabled passengers.",
        ],
    )
    vote = _approve(ctx, second, chair, at, [60, 35, 5])
    second.refresh_from_db()
    against = (
        OpenBallot.objects.filter(vote=vote, ranking=str(vote.candidates.index("no")))
        .order_by("pk")
        .values_list("voter_id", flat=True)
        .first()
    )
    with at():
        minority_position_attach(
            decision=second.decision,
            text="Half fares for one age group divide passengers. We argued for free fares "
            "for everyone, paid for by a levy on employers, and will keep arguing for it.",
            author=Member.objects.get(pk=against),
        )
    return first.policy


def _in_approval(ctx, now: datetime) -> None:
    """A final draft with an amendment being voted on first, in an e-conference open now.

    The chair calls it eight days after the final draft, before the amendments' deadline
    (the rulebook lets a section's chair, with a reason), so nothing is shown as stalled.
    """
    chair = ctx.people["health_chair"]
    at = _days_from(now - timedelta(days=50))
    with at():
        proposal = _propose(
            ctx,
            ctx.people["leeds_secretary"],
            "health",
            "Community health centres in every town",
            "Closing local surgeries pushes people into A&E. Every town needs a health centre.",
        )
    final = _to_final_draft(
        ctx,
        proposal,
        chair,
        at,
        areas="Primary care, staffing",
        said="Our nearest surgery closed in March; the bus to the next one takes an hour.",
        paragraphs=[
            "Every town of 10,000 people has a community health centre.",
            "Centres open in the evening twice a week.",
        ],
    )
    services.amendment_propose(
        paragraph=final.paragraphs.get(position=2),
        by=ctx.people["member"],
        text="Centres open every evening and on Saturday mornings.",
        reason="Shift workers cannot come in the day.",
    )
    services.approval_call(
        proposal=proposal,
        by=chair,
        amendments_close_at=now + timedelta(days=3),
        closes_at=now + timedelta(days=10),
        reason="The e-conference must finish before the regional conference.",
    )


def load(ctx) -> None:
    member = ctx.people["member"]
    transport_chair = ctx.people["transport_chair"]
    secretary = ctx.people["leeds_secretary"]
    now = clock.now()

    published = _published_policy(ctx, now)
    _in_approval(ctx, now)

    transport = _propose(
        ctx,
        member,
        "transport",
        "Free, frequent buses for every town",
        "Our transport policy says nothing about bus deregulation. After months of "
        "discussion with the **Leeds Bus Users' Campaign** I propose that we renew it: "
        "public ownership of bus networks, fares capped and then free, and routes "
        "planned with the people who ride them.",
        prompted_by="Leeds Bus Users' Campaign",
        amends=published,
    )
    _launch(ctx, transport)
    transport.refresh_from_db()
    _scope_and_agree(
        ctx,
        transport,
        transport_chair,
        "1. Ownership of bus networks\n2. Fares\n3. Route planning with users",
    )
    leeds = Circulation.objects.get(proposal=transport, unit=ctx.units["leeds"])
    services.contribution_add(
        circulation=leeds,
        author=member,
        text="Night buses matter most to shift workers at the hospital.",
    )
    services.outside_consultation_add(
        circulation=leeds,
        by=secretary,
        who="Leeds Bus Users' Campaign",
        on=clock.now().date() - timedelta(days=1),
        text="Passengers on the 42 route wait up to an hour after 8pm.",
    )
    services.circulation_report(
        circulation=leeds,
        by=secretary,
        summary="The branch backs public ownership and wants night routes named.",
    )

    drafting = _propose(
        ctx,
        ctx.people["housing_chair"],
        "housing",
        "Council homes on public land",
        "Public land should be used for council homes at social rent, not sold off.",
    )
    _launch(ctx, drafting)
    drafting.refresh_from_db()
    _scope_and_agree(ctx, drafting, ctx.people["housing_chair"], "Land, rents, tenants' rights")
    services.drafting_start(
        proposal=drafting,
        by=ctx.people["housing_chair"],
        reason="The section meets this week; the branches have had their say.",
    )
    services.draft_save(
        proposal=drafting,
        by=ctx.people["housing_chair"],
        paragraphs=[
            {"text": "Public land is kept for council homes at social rent.", "cites": []},
            {"text": "Tenants elect a board for each estate.", "cites": []},
        ],
        note="First draft",
    )

    consultation = _propose(
        ctx,
        ctx.people["education_chair"],
        "education",
        "Adult education free at the point of use",
        "Every adult should be able to return to learning, free of charge, at any age.",
    )
    _launch(ctx, consultation)
    consultation.refresh_from_db()
    _scope_and_agree(ctx, consultation, ctx.people["education_chair"], "Funding, access")
    services.drafting_start(
        proposal=consultation,
        by=ctx.people["education_chair"],
        reason="The section meets this week; the branches have had their say.",
    )
    services.draft_save(
        proposal=consultation,
        by=ctx.people["education_chair"],
        paragraphs=[{"text": "Adult courses are free of charge.", "cites": []}],
    )
    services.consultation_open(proposal=consultation, by=ctx.people["education_chair"])

    scoping = _propose(
        ctx,
        ctx.people["environment_chair"],
        "environment",
        "A just transition for energy workers",
        "Closing coal and gas must come with jobs and retraining on equal pay.",
    )
    _launch(ctx, scoping)

    _propose(
        ctx,
        member,
        "health",
        "Mental health services within a week",
        "Nobody should wait more than a week for a first mental health appointment.",
    )
    expired = _propose(
        ctx,
        secretary,
        "transport",
        "A cycle lane on every main road",
        "Safe cycling needs separated lanes on main roads.",
    )
    with clock.frozen(clock.now() + timedelta(days=60)):
        services.proposal_expire(proposal=expired)
    _quorum_by_hand(ctx)
    ctx.say(
        "  proposals: gathering support, scoping, circulation (the transport example), "
        "drafting, consultation, approval (an amendment being voted on), expired; "
        "published: Public transport (two versions, a minority position)"
    )


# How many of the printed logins must vote for a vote to count once the demo is loaded.
HAND_QUORUM = 3


def _quorum_by_hand(ctx) -> None:
    """Rulebook v3, in force once every demo vote has been held under v2: a quorum that
    three of the printed logins reach together, so that whoever tries the demo can carry
    the transport example through its approval e-conference to publication by hand (the
    organisation-wide electorate would otherwise need hundreds of ballots), the section's
    chair ending each window early with a reason."""
    rules = copy.deepcopy(current().rules)
    rules["meetings"]["quorum"] = (HAND_QUORUM - 0.5) / ctx.members
    # And no shortest consultation or time for amendments, so the chair can end each (with a
    # reason) in one sitting; a real organisation keeps the shipped minimums.
    rules["policy"]["consultation_min_days"] = 0
    rules["policy"]["amendment_min_days"] = 0
    staged = rulebook_stage(
        rules=rules,
        staged_by=None,
        note="Demo only: a quorum three of the demo's logins reach, and no minimum consultation "
        "or time for amendments, so that the transport example can be taken to publication "
        "by hand in one sitting.",
    )
    rulebook_bring_into_force(version=staged)
