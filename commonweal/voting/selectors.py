"""Reading votes: who may vote, the vote page, the published ballots and receipts."""

from __future__ import annotations

import hashlib
import json
from datetime import datetime, timedelta
from typing import Any

from django.db.models import Count, Q, QuerySet, Subquery
from django.utils import timezone
from django.utils.formats import date_format
from django.utils.timesince import timeuntil
from django.utils.translation import gettext as _

from commonweal.organisation.models import BodyMembership, Unit

from . import counting
from .models import OpenBallot, Vote, VoterRoll

RECEIPT_ALPHABET = "ABCDEFGHIJKLMNOPQRSTUVWXYZ234567"


def may_see_vote(member: Any, vote: Vote) -> bool:
    """Others' votes and votes not yet opened (to those who cannot manage them) are not found."""
    if not member.has_perm("voting.view_vote", vote):
        return False
    return vote.state != Vote.State.DRAFT or member.has_perm("voting.manage_vote", vote)


def may_vote(member: Any, vote: Vote) -> bool:
    """Whether the member belongs to the vote's electorate (state and time aside)."""
    if not getattr(member, "is_authenticated", False) or not getattr(member, "is_member", False):
        return False
    return member.pk in eligible_voters(vote, [member.pk])


def eligible_voters(vote: Vote, member_ids: list[int]) -> set[int]:
    """Which of these members are in the vote's electorate, in one query."""
    from commonweal.members.models import Member

    members = Member.objects.filter(pk__in=member_ids, is_active=True, status=Member.Status.MEMBER)
    if vote.electorate_id is not None:
        # Paths are read fresh: adding a unit can renumber its siblings' paths.
        scope = Unit.objects.filter(pk=vote.electorate_id).values("path")
        members = members.filter(unit__path__startswith=Subquery(scope))
    else:
        seats = BodyMembership.objects.filter(body_id=vote.body_id, until=None)
        members = members.filter(pk__in=seats.values("member_id"))
    return set(members.values_list("pk", flat=True))


def electorate_in_scope(body: Any, unit: Any) -> bool:
    """Whether the unit lies within the body's scope (its unit or below), paths read fresh."""
    scope = Unit.objects.filter(pk=body.unit_id).values("path")
    return Unit.objects.filter(pk=unit.pk, path__startswith=Subquery(scope)).exists()


def electorates_for(bodies: QuerySet[Any]) -> QuerySet[Unit]:
    """The units a vote of any of these bodies may be put to: their scopes and below."""
    within = Q(pk__in=[])
    for path in bodies.values_list("unit__path", flat=True):
        within |= Q(path__startswith=path)
    return Unit.objects.filter(within).order_by("path")


def electorate_size(vote: Vote) -> int:
    """How many members may vote, counted when the vote closes."""
    from commonweal.members.models import Member
    from commonweal.organisation.selectors import members_in_scope

    if vote.electorate_id is not None:
        return members_in_scope(Unit.objects.get(pk=vote.electorate_id)).count()
    return BodyMembership.objects.filter(
        body_id=vote.body_id, until=None, member__status=Member.Status.MEMBER
    ).count()


def has_voted(member: Any, vote: Vote) -> bool:
    if not getattr(member, "pk", None):
        return False
    if vote.secret:
        return VoterRoll.objects.filter(vote=vote, member=member).exists()
    return OpenBallot.objects.filter(vote=vote, voter=member).exists()


def normalise_receipt(code: str) -> str:
    return "".join(ch for ch in (code or "").upper() if ch in RECEIPT_ALPHABET)


def receipt_hash(code: str) -> str:
    """What the published list shows for a receipt code: sha256 of its letters."""
    return hashlib.sha256(normalise_receipt(code).encode()).hexdigest()


def decode_ranking(vote: Vote, encoded: str) -> list[str]:
    return [vote.candidates[int(i)] for i in encoded.split(",")] if encoded else []


def grouped_rankings(vote: Vote) -> list[tuple[str, int]]:
    """Identical ballots counted in the database: (encoded ranking, count), in one query."""
    rows = vote.secret_ballots if vote.secret else vote.open_ballots
    return [(r["ranking"], r["n"]) for r in rows.values("ranking").annotate(n=Count("pk"))]


def election_dict(vote: Vote) -> dict[str, Any]:
    """The vote's ballots in the published format, identical ballots grouped and sorted."""
    groups = grouped_rankings(vote)
    data = {
        "method": vote.method,
        "seats": vote.seats,
        "candidates": list(vote.candidates),
        "ballots": [{"count": n, "ranking": decode_ranking(vote, r)} for r, n in groups],
    }
    return counting.election_to_dict(counting.parse_election(data))


def published_ballots_json(vote: Vote) -> str:
    """The canonical ballot file: its sha256 is the one the record holds for the vote."""
    return counting.canonical_json(counting.parse_election(election_dict(vote)))


def receipts_list(vote: Vote) -> list[dict[str, Any]]:
    """Every secret ballot as (sha256 of its receipt, ranking), sorted by the hash."""
    rows = vote.secret_ballots.order_by("receipt_hash").values_list("receipt_hash", "ranking")
    return [{"receipt_sha256": h, "ranking": decode_ranking(vote, r)} for h, r in rows]


def receipts_json(vote: Vote) -> str:
    return json.dumps(receipts_list(vote), separators=(",", ":"), ensure_ascii=False)


def receipt_lookup(vote: Vote, code: str) -> list[str] | None:
    """The ranking published under a receipt code, or None if no ballot carries it."""
    row = (
        vote.secret_ballots.filter(receipt_hash=receipt_hash(code))
        .values_list("ranking", flat=True)
        .first()
    )
    return None if row is None else decode_ranking(vote, row)


def vote_recount(vote: Vote) -> tuple[dict[str, Any], bool]:
    """Export a closed vote's ballots in the published format and count them again.

    Uses the same tally as the close, with the options and electorate size stored on the vote;
    returns the new result and whether it equals the stored one.
    """
    from . import tallying

    result = tallying.tally(
        json.loads(published_ballots_json(vote)),
        entitled=vote.entitled,
        quorum=tallying.quorum_required(vote.quorum_share, vote.entitled or 0),
        majority=vote.majority,
        base=vote.majority_base,
        strength=vote.schulze_strength,
        rule=vote.stv_rule,
    )
    result["quorum_share"] = vote.quorum_share
    return result, result == vote.result


def votes_visible(member: Any) -> QuerySet[Vote]:
    """Every vote except drafts that the member does not run."""
    from commonweal.organisation.selectors import officer_body_ids

    qs = Vote.objects.select_related("body", "electorate")
    if getattr(member, "is_superuser", False):
        return qs
    return qs.filter(~Q(state=Vote.State.DRAFT) | Q(body_id__in=officer_body_ids(member)))


def roll_call(vote: Vote) -> QuerySet[OpenBallot]:
    return vote.open_ballots.select_related("voter").order_by("voter__full_name", "pk")


def own_open_ballot(member: Any, vote: Vote) -> list[str] | None:
    if vote.secret or not getattr(member, "pk", None):
        return None
    encoded = (
        OpenBallot.objects.filter(vote=vote, voter=member).values_list("ranking", flat=True).first()
    )
    return None if encoded is None else decode_ranking(vote, encoded)


def moment_words(moment: datetime, now: datetime) -> str:
    """A moment as people say it: "Tuesday 14:00" within the week, else with its date."""
    local = timezone.localtime(moment)
    if abs(moment - now) < timedelta(days=6):
        return date_format(local, "l H:i")
    if local.year == timezone.localtime(now).year:
        return date_format(local, "l j F H:i")
    return date_format(local, "l j F Y H:i")


def time_words(vote: Vote, now: datetime) -> str:
    """How long the vote has left, in words: "closes in 2 days, 3 hours (Tuesday 14:00)"."""
    closes = moment_words(vote.closes_at, now)
    if vote.is_closed:
        return _("Closed %(when)s.") % {"when": moment_words(vote.closed_at or vote.closes_at, now)}
    if vote.state == Vote.State.DRAFT:
        return _("Not open yet; it is set to close %(when)s.") % {"when": closes}
    if now >= vote.closes_at:
        return _("Voting time ended %(when)s; the ballots are being counted.") % {"when": closes}
    return _("Closes in %(left)s (%(when)s).") % {
        "left": timeuntil(vote.closes_at, now, depth=2),
        "when": closes,
    }


def ballot_words(vote: Vote, *, eligible: bool, voted: bool) -> str:
    """Whether the member has voted: what the roll already records, nothing of the ballot."""
    if voted:
        return _("You have voted.")
    if not eligible:
        return _("You are not in this vote's electorate.")
    if vote.is_open:
        return _("You have not voted yet.")
    if vote.is_closed:
        return _("You did not vote.")
    return _("You may vote once it opens.")


def vote_page(vote: Vote, member: Any) -> dict[str, Any]:
    """What the vote page shows this member."""
    from commonweal.core import clock

    now = clock.now()
    voted = has_voted(member, vote)
    eligible = may_vote(member, vote)
    window_open = vote.is_open and now < vote.closes_at
    return {
        "vote": vote,
        "may_vote": eligible,
        "has_voted": voted,
        "time_words": time_words(vote, now),
        "ballot_words": ballot_words(vote, eligible=eligible, voted=voted),
        "may_cast": eligible and window_open and (not voted or vote.allow_change),
        "own_ballot": own_open_ballot(member, vote),
        "may_manage": member.has_perm("voting.manage_vote", vote),
        "turnout_so_far": (
            VoterRoll.objects.filter(vote=vote).count()
            if vote.secret
            else OpenBallot.objects.filter(vote=vote).count()
        ),
    }


def member_export(member: Any) -> dict[str, Any]:
    """The open ballots a member cast and the secret votes they took part in.

    A secret ballot's content is not linked to the member, so it cannot be exported.
    """
    return {
        "open_ballots": [
            {
                "vote": b.vote_id,
                "title": b.vote.title,
                "ranking": decode_ranking(b.vote, b.ranking),
                "cast_at": b.cast_at.isoformat(),
            }
            for b in OpenBallot.objects.filter(voter=member).select_related("vote")
        ],
        "secret_votes_taken_part_in": list(
            VoterRoll.objects.filter(member=member).values_list("vote_id", flat=True)
        ),
    }


def needs(seeker: Any) -> list[Any]:
    """Open votes the member may cast and has not, closing soonest first; for a national
    officer, how many votes are open across the organisation."""
    from django.urls import reverse
    from django.utils.translation import gettext as _

    from commonweal.members.needs import Need, listed

    member = seeker.member
    electorate = Q(electorate__isnull=True, body_id__in=seeker.body_ids) | Q(
        electorate__path__in=seeker.unit_line
    )
    open_now = Vote.objects.filter(state=Vote.State.OPEN, closes_at__gt=seeker.now)
    uncast = (
        open_now.filter(electorate)
        .exclude(pk__in=VoterRoll.objects.filter(member=member).values("vote_id"))
        .exclude(pk__in=OpenBallot.objects.filter(voter=member).values("vote_id"))
        .select_related("body")
        .order_by("closes_at", "pk")
    )
    found = listed(
        uncast,
        lambda vote: Need(
            kind="vote",
            title=_("Vote: %(title)s") % {"title": vote.title},
            detail=vote.body.name,
            url=reverse("voting:detail", args=[vote.pk]),
            nav="voting:list",
            due=vote.closes_at,
        ),
        lambda rest: Need(
            kind="vote",
            title=_("More open votes you have not cast"),
            url=reverse("voting:list"),
            nav="voting:list",
            count=rest,
        ),
    )
    if seeker.national:
        found.append(
            Need(
                kind="votes_open",
                title=_("Votes open across the organisation"),
                url=reverse("voting:list"),
                nav="voting:list",
                count=open_now.count(),
                overview=True,
            )
        )
    return found


def open_votes_blocking(body_ids: list[int]) -> list[str]:
    """An open or prepared vote of a body that would close: it must be closed first."""
    from django.utils.translation import ngettext

    count = Vote.objects.filter(body_id__in=body_ids).exclude(state=Vote.State.CLOSED).count()
    if not count:
        return []
    return [
        ngettext(
            "%(n)d vote is open or being prepared: close it first.",
            "%(n)d votes are open or being prepared: close them first.",
            count,
        )
        % {"n": count}
    ]
