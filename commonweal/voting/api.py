"""Votes over the API: create, open, cast, close, result and the published ballots."""

import json
from datetime import datetime
from typing import Any

from django.http import Http404, HttpResponse
from django.shortcuts import get_object_or_404
from django.utils.cache import add_never_cache_headers
from ninja import Router, Schema

from commonweal.config.api_errors import errors
from commonweal.core.ratelimit import client_ip
from commonweal.organisation.models import Body, Unit

from . import selectors, services
from .models import Vote

router = Router(tags=["voting"])


class VoteIn(Schema):
    title: str
    body: int
    method: str
    candidates: list[str] | None = None
    seats: int = 1
    secret: bool = False
    electorate: int | None = None
    opens_at: datetime | None = None
    closes_at: datetime
    subject: str = ""


class CastIn(Schema):
    ranking: list[str]
    idempotency_key: str | None = None
    replaces: str = ""


class VoteOut(Schema):
    id: int
    title: str
    body: int
    method: str
    candidates: list[str]
    seats: int
    secret: bool
    electorate: int | None
    state: str
    opens_at: datetime | None
    closes_at: datetime
    subject: str
    rulebook_version: int
    outcome: str
    result: dict[str, Any] | None
    ballots_sha256: str


class CastOut(Schema):
    """A secret ballot's receipt code (shown only this once) or an open ballot's id."""

    receipt: str | None = None
    ballot: str | None = None


class ReceiptOut(Schema):
    receipt_sha256: str
    ranking: list[str]


def _vote(request, pk: int) -> Vote:
    vote = get_object_or_404(Vote.objects.select_related("body", "electorate"), pk=pk)
    if not selectors.may_see_vote(request.user, vote):
        raise Http404
    return vote


def _out(vote: Vote) -> dict[str, Any]:
    return {
        "id": vote.pk,
        "title": vote.title,
        "body": vote.body_id,
        "method": vote.method,
        "candidates": vote.candidates,
        "seats": vote.seats,
        "secret": vote.secret,
        "electorate": vote.electorate_id,
        "state": vote.state,
        "opens_at": vote.opens_at,
        "closes_at": vote.closes_at,
        "subject": vote.subject,
        "rulebook_version": vote.rulebook_version,
        "outcome": vote.outcome,
        "result": vote.result,
        "ballots_sha256": vote.ballots_sha256,
    }


@router.post("/", response={200: VoteOut, **errors(400, 403, 404)})
def create(request, payload: VoteIn):
    body = get_object_or_404(Body, pk=payload.body)
    electorate = get_object_or_404(Unit, pk=payload.electorate) if payload.electorate else None
    vote = services.vote_create(
        title=payload.title,
        body=body,
        method=payload.method,
        candidates=payload.candidates,
        seats=payload.seats,
        secret=payload.secret,
        electorate=electorate,
        opens_at=payload.opens_at,
        closes_at=payload.closes_at,
        created_by=request.user,
        subject=payload.subject,
    )
    return _out(vote)


@router.get("/{pk}", response={200: VoteOut, **errors(404)})
def detail(request, pk: int):
    return _out(_vote(request, pk))


@router.post("/{pk}/open", response={200: VoteOut, **errors(400, 403, 404, 409)})
def open_vote(request, pk: int):
    return _out(services.vote_open(vote=_vote(request, pk), opened_by=request.user))


@router.post("/{pk}/close", response={200: VoteOut, **errors(403, 404, 409)})
def close_vote(request, pk: int):
    return _out(services.vote_close(vote=_vote(request, pk), closed_by=request.user))


# 503: under ASGI the ballot box (`ballot_box.py`) answers plain token casts itself, and a
# batch that fails to commit is answered "send it again".
@router.post(
    "/{pk}/cast",
    response={200: CastOut, **errors(400, 403, 404, 409, 429, 503)},
    exclude_none=True,
)
def cast(request, response: HttpResponse, pk: int, payload: CastIn):
    """Returns the receipt code of a secret ballot (shown only now, never cached) or a ballot's id.

    A client that got no answer retries with the same idempotency key (in the body or the
    ``Idempotency-Key`` header): it gets the same answer and nothing is counted twice.
    """
    vote = _vote(request, pk)
    services.cast_rate_check(member=request.user, ip=client_ip(request))
    answer = services.ballot_cast(
        vote=vote,
        voter=request.user,
        ranking=payload.ranking,
        idempotency_key=payload.idempotency_key or request.headers.get("Idempotency-Key"),
        replaces=payload.replaces,
    )
    add_never_cache_headers(response)
    return {"receipt": answer} if vote.secret else {"ballot": answer}


@router.get("/{pk}/result", response={200: dict[str, Any], **errors(404)})
def result(request, pk: int):
    vote = _vote(request, pk)
    if not vote.is_closed:
        raise Http404
    return vote.result


@router.get("/{pk}/ballots", response={200: dict[str, Any], **errors(404)})
def ballots(request, pk: int):
    """The published ballots (docs/ballot-format.md); sha256 of the file is in the record."""
    vote = _vote(request, pk)
    if not vote.is_closed:
        raise Http404
    return json.loads(selectors.published_ballots_json(vote))


@router.get("/{pk}/receipts", response={200: list[ReceiptOut], **errors(404)})
def receipts(request, pk: int):
    vote = _vote(request, pk)
    if not vote.is_closed or not vote.secret:
        raise Http404
    return selectors.receipts_list(vote)
