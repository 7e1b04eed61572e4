"""Demo decisions with actions (some done on time, some overdue).

The decisions that come out of demo votes are added by the voting demo, which loads later;
a tendency's minority position on the bus fares decision by the discussion demo. The Leeds
branch's secretary enters a decision its assembly took at a meeting held offline.
"""

from datetime import timedelta

from commonweal.core import clock
from commonweal.organisation.selectors import assembly_of
from commonweal.rulebook.selectors import current

from . import services
from .models import Decision


def load(ctx) -> None:
    now = clock.now()
    today = now.date()
    committee = ctx.bodies["national-committee"]
    transport, housing = ctx.bodies["transport"], ctx.bodies["housing"]
    version = current().version
    with clock.frozen(now - timedelta(days=60)):
        campaign = services.decision_record(
            kind="motion",
            title="Launch a national campaign for council housing",
            text=(
                "The organisation launches a campaign for a million new council homes. "
                "The housing section prepares the materials; every region holds a launch meeting."
            ),
            body=committee,
            rulebook_version=version,
            notify_bodies=[housing],
        )
        services.action_add(
            decision=campaign,
            what="Prepare the campaign leaflet and briefing",
            owner_body=housing,
            due_on=today - timedelta(days=40),
            added_by=None,
        )
        overdue = services.action_add(
            decision=campaign,
            what="Hold a launch meeting in every region",
            owner_member=ctx.people["leeds_secretary"],
            due_on=today - timedelta(days=10),
            added_by=None,
        )
    with clock.frozen(now - timedelta(days=45)):
        leaflet = campaign.actions.get(owner_body=housing)
        services.action_report(
            action=leaflet,
            text="Leaflet printed and briefing sent to every branch.",
            percent=100,
            status="done",
            reported_by=ctx.people["housing_chair"],
        )
    with clock.frozen(now - timedelta(days=20)):
        services.action_report(
            action=overdue,
            text="North and South have held theirs; the Midlands is still looking for a venue.",
            percent=60,
            status="in_progress",
            reported_by=ctx.people["leeds_secretary"],
        )
    with clock.frozen(now - timedelta(days=30)):
        fares = services.decision_record(
            kind="policy",
            title="Transport section position on bus fares",
            text="The section calls for a flat fare of £1 on all local buses as a first step "
            "towards free public transport.",
            body=transport,
            rulebook_version=version,
        )
        services.action_add(
            decision=fares,
            what="Write to every council transport committee",
            owner_member=ctx.people["transport_chair"],
            due_on=today + timedelta(days=14),
            added_by=None,
        )
    # A branch meeting held in a pub's back room, entered afterwards by its secretary.
    services.decision_enter(
        body=assembly_of(ctx.units["leeds"]),
        title="Stall at the Leeds summer fair",
        text="The branch runs a stall at the summer fair, staffed in two-hour shifts.",
        taken_on=today - timedelta(days=12),
        basis=Decision.Basis.MEETING,
        entered_by=ctx.people["leeds_secretary"],
    )
    ctx.say("  decisions: 2 with actions (one overdue), 1 taken at an offline meeting")
