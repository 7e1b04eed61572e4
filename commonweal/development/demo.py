"""Demo development: plans, a mentoring pair, someone looking for a mentor."""

from datetime import timedelta

from commonweal.core import clock
from commonweal.development import services
from commonweal.members.models import Member


def load(ctx) -> None:
    ana = ctx.people["member"]
    tom = ctx.people["leeds_secretary"]
    maya = ctx.people["transport_chair"]
    today = clock.now().date()

    plan = services.plan_save(
        member=ana,
        aims="Become confident chairing meetings and speaking for the branch in public.",
        share_with_officers=True,
    )
    chairing = services.goal_add(member=ana, plan=plan, title="Chair a branch meeting")
    for title, days, done in (
        ("Complete the chairing course", -20, True),
        ("Take the minutes of a meeting, to learn the order of business", -5, True),
        ("Chair the March branch meeting", 40, False),
    ):
        step = services.step_add(
            member=ana, goal=chairing, title=title, due_on=today + timedelta(days=days)
        )
        if done:
            services.step_mark(member=ana, step=step, done=True)
    speaking = services.goal_add(member=ana, plan=plan, title="Speak at a public meeting")
    services.step_add(
        member=ana,
        goal=speaking,
        title="Prepare a five-minute talk on the bus cuts",
        due_on=today + timedelta(days=21),
    )

    tom_plan = services.plan_save(
        member=tom,
        aims="Learn to mentor newer members and read more theory.",
        share_with_officers=False,
    )
    reading = services.goal_add(member=tom, plan=tom_plan, title="Read with a study group")
    services.step_add(
        member=tom, goal=reading, title="Join the reading group", due_on=today + timedelta(days=14)
    )

    # The mentoring pair: Ana asked, the branch secretary offered and accepted.
    mentoring = services.mentoring_ask(
        member=ana, note="Chairing and public speaking; I get nervous in front of a room."
    )
    services.mentor_offer(mentoring=mentoring, mentor=tom)
    services.mentoring_accept(mentoring=mentoring, mentor=tom)

    services.plan_save(
        member=maya,
        aims="Lead the transport section's work towards the national conference.",
        share_with_officers=False,
    )
    # Someone in Leeds is still looking for a mentor.
    seeker = (
        Member.objects.filter(unit=ana.unit, status=Member.Status.MEMBER)
        .exclude(pk__in=[p.pk for p in ctx.people.values()])
        .order_by("pk")
        .first()
    )
    if seeker is not None:
        services.mentoring_ask(member=seeker, note="I want to learn how to organise a campaign.")
