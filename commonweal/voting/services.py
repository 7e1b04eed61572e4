"""Creating, opening, casting in and closing votes.

Secret votes keep who voted (``VoterRoll``) apart from what was voted (``SecretBallot``);
``docs/secret-ballots.md`` explains the receipts, vote changes and idempotent retries.
"""

from __future__ import annotations

import base64
import hashlib
import hmac
import random
import secrets
import uuid
from dataclasses import dataclass
from datetime import datetime
from typing import Any

from django.conf import settings
from django.core.cache import cache
from django.db import IntegrityError, connection, transaction
from django.utils.module_loading import import_string
from django.utils.translation import gettext as _

from commonweal.core import clock
from commonweal.core.errors import Conflict, NotPermitted, Refusals, Refused
from commonweal.core.markdown import clean_plain
from commonweal.core.ratelimit import RateLimited, check_rates
from commonweal.notifications.services import notify
from commonweal.record.payload import content_sha256
from commonweal.record.services import record_append
from commonweal.rulebook.selectors import current as current_rulebook

from . import counting, selectors, tallying
from .models import OpenBallot, SecretBallot, Vote, VoterRoll

MAJORITY_CANDIDATES = ["yes", "no", "abstain"]
MIN_SECRET_KEY_LENGTH = 16
# Casting and changing ballots, counted together. A member voting through an e-conference's
# items, or changing their mind, stays well under the first; the second lets a whole venue
# vote from one shared address (two ballots a second) while stopping one address driving
# many accounts faster than that.
CAST_RATE_PER_ACCOUNT = "30/10m"
CAST_RATE_PER_ADDRESS = "1200/10m"
# How long a keyed secret cast's receipt is kept in the cache for a client's retry.
RETRY_WINDOW = 3600


def vote_create(
    *,
    title: str,
    body: Any,
    method: str,
    candidates: list[str] | None = None,
    seats: int = 1,
    secret: bool = False,
    electorate: Any = None,
    opens_at: datetime | None = None,
    closes_at: datetime,
    created_by: Any,
    subject: str = "",
    on_close: str = "",
    majority: str | None = None,
    meeting: Any = None,
    agenda_item: Any = None,
) -> Vote:
    """Create a draft vote under the rulebook in force; its rules are fixed now.

    ``created_by=None`` is the platform itself (a process step calling a vote).
    """
    if created_by is not None and not created_by.has_perm("voting.create_vote", body):
        raise NotPermitted(_("Only the officers of %(body)s may call a vote.") % {"body": body})
    rulebook = current_rulebook()
    rules = rulebook.section("votes")
    # Every field's problem is found before any is refused, so the form shows them together.
    found = Refusals()
    title = clean_plain(title)
    if not title:
        found.add(Refused(_("A vote needs a title."), field="title"))
    if method not in rules["methods"]:
        found.add(
            Refused(
                _("The rulebook does not allow the voting method “%(method)s”.")
                % {"method": method},
                field="method",
            )
        )
    with found:
        candidates = _check_candidates(method, candidates, seats)
    with found:
        _check_electorate(body, electorate)
    now = clock.now()
    if closes_at <= max(opens_at or now, now):
        found.add(Refused(_("A vote must close after it opens, in the future."), field="closes_at"))
    majority = majority or rules["default_majority"]
    if majority not in ("simple", "absolute", "two_thirds"):
        found.add(Refused(_("Unknown majority “%(m)s”.") % {"m": majority}, field="majority"))
    if on_close:
        try:
            import_string(on_close)
        except ImportError:
            found.add(Refused(_("The closing step “%(p)s” does not exist.") % {"p": on_close}))
    found.raise_any()
    base = rules["majority_base"]
    if majority == "absolute" and base == "yes_no":
        base = "entitled"
    with transaction.atomic():
        vote = Vote.objects.create(
            title=title,
            body=body,
            method=method,
            candidates=candidates,
            seats=seats,
            secret=secret,
            electorate=electorate,
            opens_at=opens_at,
            closes_at=closes_at,
            subject=subject,
            on_close=on_close,
            meeting_id=getattr(meeting, "pk", meeting),
            agenda_item_id=getattr(agenda_item, "pk", agenda_item),
            majority=majority,
            majority_base=base,
            quorum_share=float(rulebook["meetings.quorum"]),
            schulze_strength=tallying.SCHULZE_STRENGTHS[rules["schulze_strength"]],
            stv_rule=rules["stv_rule"],
            allow_change=bool(rules["allow_vote_change"]),
            rulebook_version=rulebook.version,
            created_by=created_by,
            created_at=now,
        )
        record_append(
            kind="vote.created",
            subject=vote,
            actor=created_by,
            payload={
                "body": body.pk,
                "method": method,
                "secret": secret,
                "seats": seats,
                "electorate": getattr(electorate, "pk", None),
            },
            rulebook_version=rulebook.version,
        )
    return vote


def _check_electorate(body: Any, electorate: Any) -> None:
    """A body puts votes only to members in its own scope, whoever calls the vote."""
    if electorate is not None and not selectors.electorate_in_scope(body, electorate):
        raise Refused(
            _("%(unit)s is outside the scope of %(body)s; choose %(scope)s or a unit below it.")
            % {"unit": electorate, "body": body, "scope": body.unit},
            field="electorate",
        )


def _check_candidates(method: str, candidates: list[str] | None, seats: int) -> list[str]:
    if method == "majority":
        if seats != 1:
            raise Refused(_("A yes/no vote has one outcome."), field="seats")
        return list(MAJORITY_CANDIDATES)
    names = [clean_plain(str(c))[:120] for c in (candidates or [])]
    if any(not n for n in names):
        raise Refused(_("Every candidate needs a name."), field="candidates")
    if len(set(names)) != len(names):
        raise Refused(_("A candidate is listed twice."), field="candidates")
    if len(names) < 2:
        raise Refused(_("A choice needs at least two candidates."), field="candidates")
    if not 1 <= seats <= len(names) - (1 if method == "stv" else 0):
        raise Refused(
            _("The number of seats must be between 1 and %(n)s.")
            % {"n": len(names) - (1 if method == "stv" else 0)},
            field="seats",
        )
    return names


def vote_open(*, vote: Vote, opened_by: Any) -> Vote:
    """Open a draft vote for ballots and tell the electorate."""
    if opened_by is not None and not opened_by.has_perm("voting.manage_vote", vote):
        raise NotPermitted(_("Only the officers of the body may open this vote."))
    with transaction.atomic():
        vote = Vote.objects.select_for_update().get(pk=vote.pk)
        if vote.state != Vote.State.DRAFT:
            raise Conflict(_("This vote has already been opened."))
        _check_electorate(vote.body, vote.electorate)
        now = clock.now()
        if vote.closes_at <= now:
            raise Conflict(_("This vote's closing time has passed; it cannot be opened."))
        vote.state = Vote.State.OPEN
        vote.opened_at = now
        vote.save(update_fields=["state", "opened_at"])
        record_append(
            kind="vote.opened",
            subject=vote,
            actor=opened_by,
            payload={
                "closes_at": vote.closes_at.isoformat(),
                "candidates": len(vote.candidates),
                "candidates_sha256": content_sha256(vote.candidates),
            },
            rulebook_version=vote.rulebook_version,
        )
        notify(
            kind="vote.opened",
            title=_("Vote open: %(title)s") % {"title": vote.title},
            link=f"/votes/{vote.pk}/",
            members=(),
            bodies=[] if vote.electorate_id else [vote.body_id],
            units=[vote.electorate_id] if vote.electorate_id else [],
            actor=opened_by,
            thread=f"voting.vote:{vote.pk}",
        )
    return vote


def _key_hash(vote: Vote, key: str | None) -> str:
    """An open ballot's retry marker (an open ballot is public: the roll call)."""
    if not key:
        return ""
    return hashlib.sha256(f"idempotency:{vote.pk}:{key}".encode()).hexdigest()


def _format_receipt(raw: bytes) -> str:
    letters = base64.b32encode(raw).decode().rstrip("=")
    return "-".join(letters[i : i + 4] for i in range(0, len(letters), 4))


def _new_receipt() -> str:
    """A receipt code of 120 random bits: nothing the client sends goes into it, so no
    guess of a client's idempotency key can lead to it."""
    return _format_receipt(secrets.token_bytes(15))


def _keyed(purpose: str, *parts: Any) -> str:
    message = ":".join([purpose, *(str(p) for p in parts)])
    return hmac.new(settings.SECRET_KEY.encode(), message.encode(), hashlib.sha256).hexdigest()


def _roll_receipt_mac(vote: Vote, receipt: str) -> str:
    """What the roll keeps of its member's receipt: a keyed hash that only the code opens."""
    return _keyed("roll-receipt", vote.pk, selectors.normalise_receipt(receipt))


def _retry_slot(vote: Vote, voter: Any, key: str) -> str:
    """Where a keyed cast's receipt waits in the cache (never the database) for a retry.

    The member is part of it: two members whose clients send the same key (a client with a
    fixed key) get their own receipts."""
    return "voting.retry:" + _keyed("retry", vote.pk, voter.pk, key)


def _keep_for_retries(vote: Vote, answered: list[tuple[Any, str | None, str]]) -> None:
    """Remember (member, key, receipt) for RETRY_WINDOW so a retry gets the same receipt.

    Written before the commit, so a retry racing the first request finds it; a retry of a
    request whose transaction failed finds the member off the roll and casts afresh."""
    slots = {_retry_slot(vote, voter, key): receipt for voter, key, receipt in answered if key}
    if slots:
        cache.set_many(slots, timeout=RETRY_WINDOW)


def _kept_receipts(vote: Vote, asked: list[tuple[Any, str]]) -> dict[str, str]:
    """The receipts kept for these (member, key) retries, by slot."""
    return cache.get_many([_retry_slot(vote, voter, key) for voter, key in asked])


def _encode_ranking(vote: Vote, ranking: Any) -> str:
    """Check a ranking and encode it as candidate indices; refuse it with a clear reason."""
    if not isinstance(ranking, list | tuple) or not all(isinstance(c, str) for c in ranking):
        raise Refused(_("A ballot is a list of candidate names."), field="ranking")
    index = {name: i for i, name in enumerate(vote.candidates)}
    seen: set[str] = set()
    for name in ranking:
        if name not in index:
            raise Refused(
                _("“%(name)s” is not a candidate in this vote.") % {"name": name[:120]},
                field="ranking",
            )
        if name in seen:
            raise Refused(
                _("“%(name)s” appears more than once on the ballot.") % {"name": name},
                field="ranking",
            )
        seen.add(name)
    if vote.method == "majority" and len(ranking) != 1:
        raise Refused(_("Choose one of yes, no or abstain."), field="ranking")
    if vote.method in ("schulze", "stv") and not ranking:
        raise Refused(_("Rank at least one candidate."), field="ranking")
    return ",".join(str(index[name]) for name in ranking)


def _lock_vote_for_casting(vote_id: int) -> Vote | None:
    """Read the vote under a shared lock (None if there is no such vote): casts run side
    by side, but the close (which takes an exclusive lock) waits for them and they wait
    for it. One statement reads and locks."""
    if connection.vendor == "postgresql":
        found = list(
            Vote.objects.raw("SELECT * FROM voting_vote WHERE id = %s FOR SHARE", [vote_id])
        )
        return found[0] if found else None
    return Vote.objects.filter(pk=vote_id).first()


def cast_rate_check(*, member: Any, ip: str | None) -> None:
    """Refuse (429, with the wait) a member or an address casting too often.

    Called by the vote page and the API before casting; the counters are shared by every
    web process (commonweal.core.ratelimit).
    """
    refusal = _cast_rate_refusals([(member, ip)])[0]
    if refusal is not None:
        raise refusal


def _check_secret_key(vote: Vote, idempotency_key: str | None) -> None:
    """A short key is soon reused by a client for another request, which would then get
    the earlier request's answer (the receipt itself never depends on the key)."""
    if vote.secret and idempotency_key and len(idempotency_key) < MIN_SECRET_KEY_LENGTH:
        raise Refused(
            _("An idempotency key for a secret ballot must be at least 16 random characters."),
            field="idempotency_key",
        )


def _check_open_for_casting(vote: Vote) -> None:
    if vote.state == Vote.State.DRAFT:
        raise Conflict(_("This vote is not open yet."))
    if vote.state == Vote.State.CLOSED or clock.now() >= vote.closes_at:
        raise Conflict(_("This vote has closed; no more ballots can be cast."))


def _cast_rate_refusals(casts: list[tuple[Any, str | None]]) -> list[RateLimited | None]:
    """Each (member, address) cast's refusal (429) or None; one round trip for both limits."""
    return check_rates(
        "voting.cast",
        [(ip, member) for member, ip in casts],
        per_account=CAST_RATE_PER_ACCOUNT,
        per_ip=CAST_RATE_PER_ADDRESS,
    )


def ballot_cast(
    *,
    vote: Vote,
    voter: Any,
    ranking: list[str],
    idempotency_key: str | None = None,
    replaces: str = "",
) -> str:
    """Cast (or, where the rulebook allows, change) a ballot; at most one per member.

    Returns the receipt code for a secret ballot (shown once: only its hash is kept) or the
    ballot id for an open one. A retry with the same ``idempotency_key`` returns the same
    answer (for a secret ballot, within ``RETRY_WINDOW``) and counts nothing twice. Changing
    a secret ballot needs the member's own current receipt code (``replaces``).
    """
    encoded = _encode_ranking(vote, ranking)
    _check_secret_key(vote, idempotency_key)
    with transaction.atomic():
        current = _lock_vote_for_casting(vote.pk)
        if current is None:
            raise Conflict(_("This vote no longer exists."))
        _check_open_for_casting(current)
        if not selectors.may_vote(voter, current):
            raise NotPermitted(_("You are not in this vote's electorate."))
        if current.secret:
            return _cast_secret(current, voter, encoded, idempotency_key, replaces)
        return _cast_open(current, voter, encoded, _key_hash(current, idempotency_key))


def _cast_open(vote: Vote, voter: Any, encoded: str, key_hash: str) -> str:
    existing = OpenBallot.objects.select_for_update().filter(vote=vote, voter=voter).first()
    if existing is None:
        try:
            with transaction.atomic():
                ballot = OpenBallot.objects.create(
                    vote=vote, voter=voter, ranking=encoded, key_hash=key_hash, cast_at=clock.now()
                )
            return str(ballot.pk)
        except IntegrityError:
            existing = OpenBallot.objects.select_for_update().get(vote=vote, voter=voter)
    if key_hash and existing.key_hash == key_hash:
        return str(existing.pk)
    if not vote.allow_change:
        raise Conflict(_("You have already voted, and this vote does not allow changes."))
    existing.ranking = encoded
    existing.key_hash = key_hash
    existing.changed_at = clock.now()
    existing.save(update_fields=["ranking", "key_hash", "changed_at"])
    return str(existing.pk)


def _roll_id() -> Any:
    """A roll entry's random key, as the database stores it."""
    return VoterRoll._meta.pk.get_db_prep_value(uuid.uuid4(), connection)


def _roll_enter(vote: Vote, voter: Any, receipt_mac: str) -> bool:
    """Put the member on the roll in one statement; False if they were already on it.

    The unique (vote, member) decides between parallel requests, without a savepoint:
    a first ballot costs one round trip here instead of four.
    """
    table = connection.ops.quote_name(VoterRoll._meta.db_table)
    with connection.cursor() as cursor:
        cursor.execute(
            f"INSERT INTO {table} (id, vote_id, member_id, receipt_mac) "  # noqa: S608
            "VALUES (%s, %s, %s, %s) "
            "ON CONFLICT (vote_id, member_id) DO NOTHING RETURNING member_id",
            [_roll_id(), vote.pk, voter.pk, receipt_mac],
        )
        return cursor.fetchone() is not None


def _cast_secret(vote: Vote, voter: Any, encoded: str, key: str | None, replaces: str) -> str:
    receipt = _new_receipt()
    if _roll_enter(vote, voter, _roll_receipt_mac(vote, receipt)):
        SecretBallot.objects.create(
            vote=vote, ranking=encoded, receipt_hash=selectors.receipt_hash(receipt)
        )
        _keep_for_retries(vote, [(voter, key, receipt)])
        return receipt
    if key and (kept := _kept_receipts(vote, [(voter, key)])):
        return next(iter(kept.values()))
    if not vote.allow_change or not replaces:
        raise _second_secret_ballot_refused(vote)
    roll = VoterRoll.objects.select_for_update().get(vote=vote, member=voter)
    # Only the member's own current receipt opens their ballot: someone else's code (which
    # would otherwise delete that member's ballot) is refused like a code that fits nothing.
    if not hmac.compare_digest(roll.receipt_mac, _roll_receipt_mac(vote, replaces)):
        raise Refused(_("No ballot of yours in this vote has that receipt code."), field="replaces")
    SecretBallot.objects.filter(vote=vote, receipt_hash=selectors.receipt_hash(replaces)).delete()
    SecretBallot.objects.create(
        vote=vote, ranking=encoded, receipt_hash=selectors.receipt_hash(receipt)
    )
    roll.receipt_mac = _roll_receipt_mac(vote, receipt)
    roll.save(update_fields=["receipt_mac"])
    _keep_for_retries(vote, [(voter, key, receipt)])
    return receipt


def _second_secret_ballot_refused(vote: Vote) -> Conflict:
    if not vote.allow_change:
        return Conflict(_("You have already voted, and this vote does not allow changes."))
    return Conflict(
        _("You have already voted. To change your vote, give your ballot's receipt code."),
        field="replaces",
    )


@dataclass(frozen=True)
class CastAttempt:
    """One member's request to cast, as the ballot box collected it."""

    voter: Any
    ranking: Any
    idempotency_key: str | None = None
    ip: str | None = None


@dataclass
class CastOutcome:
    """The answer to one attempt: a receipt or ballot id, or why it was refused."""

    answer: str = ""
    secret: bool = False
    refusal: Refused | None = None
    not_found: bool = False


def ballots_cast_together(*, vote_id: int, attempts: list[CastAttempt]) -> list[CastOutcome]:
    """Cast many members' ballots in one vote in one transaction: a group commit.

    The same rules as ``ballot_cast`` and the same answers, but the vote is locked, the
    electorate checked and the roll and ballots written once for the whole batch, so a
    million-voter e-conference costs a few statements per batch instead of per ballot.
    One attempt's refusal never affects another's. Changing a secret ballot (which needs
    its receipt) goes through ``ballot_cast``.
    """
    outcomes = [CastOutcome() for _attempt in attempts]
    with transaction.atomic():
        current = _lock_vote_for_casting(vote_id)
        if current is None:
            for outcome in outcomes:
                outcome.not_found = True
            return outcomes
        seen = []
        for i, attempt in enumerate(attempts):
            if selectors.may_see_vote(attempt.voter, current):
                seen.append(i)
            else:
                outcomes[i].not_found = True
        pending: list[int] = []
        encoded: dict[int, str] = {}
        refusals = _cast_rate_refusals([(attempts[i].voter, attempts[i].ip) for i in seen])
        for i, refusal in zip(seen, refusals, strict=True):
            try:
                if refusal is not None:
                    raise refusal
                encoded[i] = _encode_ranking(current, attempts[i].ranking)
                _check_secret_key(current, attempts[i].idempotency_key)
            except Refused as refused:
                outcomes[i].refusal = refused
                continue
            pending.append(i)
        if not pending:
            return outcomes
        try:
            _check_open_for_casting(current)
        except Refused as refusal:
            for i in pending:
                outcomes[i].refusal = refusal
            return outcomes
        eligible = selectors.eligible_voters(current, [attempts[i].voter.pk for i in pending])
        voting: list[int] = []
        for i in pending:
            if attempts[i].voter.pk in eligible:
                voting.append(i)
            else:
                outcomes[i].refusal = NotPermitted(_("You are not in this vote's electorate."))
        for i in voting:
            outcomes[i].secret = current.secret
        if current.secret:
            _cast_secret_together(current, attempts, encoded, voting, outcomes)
        else:
            for i in voting:
                attempt = attempts[i]
                try:
                    with transaction.atomic():
                        outcomes[i].answer = _cast_open(
                            current,
                            attempt.voter,
                            encoded[i],
                            _key_hash(current, attempt.idempotency_key),
                        )
                except Refused as refusal:
                    outcomes[i].refusal = refusal
    return outcomes


def _cast_secret_together(
    vote: Vote,
    attempts: list[CastAttempt],
    encoded: dict[int, str],
    voting: list[int],
    outcomes: list[CastOutcome],
) -> None:
    """Enter first ballots on the roll in one statement; answer retries and second ballots."""
    first: dict[int, int] = {}
    later: list[int] = []
    for i in voting:
        if attempts[i].voter.pk in first:
            later.append(i)
        else:
            first[attempts[i].voter.pk] = i
    receipts = {i: _new_receipt() for i in first.values()}
    entered = _roll_enter_many(
        vote, [(member, _roll_receipt_mac(vote, receipts[i])) for member, i in first.items()]
    )
    ballots = []
    answered = []
    for member, i in first.items():
        if member not in entered:
            later.append(i)
            continue
        outcomes[i].answer = receipts[i]
        answered.append((attempts[i].voter, attempts[i].idempotency_key, receipts[i]))
        ballots.append((encoded[i], selectors.receipt_hash(receipts[i])))
    # Inserted in an order unrelated to the roll's, so neither can be lined up with the other.
    random.SystemRandom().shuffle(ballots)
    _ballots_insert(vote, ballots)
    _keep_for_retries(vote, answered)
    if not later:
        return
    retried = [(attempts[i].voter, attempts[i].idempotency_key) for i in later]
    kept = _kept_receipts(vote, [(voter, key) for voter, key in retried if key])
    for i, (voter, key) in zip(later, retried, strict=True):
        receipt = kept.get(_retry_slot(vote, voter, key)) if key else None
        if receipt:
            outcomes[i].answer = receipt
        else:
            outcomes[i].refusal = _second_secret_ballot_refused(vote)


def _roll_enter_many(vote: Vote, entries: list[tuple[int, str]]) -> set[int]:
    """Put members on the roll in one statement; returns those who were not on it yet.

    On PostgreSQL the rows travel as three arrays, so the statement has the same four
    parameters whatever the batch (its text is parsed once per process, not per batch)."""
    if not entries:
        return set()
    table = connection.ops.quote_name(VoterRoll._meta.db_table)
    ids = [_roll_id() for _entry in entries]
    if connection.vendor == "postgresql":
        sql = (
            f"INSERT INTO {table} (id, vote_id, member_id, receipt_mac) "  # noqa: S608
            "SELECT id, %s, member_id, receipt_mac "
            "FROM unnest(%s::uuid[], %s::bigint[], %s::text[]) AS t(id, member_id, receipt_mac) "
            "ON CONFLICT (vote_id, member_id) DO NOTHING RETURNING member_id"
        )
        params: list[Any] = [
            vote.pk,
            ids,
            [member for member, _mac in entries],
            [mac for _member, mac in entries],
        ]
    else:
        rows = ", ".join(["(%s, %s, %s, %s)"] * len(entries))
        sql = (
            f"INSERT INTO {table} (id, vote_id, member_id, receipt_mac) VALUES {rows} "  # noqa: S608
            "ON CONFLICT (vote_id, member_id) DO NOTHING RETURNING member_id"
        )
        params = []
        for roll_id, (member, receipt_mac) in zip(ids, entries, strict=True):
            params.extend([roll_id, vote.pk, member, receipt_mac])
    with connection.cursor() as cursor:
        cursor.execute(sql, params)
        return {row[0] for row in cursor.fetchall()}


def _ballots_insert(vote: Vote, ballots: list[tuple[str, str]]) -> None:
    """Store (ranking, receipt hash) ballots with random ids in one statement, in the
    order given; on PostgreSQL as arrays, like the roll (``_roll_enter_many``)."""
    if not ballots:
        return
    if connection.vendor != "postgresql":
        SecretBallot.objects.bulk_create(
            [SecretBallot(vote=vote, ranking=r, receipt_hash=h) for r, h in ballots]
        )
        return
    table = connection.ops.quote_name(SecretBallot._meta.db_table)
    with connection.cursor() as cursor:
        cursor.execute(
            f"INSERT INTO {table} (id, vote_id, ranking, receipt_hash) "  # noqa: S608
            "SELECT id, %s, ranking, receipt_hash "
            "FROM unnest(%s::uuid[], %s::text[], %s::text[]) AS t(id, ranking, receipt_hash)",
            [
                vote.pk,
                [SecretBallot._meta.pk.get_default() for _ballot in ballots],
                [ranking for ranking, _hash in ballots],
                [receipt for _ranking, receipt in ballots],
            ],
        )


def vote_close(*, vote: Vote, closed_by: Any = None) -> Vote:
    """Count the ballots, store the result and call the vote's closing step.

    Reads the ballots grouped in the database and counts them with the counting core; a
    turnout below the rulebook's quorum leaves the vote without effect, and the result says so.
    """
    if closed_by is not None and not closed_by.has_perm("voting.manage_vote", vote):
        raise NotPermitted(_("Only the officers of the body may close this vote."))
    with transaction.atomic():
        vote = Vote.objects.select_for_update().get(pk=vote.pk)
        if vote.state == Vote.State.CLOSED:
            raise Conflict(_("This vote is already closed."))
        if vote.state == Vote.State.DRAFT:
            raise Conflict(_("This vote was never opened."))
        vote.entitled = selectors.electorate_size(vote)
        election = selectors.election_dict(vote)
        canonical = counting.canonical_json(counting.parse_election(election))
        result = tallying.tally(
            election,
            entitled=vote.entitled,
            quorum=tallying.quorum_required(vote.quorum_share, vote.entitled),
            majority=vote.majority,
            base=vote.majority_base,
            strength=vote.schulze_strength,
            rule=vote.stv_rule,
        )
        result["quorum_share"] = vote.quorum_share
        vote.result = result
        vote.turnout = result["turnout"]
        vote.outcome = result["outcome"]
        vote.ballots_sha256 = hashlib.sha256(canonical.encode()).hexdigest()
        if vote.secret:
            vote.receipts_sha256 = hashlib.sha256(
                selectors.receipts_json(vote).encode()
            ).hexdigest()
        vote.state = Vote.State.CLOSED
        vote.closed_at = clock.now()
        vote.save()
        record_append(
            kind="vote.closed",
            subject=vote,
            actor=closed_by,
            payload={
                "ballots_sha256": vote.ballots_sha256,
                "receipts_sha256": vote.receipts_sha256,
                "turnout": vote.turnout,
                "entitled": vote.entitled,
                "outcome": vote.outcome,
                "effective": result["effective"],
                "winners": [vote.candidates.index(name) for name in result["winners"]],
                "seed": result["seed"],
            },
            rulebook_version=vote.rulebook_version,
        )
        if vote.on_close:
            import_string(vote.on_close)(vote)
        notify(
            kind="vote.closed",
            title=_("Vote closed: %(title)s") % {"title": vote.title},
            link=f"/votes/{vote.pk}/result/",
            bodies=[vote.body_id],
            actor=closed_by,
            thread=f"voting.vote:{vote.pk}",
        )
        if vote.secret:
            vote_pk = vote.pk
            transaction.on_commit(lambda: _enqueue_mix(vote_pk))
    return vote


def _enqueue_mix(vote_id: int) -> None:
    from .tasks import mix_secret_ballots

    mix_secret_ballots.enqueue(vote_id)


def secret_ballots_mix(*, vote: Vote) -> int:
    """Rewrite a secret vote's roll entries and ballots in random order in one transaction.

    On PostgreSQL every row carries the transaction that wrote it (``xmin``) and the heap
    keeps insertion order, so the roll and the ballots of one cast line up. Rewritten, rows
    keep their random ids and content but share the mix's transaction and a random place:
    while the vote is open, those written since the last mix, every minute
    (``votes_sweep``); once it has closed, all of them. SQLite needs no mix: its tables are
    b-trees on the random ids (docs/secret-ballots.md). Returns how many ballots were mixed.
    """
    if not vote.secret or vote.state == Vote.State.DRAFT or connection.vendor != "postgresql":
        return 0
    with transaction.atomic():
        # Waits for casts in progress and holds new ones back (they share-lock the vote).
        current = Vote.objects.select_for_update().get(pk=vote.pk)
        since = cache.get(_mix_mark_key(current)) if current.is_open else None
        with connection.cursor() as cursor:
            # The oldest transaction now running in this database (a cast waiting for the
            # vote already has its id) and this one: the next mix takes rows from the first
            # onwards, except those this one writes.
            cursor.execute(
                "SELECT backend_xid::text, pg_current_xact_id()::text::bigint % 4294967296 "
                "FROM pg_stat_activity WHERE datname = current_database() "
                "AND backend_xid IS NOT NULL ORDER BY age(backend_xid) DESC LIMIT 1"
            )
            mark = cursor.fetchone()
        mixed = _rewrite_shuffled(SecretBallot, current, since)
        _rewrite_shuffled(VoterRoll, current, since)
        if current.is_open:
            transaction.on_commit(lambda: cache.set(_mix_mark_key(current), mark, timeout=None))
    return mixed


def _mix_mark_key(vote: Vote) -> str:
    return f"voting.mixed:{vote.pk}"


def _rewrite_shuffled(model: Any, vote: Vote, since: tuple | None) -> int:
    """Delete the vote's rows of a table and insert them again in random order, in one
    statement; with ``since``, only those written by transactions running at the last mix
    or later, except the mix itself. Without a mark (a lost cache) it takes them all."""
    table = connection.ops.quote_name(model._meta.db_table)
    columns = ", ".join(connection.ops.quote_name(f.column) for f in model._meta.concrete_fields)
    where = "vote_id = %s"
    params: list[int | str] = [vote.pk]
    if since is not None:
        where += " AND age(xmin) <= age(%s::text::xid) AND xmin <> %s::text::xid"
        params += [str(since[0]), str(since[1])]
    with connection.cursor() as cursor:
        cursor.execute(
            f"WITH moved AS (DELETE FROM {table} WHERE {where} RETURNING {columns}) "  # noqa: S608
            f"INSERT INTO {table} ({columns}) SELECT {columns} FROM moved "
            "ORDER BY gen_random_uuid()",
            params,
        )
        return cursor.rowcount


def votes_sweep() -> dict[str, int]:
    """Open drafts whose opening time has come, close open votes whose time is up, and on
    PostgreSQL mix the ballots cast in open secret votes since the last sweep."""
    now = clock.now()
    opened = closed = 0
    for vote in Vote.objects.filter(
        state=Vote.State.DRAFT, opens_at__lte=now, closes_at__gt=now
    ).order_by("pk"):
        try:
            vote_open(vote=vote, opened_by=None)
            opened += 1
        except Conflict:
            continue
    for vote in Vote.objects.filter(state=Vote.State.OPEN, closes_at__lte=now).order_by("pk"):
        try:
            vote_close(vote=vote, closed_by=None)
            closed += 1
        except Conflict:
            continue
    mixed = 0
    if connection.vendor == "postgresql":
        for vote in Vote.objects.filter(state=Vote.State.OPEN, secret=True).order_by("pk"):
            mixed += secret_ballots_mix(vote=vote)
    return {"opened": opened, "closed": closed, "mixed": mixed}
