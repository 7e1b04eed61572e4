"""Demo discussion: a transport debate, a temperature check, an opinion map, two tendencies.

Opinion-map voters are a sample of a few hundred members picked by random ids,
so loading stays quick with a million members.
"""

from datetime import timedelta

from django.apps import apps

from commonweal.core import clock
from commonweal.decisions.models import Decision
from commonweal.members.models import Member
from commonweal.organisation.selectors import active_memberships
from commonweal.record.services import subject_of

from . import services
from .models import Statement, StatementVote

ARGUMENTS = [
    (
        "for",
        "Free fares bring back the people who gave up on buses: pensioners, young workers, "
        "anyone counting every pound.",
    ),
    (
        "against",
        "Fares fund the drivers' pay rise we promised to support. Free buses without "
        "new money means cuts elsewhere.",
    ),
    ("for", "Every city that tried it (Tallinn, Dunkirk) saw car journeys fall within a year."),
    (
        "against",
        "Frequency matters more than price: a free bus that comes once an hour is no "
        "use to a shift worker.",
    ),
    ("neither", "Could we start with free fares for under-25s and see what happens?"),
    ("for", "Public transport is a public service, like libraries. We do not charge at the door."),
]
STATEMENTS = [
    "Buses should be free at the point of use",
    "Frequency matters more than fares",
    "Bus routes should be brought back into public ownership",
    "Drivers' pay must rise before anything else",
    "Night buses are essential for shift workers",
    "Rural routes deserve the same funding as city routes",
    "Congestion charges should fund public transport",
    "Fare-free travel should start with young people",
    "Cycling lanes should be built on every main road",
    "Trams are worth their cost",
    "Car parking in city centres should be reduced",
    "Electric buses should replace diesel within five years",
    "Bus passengers should sit on the operators' boards",
    "Rail and bus tickets should be integrated",
    "Workplaces should fund travel passes",
    "Road building should stop",
    "Disabled access must come before new routes",
    "Local councils should run the buses",
    "Airport expansion should be opposed",
    "Fuel duty should rise to fund public transport",
    "The campaign should work with the drivers' union",
    "We should collect signatures at bus stops",
    "Taxis and ride-hailing should be regulated more strictly",
    "School buses should be free for every child",
    "Timetables should be set with passengers",
    "Bus lanes must be enforced",
    "Fares should be capped at one pound",
    "Train companies should be nationalised first",
    "Park-and-ride schemes work",
    "High-speed rail is a priority",
    "Walking routes deserve investment too",
    "Delivery vans should pay to enter city centres",
    "Transport policy must be planned with housing",
    "Bus shelters need heating and lighting",
    "Pensioners' passes should work before 9:30",
    "Cars should be banned from school streets",
    "Public transport workers should get free travel",
    "Car clubs should replace private cars in cities",
    "Regional transport authorities need more power",
    "Ferries are part of public transport",
]


def _sample_members(rng, n: int) -> list[int]:
    """Random member ids without scanning the members table."""
    bounds = Member.objects.filter(status=Member.Status.MEMBER).order_by("pk")
    low = bounds.values_list("pk", flat=True).first() or 0
    high = bounds.reverse().values_list("pk", flat=True).first() or 0
    guesses = {rng.randint(low, high) for _ in range(n * 2)}
    return list(
        Member.objects.filter(pk__in=guesses, status=Member.Status.MEMBER).values_list(
            "pk", flat=True
        )[:n]
    )


def load(ctx) -> None:
    transport = ctx.bodies["transport"]
    chair = ctx.people["transport_chair"]
    section = [m.member for m in active_memberships(body=transport).select_related("member")]
    proposal_model = (
        apps.get_model("policy", "Proposal") if apps.is_installed("commonweal.policy") else None
    )
    proposal = (
        proposal_model.objects.filter(section=transport).order_by("pk").first()
        if proposal_model is not None and hasattr(proposal_model, "section")
        else None
    )
    debate = services.debate_open(
        space_body=transport,
        question=(
            f"Should we adopt the proposal “{proposal.title}”?"
            if proposal
            else "Should local buses be free at the point of use?"
        ),
        description="The section wants to hear the arguments before it scopes the policy.",
        opened_by=chair,
        subject=subject_of(proposal) if proposal else "",
    )
    for i, (stance, text) in enumerate(ARGUMENTS):
        author = section[i % len(section)]
        top = services.contribution_post(debate=debate, author=author, stance=stance, text=text)
        if i in (0, 1):
            services.contribution_post(
                debate=debate,
                author=section[(i + 1) % len(section)],
                stance="",
                text="Where would the money come from?" if i == 0 else "The union agrees.",
                parent=top,
            )
    check = services.check_open(
        space_body=transport,
        statement="We should campaign for free buses before the council budget",
        opened_by=chair,
    )
    choices = ["agree", "agree", "abstain", "disagree", "block"]
    reasons = ["", "Timing is right", "", "Frequency first", "It splits us from the union"]
    for member, choice, reason in zip(section, choices, reasons, strict=False):
        services.check_respond(check=check, member=member, choice=choice, reason=reason)

    _opinion_map(ctx, chair)
    _tendencies(ctx, debate)


def _opinion_map(ctx, chair) -> None:
    rng = ctx.rng
    national_chair = ctx.people["admin"]  # only the nation's officers open debates for everyone
    debate = services.debate_open(
        question="What should our transport campaign demand first?",
        description="Add short statements and vote on others'. The map shows where we agree.",
        opened_by=national_chair,
    )
    opinion_map = services.opinion_map_open(debate=debate, opened_by=national_chair)
    now = clock.now()
    statements = Statement.objects.bulk_create(
        [
            Statement(opinion_map=opinion_map, text=text, author=chair, created_at=now)
            for text in STATEMENTS
        ]
    )
    voters = _sample_members(rng, 400)
    # Three currents of opinion; statements 0-3 are agreed by all.
    leaning = [[rng.choice([1, -1]) for _ in statements] for _ in range(3)]
    for group in leaning:
        group[:4] = [1, 1, 1, 1]
    votes = []
    for voter in voters:
        group = leaning[rng.randrange(3)]
        for index in rng.sample(range(len(statements)), rng.randint(12, 30)):
            choice = group[index] if rng.random() > 0.15 else -group[index]
            if rng.random() < 0.1:
                choice = 0
            votes.append(
                StatementVote(
                    opinion_map=opinion_map,
                    statement=statements[index],
                    member_id=voter,
                    choice=choice,
                    voted_at=now,
                )
            )
    StatementVote.objects.bulk_create(votes, batch_size=5000)
    for statement in statements:
        counted = [v.choice for v in votes if v.statement is statement]
        statement.agree_count = counted.count(1)
        statement.disagree_count = counted.count(-1)
        statement.pass_count = counted.count(0)
    Statement.objects.bulk_update(statements, ["agree_count", "disagree_count", "pass_count"])
    services.opinion_map_recompute(map_id=opinion_map.pk)
    ctx.say(f"  opinion map: {len(statements)} statements, {len(votes):,} votes")


def _tendencies(ctx, debate) -> None:
    rng = ctx.rng
    founder = ctx.people["member"]
    left = services.tendency_form(
        name="Public Transport Now",
        platform="We stand for **fare-free, publicly owned** buses and trains, planned with "
        "the people who use and run them.",
        founded_by=founder,
    )
    minimum = services.selectors.recognition_minimum()
    for pk in _sample_members(rng, minimum + 5):
        if pk != founder.pk:
            services.tendency_join(tendency=left, member=Member.objects.get(pk=pk))
    left.refresh_from_db()
    fares = Decision.objects.filter(title="Transport section position on bus fares").first()
    if fares is not None:
        # Attached within the rulebook's period after the decision, as the tendency did then.
        with clock.frozen(fares.decided_at + timedelta(days=2)):
            services.tendency_minority_position_submit(
                tendency=left,
                decision=fares,
                submitted_by=founder,
                text="A flat fare is a retreat: we should demand free local buses now, funded "
                "by a levy on large employers, as cities abroad have done.",
            )
    services.tendency_position_submit(
        tendency=left,
        subject=subject_of(debate),
        text="Free fares **and** higher frequency, paid for by a congestion charge: one demand, "
        "not a choice between them.",
        submitted_by=founder,
    )
    small = services.tendency_form(
        name="Rural Voice",
        platform="Transport policy is written for cities. We speak for villages and market towns.",
        founded_by=ctx.people["leeds_secretary"],
    )
    for pk in _sample_members(rng, 3):
        if pk != small.founded_by_id:
            services.tendency_join(tendency=small, member=Member.objects.get(pk=pk))
