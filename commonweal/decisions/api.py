"""The decision register over the API."""

from datetime import date, datetime
from typing import Any

from django.http import Http404
from django.shortcuts import get_object_or_404
from ninja import Router, Schema

from commonweal.config.api_errors import errors
from commonweal.core.pagination import MAX_OFFSET

from . import selectors
from .models import Decision

router = Router(tags=["decisions"])
PAGE = 50


class DecisionOut(Schema):
    id: int
    kind: str
    title: str
    text: str
    body: int
    decided_at: datetime
    rulebook_version: int
    vote: int | None
    meeting: int | None
    subject: str
    link: str
    review_on: date | None
    reviewed_at: datetime | None


class MinorityPositionOut(Schema):
    text: str
    author: str
    on_behalf_of: str


class ActionOut(Schema):
    what: str
    due_on: date
    status: str
    percent: int


class DecisionDetailOut(DecisionOut):
    minority_positions: list[MinorityPositionOut]
    actions: list[ActionOut]


def _out(d: Decision) -> dict[str, Any]:
    return {
        "id": d.pk,
        "kind": d.kind,
        "title": d.title,
        "text": d.text,
        "body": d.body_id,
        "decided_at": d.decided_at,
        "rulebook_version": d.rulebook_version,
        "vote": d.vote_id,
        "meeting": d.meeting_id,
        "subject": d.subject,
        "link": d.link,
        "review_on": d.review_on,
        "reviewed_at": d.reviewed_at,
    }


@router.get("/", response={200: list[DecisionOut], **errors(404)})
def register(
    request,
    body: int | None = None,
    q: str = "",
    date_from: date | None = None,
    date_to: date | None = None,
    page: int = 1,
):
    if not request.user.has_perm("decisions.view_decision"):
        raise Http404
    # Past any offset a database can hold (found by fuzzing on PostgreSQL): simply empty.
    start = min((max(page, 1) - 1) * PAGE, MAX_OFFSET)
    rows = selectors.register(text=q, date_from=date_from, date_to=date_to)
    if body is not None:
        rows = rows.filter(body_id=body)
    return [_out(d) for d in rows[start : start + PAGE]]


@router.get("/{pk}", response={200: DecisionDetailOut, **errors(404)})
def detail(request, pk: int):
    decision = get_object_or_404(Decision, pk=pk)
    if not request.user.has_perm("decisions.view_decision", decision):
        raise Http404
    page = selectors.decision_page(decision)
    return {
        **_out(decision),
        "minority_positions": [
            {"text": p.text, "author": p.author.display_name, "on_behalf_of": p.on_behalf_of}
            for p in page["minority_positions"]
        ],
        "actions": [
            {"what": a.what, "due_on": a.due_on, "status": a.status, "percent": a.percent}
            for a in page["actions"]
        ],
    }
