"""The ballot box: API casts answered outside Django's request cycle and committed together.

A million-voter e-conference sends its ballots in a few minutes. Through the ordinary
request cycle each cast costs a dozen round trips and its own commit, so two cores manage
about a hundred a second. Under ASGI (``commonweal.config.asgi``) the ballot box takes
``POST /api/votes/<id>/cast`` with a personal API token, collects the casts that arrive
while the previous batch is being written, and hands each batch to
``services.ballots_cast_together`` (one lock of the vote, one electorate query, one roll
insert, one ballot insert, one commit). Every ballot is acknowledged only after its batch
has committed, so an acknowledged ballot is never lost; a client that got no answer
retries with the same idempotency key. The rules are the service's, the same as
``ballot_cast``'s.

Anything else — another path, a session instead of a token, a token the API would refuse
(unknown, expired, revoked, read-only, an office-holder's without two factors), a change of
ballot (``replaces``), a body that is not a plain cast, a host or scheme Django would refuse
— goes to Django unchanged, so its answers (and errors) stay the API's own.
"""

from __future__ import annotations

import asyncio
import io
import json
import logging
import re
import time
from collections import defaultdict
from collections.abc import Awaitable, Callable, MutableMapping
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass
from typing import Any

from django.conf import settings
from django.core.exceptions import DisallowedHost
from django.core.handlers.asgi import ASGIRequest
from django.db import close_old_connections
from django.http import HttpRequest, HttpResponse, JsonResponse
from django.middleware.clickjacking import XFrameOptionsMiddleware
from django.middleware.security import SecurityMiddleware
from django.utils.cache import add_never_cache_headers

from commonweal.config.api import has_nul
from commonweal.core.middleware import SecurityHeadersMiddleware
from commonweal.core.ratelimit import RateLimited, client_ip
from commonweal.members.selectors import api_token_holders

from . import services

logger = logging.getLogger(__name__)

Scope = MutableMapping[str, Any]
Message = MutableMapping[str, Any]
Receive = Callable[[], Awaitable[Message]]
Send = Callable[[Message], Awaitable[None]]
App = Callable[[Scope, Receive, Send], Awaitable[None]]
Answer = tuple[int, list[tuple[bytes, bytes]], bytes]

CAST_PATH = re.compile(r"/api/votes/(\d+)/cast")
# A ballot is a short list of candidate names; anything bigger is Django's to refuse.
MAX_BODY = 64 * 1024
MAX_BATCH = 1000
CAST_FIELDS = {"ranking", "idempotency_key"}


@dataclass
class _Cast:
    """A cast waiting for its batch; its result None means "Django answers this one"."""

    vote_id: int
    token: str
    ranking: list[str]
    idempotency_key: str | None
    ip: str | None
    done: asyncio.Future


class BallotBox:
    """ASGI application in front of Django's; see the module docstring."""

    def __init__(self, django: App) -> None:
        self.django = django
        self.waiting: list[_Cast] = []
        self.writing = False
        self.writing_task: asyncio.Task | None = None
        # One thread, one database connection: batches are written one after another.
        self.writer = ThreadPoolExecutor(max_workers=1, thread_name_prefix="ballot-box")
        self.headers = SecurityMiddleware(
            SecurityHeadersMiddleware(XFrameOptionsMiddleware(_prepared_response))
        )
        # The headers of a receipt's answer, by scheme: (the second they were made, headers).
        self.answer_headers: dict[bool, tuple[int, list[tuple[bytes, bytes]]]] = {}

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] == "lifespan":
            await self._lifespan(receive, send)
            return
        match = CAST_PATH.fullmatch(scope.get("path", ""))
        if scope["type"] != "http" or scope["method"] != "POST" or match is None:
            await self.django(scope, receive, send)
            return
        body, complete = await _read_body(receive)
        cast = self._plain_cast(scope, body, int(match.group(1))) if complete else None
        if cast is None:
            await self.django(scope, _replay(body, complete, receive), send)
            return
        request, cast_fields = cast
        outcome = await self._submit(cast_fields)
        if outcome is None:
            await self.django(scope, _replay(body, complete, receive), send)
            return
        await self._respond(send, request, outcome)

    def _plain_cast(
        self, scope: Scope, body: bytes, vote_id: int
    ) -> tuple[HttpRequest, dict] | None:
        """The cast's fields if this is a plain token cast the ballot box may answer."""
        headers = dict(scope.get("headers", []))
        authorization = headers.get(b"authorization", b"").decode("latin-1")
        if not authorization.startswith("Token "):
            return None
        if not headers.get(b"content-type", b"").startswith(b"application/json"):
            return None
        request = ASGIRequest(scope, io.BytesIO(body))
        try:
            request.get_host()
        except DisallowedHost:
            return None
        if settings.SECURE_SSL_REDIRECT and not request.is_secure():
            return None
        try:
            data = json.loads(body)
        except ValueError:
            return None
        if not isinstance(data, dict) or not set(data) <= CAST_FIELDS or has_nul(data):
            return None
        ranking = data.get("ranking")
        key = data.get("idempotency_key") or headers.get(b"idempotency-key", b"").decode("latin-1")
        if not isinstance(ranking, list) or not all(isinstance(c, str) for c in ranking):
            return None
        if key is not None and not isinstance(key, str):
            return None
        return request, {
            "vote_id": vote_id,
            "token": authorization.removeprefix("Token ").strip(),
            "ranking": ranking,
            "idempotency_key": key or None,
            "ip": client_ip(request),
        }

    async def _submit(self, fields: dict) -> services.CastOutcome | Exception | None:
        loop = asyncio.get_running_loop()
        cast = _Cast(**fields, done=loop.create_future())
        self.waiting.append(cast)
        if not self.writing:
            self.writing = True
            self.writing_task = loop.create_task(self._write_batches())
        return await cast.done

    async def _write_batches(self) -> None:
        """Write what has gathered; casts arriving meanwhile form the next batch."""
        loop = asyncio.get_running_loop()
        try:
            while self.waiting:
                batch, self.waiting = self.waiting[:MAX_BATCH], self.waiting[MAX_BATCH:]
                try:
                    outcomes = await loop.run_in_executor(self.writer, _write_batch, batch)
                except Exception as error:  # every waiting client must get an answer
                    logger.exception("The ballot box could not write a batch of %d", len(batch))
                    outcomes = [error] * len(batch)
                for cast, outcome in zip(batch, outcomes, strict=True):
                    if not cast.done.done():
                        cast.done.set_result(outcome)
        finally:
            self.writing = False

    async def _respond(self, send: Send, request: HttpRequest, outcome: Any) -> None:
        if _answered(outcome):
            status, headers, body = self._answer(request, outcome)
        else:
            status, headers, body = self._through_middleware(request, _response(outcome))
        await send({"type": "http.response.start", "status": status, "headers": headers})
        await send({"type": "http.response.body", "body": body})

    def _through_middleware(self, request: HttpRequest, response: HttpResponse) -> Answer:
        """The answer with the headers Django's security middleware gives every response."""
        request.ballot_box_response = response  # type: ignore[attr-defined]
        response = self.headers(request)
        response["Content-Length"] = str(len(response.content))
        headers = [
            (name.lower().encode("latin-1"), value.encode("latin-1"))
            for name, value in response.items()
        ]
        return response.status_code, headers, response.content

    def _answer(self, request: HttpRequest, outcome: services.CastOutcome) -> Answer:
        """A receipt or ballot id, answered as ``_response`` and the middleware answer it.

        Those headers depend only on the scheme and the second (``Expires``), so they are
        made by the middleware once a second for each scheme and reused: making them for
        every answer was a sixth of what the ballot box spent on a cast."""
        secure = request.is_secure()
        second = int(time.time())
        made = self.answer_headers.get(secure)
        if made is None or made[0] != second:
            _status, headers, _body = self._through_middleware(request, _response(outcome))
            made = (second, [header for header in headers if header[0] != b"content-length"])
            self.answer_headers[secure] = made
        body = json.dumps({"receipt" if outcome.secret else "ballot": outcome.answer}).encode()
        return 200, [*made[1], (b"content-length", str(len(body)).encode())], body

    async def _lifespan(self, receive: Receive, send: Send) -> None:
        while True:
            message = await receive()
            if message["type"] == "lifespan.startup":
                await send({"type": "lifespan.startup.complete"})
            elif message["type"] == "lifespan.shutdown":
                self.writer.shutdown(wait=True)
                await send({"type": "lifespan.shutdown.complete"})
                return


def _write_batch(batch: list[_Cast]) -> list[services.CastOutcome | None]:
    """Authenticate and cast a batch (in the writer thread, with its own connection)."""
    close_old_connections()
    try:
        # The API's own token checks (scope, expiry, revocation, the office-holders'
        # two-factor rule); a token they refuse is left to Django, which answers why.
        holders = api_token_holders(list({cast.token for cast in batch}), write=True)
        members = {key: holder.member for key, holder in holders.items() if not holder.refusal}
        outcomes: list[services.CastOutcome | None] = [None] * len(batch)
        by_vote: dict[int, list[int]] = defaultdict(list)
        for i, cast in enumerate(batch):
            if cast.token in members:
                by_vote[cast.vote_id].append(i)
        for vote_id, indices in by_vote.items():
            attempts = [
                services.CastAttempt(
                    voter=members[batch[i].token],
                    ranking=batch[i].ranking,
                    idempotency_key=batch[i].idempotency_key,
                    ip=batch[i].ip,
                )
                for i in indices
            ]
            answers = services.ballots_cast_together(vote_id=vote_id, attempts=attempts)
            for i, answer in zip(indices, answers, strict=True):
                outcomes[i] = answer
        return outcomes
    finally:
        close_old_connections()


def _answered(outcome: services.CastOutcome | Exception) -> bool:
    """Whether the outcome is a receipt or ballot id (what ``_response`` answers with 200)."""
    return (
        isinstance(outcome, services.CastOutcome)
        and not outcome.not_found
        and outcome.refusal is None
    )


def _response(outcome: services.CastOutcome | Exception) -> HttpResponse:
    if isinstance(outcome, Exception):
        return JsonResponse(
            {
                "detail": "The ballot could not be recorded just now; send it again with the "
                "same idempotency key.",
                "field": None,
            },
            status=503,
        )
    if outcome.not_found:
        return JsonResponse({"detail": "Not Found"}, status=404)
    if outcome.refusal is not None:
        refusal = outcome.refusal
        response = JsonResponse(
            {"detail": refusal.message, "field": refusal.field}, status=refusal.status
        )
        if isinstance(refusal, RateLimited):
            response["Retry-After"] = str(refusal.retry_after)
        return response
    response = JsonResponse({"receipt" if outcome.secret else "ballot": outcome.answer})
    add_never_cache_headers(response)
    return response


def _prepared_response(request: HttpRequest) -> HttpResponse:
    return request.ballot_box_response  # type: ignore[attr-defined]


async def _read_body(receive: Receive) -> tuple[bytes, bool]:
    """The request body, up to MAX_BODY; False when it is longer (Django reads the rest)."""
    chunks: list[bytes] = []
    size = 0
    while True:
        message = await receive()
        if message["type"] == "http.disconnect":
            return b"".join(chunks), False
        chunk = message.get("body", b"")
        chunks.append(chunk)
        size += len(chunk)
        if not message.get("more_body", False):
            return b"".join(chunks), True
        if size > MAX_BODY:
            return b"".join(chunks), False


def _replay(body: bytes, complete: bool, receive: Receive) -> Receive:
    """Give Django the body already read, then whatever is still to come."""
    sent = False

    async def replayed() -> Message:
        nonlocal sent
        if not sent:
            sent = True
            return {"type": "http.request", "body": body, "more_body": not complete}
        return await receive()

    return replayed
