"""Demo proposals at every step of the policy process, the transport example among them."""

from datetime import timedelta

from commonweal.core import clock
from commonweal.members.models import Member
from commonweal.policy import services
from commonweal.policy.models import Circulation

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


def _propose(ctx, author, section, title, text, prompted_by=""):
    return services.proposal_create(
        author=author, section=ctx.bodies[section], title=title, text=text, prompted_by=prompted_by
    )


def _scope_and_agree(ctx, proposal, chair, areas):
    scope = services.scope_propose(proposal=proposal, by=chair, areas=areas)
    services.scope_answer(scope=scope, by=proposal.author, agree=True)


def load(ctx) -> None:
    member = ctx.people["member"]
    transport_chair = ctx.people["transport_chair"]
    secretary = ctx.people["leeds_secretary"]

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
    services.drafting_start(proposal=drafting, by=ctx.people["housing_chair"])
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
    services.drafting_start(proposal=consultation, by=ctx.people["education_chair"])
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
    ctx.say(
        "  proposals: gathering support, scoping, circulation (the transport example), "
        "drafting, consultation, expired"
    )
