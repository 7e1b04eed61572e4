"""Demo: the Leeds bus drivers' strike, Leeds's interventions in it (one assessed with a
lesson shared with everyone, one carried out and overdue for its assessment, one waiting
for the branch's vote on standing in a by-election) and a member's report of a walk-out."""

from datetime import timedelta

from commonweal.alliances.models import OutsideOrganisation
from commonweal.core import clock
from commonweal.library.models import Document
from commonweal.organisation.selectors import assembly_of

from . import services


def load(ctx) -> None:
    now = clock.now()
    today = now.date()
    leeds = ctx.units["leeds"]
    assembly = assembly_of(leeds)
    secretary = ctx.people["leeds_secretary"]
    # The passengers' campaign that backs the drivers (alliances' demo records it).
    bus_users = list(OutsideOrganisation.objects.filter(name="Leeds Bus Users' Campaign"))
    with clock.frozen(now - timedelta(days=40)):
        strike = services.struggle_create(
            by=secretary,
            title="Leeds bus drivers' strike",
            kind="strike",
            unit=leeds,
            since=today - timedelta(days=42),
            involvement="taking_part",
            description=(
                "Drivers at the two Leeds depots strike over a real-terms pay cut and split "
                "shifts. Passengers' groups back them; the company threatens cuts to routes."
            ),
            members=[p for p in (secretary, ctx.people.get("member")) if p and p.pk],
            organisations=bus_users,
        )
        services.struggle_event_add(
            struggle=strike,
            by=secretary,
            happened_on=today - timedelta(days=42),
            text="First 24-hour strike; both depots out, no buses in the city.",
            source="https://news.example.org/leeds-bus-strike",
        )
        leaflet = services.intervention_plan(
            struggle=strike,
            body=assembly,
            by=secretary,
            title="Leaflet passengers at the bus station",
            kind="leaflet",
            aims=(
                "Explain to passengers why the drivers strike, and win 200 signatures for the "
                "drivers' claim."
            ),
            assess_on=today - timedelta(days=10),
        )
        collection = services.intervention_plan(
            struggle=strike,
            body=assembly,
            by=secretary,
            title="Solidarity collection on the picket line",
            kind="solidarity_action",
            aims="Raise £500 for the strike fund and meet the drivers on the picket line.",
            organisations=bus_users,
            assess_on=today - timedelta(days=3),
        )
    with clock.frozen(now - timedelta(days=30)):
        photo = Document.objects.filter(body=assembly, title="Stall photo").first()
        services.struggle_event_add(
            struggle=strike,
            by=secretary,
            happened_on=today - timedelta(days=30),
            text="Our stall at the bus station; drivers joined us.",
            document=photo,
        )
        for intervention in (leaflet, collection):
            services.intervention_start(intervention=intervention, by=secretary)
    with clock.frozen(now - timedelta(days=20)):
        services.intervention_report(
            intervention=leaflet,
            by=secretary,
            report="Eight members leafleted for two mornings: 1,500 leaflets, 140 signatures.",
        )
        services.intervention_report(
            intervention=collection,
            by=secretary,
            report="£620 collected over three days; the drivers asked us back.",
        )
    with clock.frozen(now - timedelta(days=9)):
        assessment = services.intervention_assess(
            intervention=leaflet,
            by=secretary,
            worked="Passengers took the leaflets and many were sympathetic; drivers saw us.",
            failed="140 signatures, not the 200 we aimed for.",
            why="We came after the morning rush; people in a hurry do not stop to sign.",
            lessons=[
                {
                    "title": "Leaflet commuters before 7am, and collect signatures at midday",
                    "text": "The rush hour is for leaflets; signatures need people who can stop.",
                    "tags": ["leaflets", "timing", "strikes"],
                    "shared": True,
                }
            ],
        )
    _lesson_as_case(ctx, assessment.lessons.get())
    election = services.intervention_plan(
        struggle=strike,
        body=assembly,
        by=secretary,
        title="Stand in the Hunslet by-election as a platform for the strike",
        kind="election",
        aims="Put the drivers' claim and public ownership of the buses before every voter.",
        assess_on=today + timedelta(days=60),
    )
    member = ctx.people.get("member")
    if member is not None and member.pk:
        services.spontaneous_action_report(
            by=member,
            unit=leeds,
            what="Cleaners at St James's walked out this morning over unpaid wages.",
            seen_on=today,
        )
    ctx.say(
        "  interventions: a strike, 3 interventions (one assessed with a lesson, one overdue, "
        f"one awaiting the branch's vote: #{election.pk}), a spontaneous action reported"
    )


def _lesson_as_case(ctx, lesson) -> None:
    """The strike's shared lesson becomes case material in the dialectics course's module on
    theory and practice: a second version of the course, as its authors would publish it."""
    from commonweal.training import services as training
    from commonweal.training.models import Course

    from .cases import KIND

    course = Course.objects.filter(slug="materialist-dialectics").first()
    if course is None:
        return
    author = ctx.people["admin"]
    draft = training.course_draft(actor=author, course=course)
    module = draft.modules.get(title="Theory and practice")
    training.case_attach(actor=author, module=module, kind=KIND, object_id=lesson.pk)
    training.course_publish(
        actor=author, course=course, note="A lesson from the bus strike as case material."
    )
