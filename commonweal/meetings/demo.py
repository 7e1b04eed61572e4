"""Demo meetings: a past branch meeting (agenda, attendance, speakers, an STV election of the
branch committee, minutes approved and sent), an open regional e-conference with a vote to
cast, and a recall gathering support.

Attendance and ballots are bulk inserts of just enough members for the quorum, so the demo
stays quick with a million members; everything else goes through the services.
"""

from datetime import timedelta

from django.db.models import Q

from commonweal.core import clock
from commonweal.members.models import Member
from commonweal.organisation.models import BodyMembership, Mandate, Unit
from commonweal.voting.demo import cast_bulk
from commonweal.voting.models import Vote
from commonweal.voting.services import vote_close

from . import selectors, services
from .models import AgendaItem, Attendance, Meeting, Motion

CANDIDATES = ["Amina Yusuf", "Ben Carter", "Chloe Davies", "Dev Patel", "Erin Walsh"]
MINUTES = """## Present
{present} members; the quorum was {needed}. {chair} chaired, {secretary} took the minutes.

## 1. Report from the branch committee
The committee reported on the bus campaign: 1,200 petition signatures, two street stalls a week.

## 2. Support for the bus workers' strike
After a debate (four speakers, one of them twice) the branch agreed to hold a collection at
every meeting until the strike ends.

## 3. Election of the branch committee
Three members were elected by single transferable vote; the count, round by round, is on the
vote's result page.
"""


def _present(meeting: Meeting, member_ids: list[int], at) -> None:
    Attendance.objects.bulk_create(
        [Attendance(meeting=meeting, member_id=pk, arrived_at=at) for pk in member_ids],
        batch_size=2000,
        ignore_conflicts=True,
    )


def _quorum_of(meeting: Meeting, *, first: list[int]) -> list[int]:
    """The named members first, then enough others to make the quorum, a few over."""
    needed = selectors.quorum_status(meeting)["needed"]
    others = list(
        selectors.participants(meeting)
        .exclude(pk__in=first)
        .order_by("pk")
        .values_list("pk", flat=True)[: needed + 10]
    )
    return first + others


def _officer(body, role: str) -> Member:
    return (
        BodyMembership.objects.filter(body=body, role=role, until=None)
        .select_related("member")
        .first()
        .member
    )


def load(ctx) -> None:
    leeds = Unit.objects.get(pk=ctx.units["leeds"].pk)
    north = Unit.objects.get(pk=ctx.units["north"].pk)
    _past_branch_meeting(ctx, leeds)
    _open_econference(ctx, north)
    _reports(ctx)
    _recall(ctx)
    ctx.say(
        "  meetings: a past Leeds branch meeting (minutes sent, committee elected by STV), "
        "an open North e-conference with an amendment to vote on, a recall gathering support"
    )


def _past_branch_meeting(ctx, leeds: Unit) -> None:
    rng = ctx.rng
    body = leeds.bodies.get(kind="assembly")
    chair, secretary = _officer(body, "chair"), ctx.people["leeds_secretary"]
    member = ctx.people["member"]
    start = (clock.now() - timedelta(days=10)).replace(hour=18, minute=30, second=0, microsecond=0)
    with clock.frozen(start - timedelta(days=14)):
        meeting = services.meeting_schedule(
            body=body,
            kind="hybrid",
            title="Leeds branch meeting",
            opens_at=start,
            closes_at=start + timedelta(hours=2, minutes=30),
            place="Trades Club, Leeds",
            video_url="https://meet.jit.si/commonweal-demo-leeds-branch",
            description="Monthly meeting of all members of the Leeds branch.",
            scheduled_by=chair,
        )
        report, strike, election = (
            services.agenda_item_add(
                meeting=meeting, kind=kind, title=title, subject=subject, added_by=chair
            )
            for kind, title, subject in [
                ("report", "Report from the branch committee", ""),
                ("motion", "Support for the bus workers' strike", "transport"),
                ("election", "Election of the branch committee", ""),
            ]
        )
    with clock.frozen(start):
        services.meeting_open(meeting=meeting, opened_by=chair)
        speakers = list(
            selectors.participants(meeting).exclude(pk__in=[chair.pk, secretary.pk, member.pk])[:3]
        )
        present = _quorum_of(
            meeting, first=[chair.pk, secretary.pk, member.pk, *(s.pk for s in speakers)]
        )
        _present(meeting, present, start)
    # Three ask to speak; the first asks again after speaking, before a fourth asks: the
    # speakers' list puts the fourth (who has not spoken yet) before her second turn.
    at = start + timedelta(minutes=10)
    with clock.frozen(at):
        for speaker in [member, speakers[0], speakers[1]]:
            services.speaker_request(item=strike, member=speaker)
    for step in range(5):
        with clock.frozen(at):
            services.speaker_next(item=strike, chair=chair)
            if step == 1:
                services.speaker_request(item=strike, member=member)
                services.speaker_request(item=strike, member=speakers[2])
        at += timedelta(seconds=rng.randint(90, 200))
    with clock.frozen(at):
        services.speaker_stop(item=strike, chair=chair)
        services.speaker_request(item=report, member=speakers[0])
        services.speaker_next(item=report, chair=chair)
    at += timedelta(minutes=5)
    with clock.frozen(at):
        services.speaker_stop(item=report, chair=chair)
        motion = services.motion_table(
            item=strike,
            text="The branch holds a collection for the strikers' hardship fund at every "
            "meeting until the strike ends, and joins the picket on Saturdays.",
            tabled_by=member,
        )
        services.motion_put_to_vote(
            motion=motion, chair=chair, closes_at=at + timedelta(minutes=20)
        )
        motion_vote = Vote.objects.get(pk=Motion.objects.get(pk=motion.pk).vote_id)
        cast_bulk(motion_vote, present, [["yes"], ["no"], ["abstain"]], [8, 2, 1], rng)
        # The printed plain member keeps to their role: they are elected to nothing.
        nominees = Member.objects.filter(pk__in=present).exclude(pk__in=[secretary.pk, member.pk])[
            : len(CANDIDATES)
        ]
        labels = [
            services.candidate_nominate(item=election, candidate=n, nominated_by=chair).label
            for n in nominees
        ]
    at += timedelta(minutes=21)
    with clock.frozen(at):
        vote_close(vote=motion_vote, closed_by=chair)
        services.election_open(
            item=election,
            chair=chair,
            office="Branch committee member",
            seats=3,
            closes_at=at + timedelta(minutes=30),
            secret=True,
        )
        election_vote = Vote.objects.get(pk=AgendaItem.objects.get(pk=election.pk).vote_id)
        a, b, c, d, e = labels
        cast_bulk(
            election_vote,
            present,
            [[a, c, b], [b, d], [c, a], [d, e, b], [e], [a]],
            [9, 6, 5, 4, 2, 3],
            rng,
        )
    at += timedelta(minutes=31)
    with clock.frozen(at):
        vote_close(vote=election_vote, closed_by=chair)
        services.meeting_close(meeting=meeting, closed_by=chair)
    with clock.frozen(at + timedelta(days=2)):
        minutes = services.minutes_write(
            meeting=meeting,
            text=MINUTES.format(
                present=len(present),
                needed=selectors.quorum_status(meeting)["needed"],
                chair=chair.display_name,
                secretary=secretary.display_name,
            ),
            written_by=secretary,
        )
    with clock.frozen(at + timedelta(days=7)):
        services.minutes_approve(minutes=minutes, approved_by=chair)
        services.minutes_send(minutes_id=minutes.pk)


def _open_econference(ctx, north: Unit) -> None:
    committee = ctx.bodies["national-committee"]
    admin, member = ctx.people["admin"], ctx.people["member"]
    now = clock.now()
    meeting = services.econference_call(
        body=committee,
        title="North e-conference: fighting the bus cuts",
        description="All members in the North decide the region's answer to the bus cuts.",
        opens_at=now - timedelta(hours=2),
        closes_at=now + timedelta(days=3),
        scope=north,
        video_url="https://meet.jit.si/commonweal-demo-north-econference",
        called_by=admin,
    )
    item = services.agenda_item_add(
        meeting=meeting,
        kind="motion",
        title="A regional day of action against the bus cuts",
        subject="transport",
        added_by=admin,
    )
    services.agenda_item_add(
        meeting=meeting, kind="report", title="Report from the regional organiser", added_by=admin
    )
    _present(meeting, _quorum_of(meeting, first=[admin.pk]), now - timedelta(hours=1))
    motion = services.motion_table(
        item=item,
        text="The North holds a day of action at every bus depot threatened with closure.",
        tabled_by=member,
    )
    amendment = services.motion_table(
        item=item,
        text="The North holds a day of action at every bus depot threatened with closure, "
        "together with the bus workers' union branches.",
        tabled_by=ctx.people["leeds_secretary"],
        amends=motion,
    )
    services.motion_put_to_vote(motion=amendment, chair=admin, closes_at=now + timedelta(days=2))


def _reports(ctx) -> None:
    """Most office-holders have reported in the last three months; the national Treasurer
    (whose recall gathers support) and Plymouth's officers have not, so the overview of
    overdue reports names a few, and the admin's and the Leeds secretary's next reports
    fall due within days."""
    now = clock.now()
    days_ago = {ctx.people["admin"].pk: 80, ctx.people["leeds_secretary"].pk: 85}
    silent = Q(body=ctx.bodies["national-committee"], office="Treasurer") | Q(
        body__unit__slug="plymouth"
    )
    mandates = (
        Mandate.objects.filter(starts_on__lt=now.date() - timedelta(days=90))
        .exclude(silent)
        .select_related("holder", "body")
        .order_by("pk")
    )
    for mandate in mandates:
        ago = days_ago.get(mandate.holder_id) or ctx.rng.randint(20, 75)
        with clock.frozen(now - timedelta(days=ago)):
            services.report_file(
                mandate=mandate,
                filed_by=mandate.holder,
                text=f"What I did as {mandate.office} of {mandate.body.name} this quarter: "
                "meetings held, decisions carried out, money spent, what is still to do.",
            )


def _recall(ctx) -> None:
    committee = ctx.bodies["national-committee"]
    mandate = Mandate.objects.filter(body=committee, office="Treasurer").first()
    movers = list(
        Member.objects.filter(status=Member.Status.MEMBER)
        .exclude(pk=mandate.holder_id)
        .order_by("-pk")[:6]
    )
    with clock.frozen(clock.now() - timedelta(days=3)):
        recall = services.recall_start(
            mandate=mandate,
            reason="No accountability report for over six months, and the accounts for the "
            "year have still not been presented to the committee.",
            started_by=movers[0],
        )
    for mover in movers[1:]:
        if recall.state != recall.State.GATHERING:
            break
        recall = services.recall_support(recall=recall, member=mover)
