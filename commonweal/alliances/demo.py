"""Demo outside organisations: the Leeds Bus Users' Campaign from the policy example (so the
proposal it prompted and the branch's consultation with it are linked), a union, and the
national unit's alliance with a movement in Spain with a statement published in two
languages."""

from datetime import timedelta

from commonweal.core import clock

from . import services


def _carried_by_the_committee(ctx, statement) -> None:
    """The rulebook wants the competent body's vote: the National Committee carried the
    statement as a motion at its meeting a week ago."""
    from commonweal.meetings import services as meetings
    from commonweal.meetings.demo import _officer, _present, _quorum_of
    from commonweal.meetings.models import Motion
    from commonweal.voting.demo import cast_bulk
    from commonweal.voting.models import Vote
    from commonweal.voting.services import vote_close

    committee = ctx.bodies["national-committee"]
    chair = _officer(committee, "chair") or ctx.people["admin"]
    start = (clock.now() - timedelta(days=7)).replace(hour=18, minute=0, second=0, microsecond=0)
    with clock.frozen(start - timedelta(days=7)):
        meeting = meetings.meeting_schedule(
            body=committee,
            kind="online",
            title="National Committee",
            opens_at=start,
            closes_at=start + timedelta(hours=2),
            video_url="https://meet.jit.si/commonweal-demo-national-committee",
            scheduled_by=chair,
        )
    with clock.frozen(start):
        meetings.meeting_open(meeting=meeting, opened_by=chair)
        present = _quorum_of(meeting, first=[chair.pk])
        _present(meeting, present, start)
        motion = services.joint_statement_put_to_meeting(
            actor=chair, statement=statement, meeting=meeting
        )
        meetings.motion_put_to_vote(
            motion=motion, chair=chair, closes_at=start + timedelta(minutes=20)
        )
        vote = Vote.objects.get(pk=Motion.objects.get(pk=motion.pk).vote_id)
        cast_bulk(vote, present, [["yes"], ["no"]], [9, 1], ctx.rng)
    with clock.frozen(start + timedelta(minutes=21)):
        vote_close(vote=vote, closed_by=chair)
        meetings.meeting_close(meeting=meeting, closed_by=chair)


def load(ctx) -> None:
    leeds, nation = ctx.units["leeds"], ctx.units["national"]
    secretary, member, admin = (
        ctx.people["leeds_secretary"],
        ctx.people["member"],
        ctx.people["admin"],
    )
    today = clock.now().date()

    campaign = services.organisation_create(
        actor=secretary,
        unit=leeds,
        name="Leeds Bus Users' Campaign",
        kind="campaign",
        country="GB",
        language="en",
        website="https://bususers.example.org",
        description="Passengers campaigning for frequent, affordable buses across Leeds.",
        status="cooperation",
    )
    relationship = campaign.relationships.get()
    services.relationship_holder_add(actor=secretary, relationship=relationship, member=member)
    services.contact_person_add(
        actor=secretary,
        relationship=relationship,
        name="Priya Shah",
        role="Campaign coordinator",
        email="priya@bususers.example.org",
        phone="0113 496 0123",
        consent_to="to be emailed and phoned about joint bus campaigns",
        consent_on=today - timedelta(days=60),
    )
    services.activity_record(
        actor=member,
        relationship=relationship,
        kind="joint_action",
        on=today - timedelta(days=20),
        summary="Leafleted the 42 route together: 600 leaflets on night buses.",
    )

    union = services.organisation_create(
        actor=secretary,
        unit=leeds,
        name="Yorkshire Bus Workers' Union",
        kind="union",
        country="GB",
        language="en",
        description="The union of bus drivers and depot staff in Yorkshire.",
        status="contact",
    )
    services.activity_record(
        actor=secretary,
        relationship=union.relationships.get(),
        kind="contact",
        on=today - timedelta(days=5),
        summary="Met the depot rep about the night-route rota.",
    )

    partner = services.organisation_create(
        actor=admin,
        unit=nation,
        name="Movimiento por el Transporte Público",
        kind="movement",
        country="ES",
        language="es",
        website="https://transportepublico.example.org",
        description="A movement in Spain for free, public and planned transport.",
        status="alliance",
    )
    alliance = partner.relationships.get()
    services.activity_record(
        actor=admin,
        relationship=alliance,
        kind="joint_action",
        on=today - timedelta(days=30),
        summary="A joint day of action for public transport in Leeds and Zaragoza.",
    )
    statement = services.joint_statement_draft(
        actor=admin,
        relationship=alliance,
        texts=[
            {
                "language": "en",
                "title": "Public transport is a right, in every country",
                "text": "Buses and trains belong to the people who ride and run them. "
                "We stand together for public ownership and fares people can afford.",
            },
            {
                "language": "es",
                "title": "El transporte público es un derecho, en todos los países",
                "text": "Los autobuses y los trenes pertenecen a quienes los usan y los hacen "
                "funcionar. Estamos juntos por la propiedad pública y tarifas asequibles.",
            },
        ],
    )
    _carried_by_the_committee(ctx, statement)
    services.joint_statement_publish(actor=admin, statement=statement)
    ctx.say("  outside organisations: 3, one alliance abroad with a statement in two languages")
