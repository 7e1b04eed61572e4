"""Elections at a meeting: nominations, the vote, and mandates for the elected."""

from datetime import datetime
from typing import Any

from django.db import IntegrityError, transaction
from django.utils.translation import gettext as _

from commonweal.core import clock
from commonweal.core.errors import Conflict, Refused
from commonweal.core.markdown import clean_plain
from commonweal.organisation import candidacy
from commonweal.organisation.models import Body
from commonweal.organisation.services import mandate_grant
from commonweal.record.services import record_append, subject_of

from ..models import (
    AgendaItem,
    Election,
    Nomination,
)
from ._common import (
    _require_chair,
    _require_not_closed,
    _require_participant,
    _require_quorum,
    _require_running,
    meeting_url,
)
from .minutes import minutes_recipients


def candidate_nominate(*, item: AgendaItem, candidate: Any, nominated_by: Any) -> Nomination:
    """Nominate a member (oneself, or anyone if chairing) in an election item."""
    meeting = item.meeting
    if item.kind != AgendaItem.Kind.ELECTION:
        raise Refused(_("Candidates are nominated in election items."))
    _require_not_closed(meeting)
    if candidate.pk != nominated_by.pk:
        _require_chair(nominated_by, meeting)
    else:
        _require_participant(nominated_by, meeting)
    if not candidate.is_member:
        raise Refused(_("Only members in good standing can stand."), field="candidate")
    if getattr(item, "vote_id", None):
        raise Conflict(_("The election is already under way; nominations are closed."))
    # The office is named when the election opens; until then the item's title names it.
    candidacy.require(candidate, item.title, meeting.body)
    label = candidate.display_name
    if item.nominations.filter(label=label).exists():
        label = f"{label} (#{candidate.pk})"
    try:
        with transaction.atomic():
            nomination = Nomination.objects.create(
                item=item,
                candidate=candidate,
                label=label,
                nominated_by=nominated_by,
                nominated_at=clock.now(),
            )
            record_append(
                kind="election.nominated",
                subject=item,
                actor=nominated_by,
                payload={"candidate": candidate.pk},
            )
    except IntegrityError as exc:
        raise Conflict(_("%(name)s is already a candidate.") % {"name": label}) from exc
    return nomination


def election_open(
    *,
    item: AgendaItem,
    chair: Any,
    office: str,
    seats: int,
    closes_at: datetime,
    secret: bool = True,
    to_body: Body | None = None,
) -> Election:
    """Put an election item to a single transferable vote among its candidates."""
    from commonweal.voting.services import vote_create, vote_open

    meeting = item.meeting
    _require_chair(chair, meeting)
    if item.kind != AgendaItem.Kind.ELECTION:
        raise Refused(_("Only an election item is put to an election."))
    _require_running(meeting)
    _require_quorum(meeting)
    office = clean_plain(office)[:120]
    if not office:
        raise Refused(_("Name the office, for example Committee member."), field="office")
    with transaction.atomic():
        item = AgendaItem.objects.select_for_update().get(pk=item.pk)
        if item.vote_id:
            raise Conflict(_("This election is already under way."))
        nominations = list(item.nominations.select_related("candidate"))
        refused = [
            f"{n.label}: {' '.join(reasons)}"
            for n in nominations
            if (reasons := candidacy.refusals(n.candidate, office, to_body or meeting.body))
        ]
        if refused:
            raise Refused(
                _("Not every candidate may stand for %(office)s. %(why)s")
                % {"office": office, "why": " ".join(refused)},
                field="office",
            )
        labels = [n.label for n in nominations]
        if len(labels) <= seats:
            raise Refused(
                _("An election needs more candidates than seats (%(n)s candidates).")
                % {"n": len(labels)},
                field="seats",
            )
        election = Election.objects.create(
            item=item, to_body=to_body or meeting.body, office=office, seats=seats
        )
        vote = vote_create(
            title=f"{item.title}: {office}",
            body=meeting.body,
            method="stv",
            candidates=labels,
            seats=seats,
            secret=secret,
            electorate=meeting.scope if meeting.is_econference else None,
            closes_at=closes_at,
            created_by=chair,
            subject=subject_of(item),
            on_close="commonweal.meetings.services.election_vote_closed",
            meeting=meeting,
            agenda_item=item,
        )
        vote_open(vote=vote, opened_by=chair)
        item.vote_id = vote.pk
        item.save(update_fields=["vote_id"])
        record_append(
            kind="election.opened",
            subject=item,
            actor=chair,
            payload={"vote": vote.pk, "seats": seats},
        )
    return election


def election_vote_closed(vote: Any) -> None:
    """Closing step of an election: the elected receive mandates, recorded as one decision."""
    from commonweal.decisions.services import decision_record

    item = AgendaItem.objects.select_related("meeting__body", "election__to_body").get(
        vote_id=vote.pk
    )
    winners = (vote.result or {}).get("winners") or []
    if not (vote.result or {}).get("effective") or not winners:
        return
    election = item.election
    by_label = {n.label: n.candidate for n in item.nominations.select_related("candidate")}
    elected = [by_label[label] for label in winners]
    decision = decision_record(
        kind="election",
        title=_("%(office)s of %(body)s elected")
        % {"office": election.office, "body": election.to_body.name},
        text=", ".join(m.display_name for m in elected),
        body=item.meeting.body,
        rulebook_version=vote.rulebook_version,
        vote=vote,
        meeting=item.meeting,
        subject=subject_of(item),
        link=meeting_url(item.meeting),
        notify_bodies=[*minutes_recipients(item.meeting), election.to_body],
    )
    for member in elected:
        mandate_grant(
            body=election.to_body, holder=member, office=election.office, decision=decision
        )
    election.decision = decision
    election.save(update_fields=["decision"])
