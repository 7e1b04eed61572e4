"""Stalls: the periodic sweep expires unsupported proposals and reminds chairs of late steps."""

from datetime import datetime

from django.db import transaction
from django.utils.translation import gettext as _

from commonweal.core import clock
from commonweal.notifications.services import notify
from commonweal.record.services import record_append
from commonweal.rulebook.selectors import current

from ..models import SECTION_STAGES, Proposal, Stage
from ._common import _thread
from .support import proposal_expire


def _chairs(section_id: int) -> list[int]:
    from commonweal.organisation.models import BodyMembership
    from commonweal.organisation.selectors import officer_memberships

    return list(
        officer_memberships(body_id=section_id, role=BodyMembership.Role.CHAIR).values_list(
            "member_id", flat=True
        )
    )


def proposals_sweep(*, now: datetime | None = None) -> dict[str, int]:
    """Expire unsupported proposals, flag stalled steps, remind chairs once a day.

    Safe to run any number of times: each proposal is changed under its own lock
    and a chair is reminded at most once per calendar day.
    """
    now = now or clock.now()
    today = now.date()
    done = {"expired": 0, "stalled": 0, "reminded": 0}
    due = Proposal.objects.filter(stage=Stage.PROPOSED, stage_deadline__lte=now)
    for proposal in due.only("pk").iterator(chunk_size=500):
        done["expired"] += proposal_expire(proposal=proposal)
    rulebook = current()
    # Once the e-conference is called the proposal waits on its vote, not on the section.
    late = (
        Proposal.objects.filter(
            stage__in=SECTION_STAGES, stage_deadline__lte=now, stalled_since=None
        )
        .exclude(stage=Stage.APPROVAL, approval__isnull=False)
        .values_list("pk", flat=True)
    )
    for pk in list(late):
        with transaction.atomic():
            proposal = Proposal.objects.select_for_update().get(pk=pk)
            if proposal.stage not in SECTION_STAGES or proposal.stalled_since is not None:
                continue
            proposal.stalled_since = proposal.stage_deadline
            proposal.save(update_fields=["stalled_since"])
            record_append(
                kind="policy.stalled",
                subject=proposal,
                payload={"proposal": proposal.pk, "stage": proposal.stage},
                rulebook_version=rulebook.version,
            )
            done["stalled"] += 1
    to_remind = (
        Proposal.objects.filter(stage__in=SECTION_STAGES, stalled_since__isnull=False)
        .exclude(stall_notified_on=today)
        .values_list("pk", flat=True)
    )
    for pk in list(to_remind):
        with transaction.atomic():
            proposal = (
                Proposal.objects.select_for_update(of=("self",))
                .select_related("section")
                .get(pk=pk)
            )
            if proposal.stalled_since is None or proposal.stall_notified_on == today:
                continue
            proposal.stall_notified_on = today
            proposal.save(update_fields=["stall_notified_on"])
            days = (now - proposal.stalled_since).days
            notify(
                kind="policy.stalled",
                title=_("Stalled for %(days)s days: “%(title)s” at the %(stage)s step")
                % {"days": days, "title": proposal.title, "stage": proposal.get_stage_display()},
                link=proposal.get_absolute_url(),
                members=_chairs(proposal.section_id),
                urgent=True,
                thread=_thread(proposal),
            )
            done["reminded"] += 1
    return done
