"""Amending the constitution over the API: the same two steps as the pages.

A member of the body the rulebook names (``constitution.amend``) drafts a complete new
version (every section and rule, as ``GET /api/constitution/rulebook`` gives the version in
force) and puts it to that body's vote; anyone else gets a 404, as the pages do.
"""

from typing import Any

from django.utils.translation import gettext as _
from ninja import Field, Router, Schema, Status
from ninja.errors import HttpError
from pydantic import AwareDatetime

from commonweal.config.api_errors import errors
from commonweal.core.errors import Refused
from commonweal.rulebook.models import RulebookVersion
from commonweal.rulebook.selectors import current

from . import selectors, services

router = Router(tags=["constitution"])


class RuleChangeOut(Schema):
    rule: str
    label: str
    before: str
    after: str


class RulebookVersionOut(Schema):
    number: int
    title: str
    status: str
    based_on: int | None
    vote_id: int | None
    changes: list[RuleChangeOut]


class RulebookInForceOut(Schema):
    number: int
    rules: dict[str, Any]


class RulebookDraftIn(Schema):
    rules: dict[str, Any] = Field(
        description="The whole new rulebook: every section and rule, changed or not"
    )
    note: str = Field("", max_length=2000, description="Why the amendment, for the body")


class RulebookSubmitIn(Schema):
    closes_at: AwareDatetime
    comes_into_force_at: AwareDatetime
    meeting_id: int | None = Field(
        None, description="A meeting of the body not yet closed, to put it on the agenda of"
    )


def _require_amender(request) -> None:
    if not request.auth.has_perm("constitution.amend"):
        raise HttpError(404, "Not found.")


def _version_out(version: RulebookVersion) -> RulebookVersionOut:
    _compared, changes = selectors.changes(version)
    return RulebookVersionOut(
        number=version.number,
        title=version.title,
        status=version.status,
        based_on=version.based_on,
        vote_id=version.vote_id,
        changes=[
            RuleChangeOut(rule=c.key, label=str(c.label), before=c.before, after=c.after)
            for c in changes
        ],
    )


@router.get(
    "/rulebook",
    response={200: RulebookInForceOut, **errors(404)},
    summary="The rulebook in force, to draft an amendment from",
)
def rulebook_in_force(request):
    if not request.auth.has_perm("rulebook.view"):
        raise HttpError(404, "Not found.")
    rulebook = current()
    return RulebookInForceOut(number=rulebook.version, rules=rulebook.rules)


@router.post(
    "/amendments",
    response={201: RulebookVersionOut, **errors(400, 403, 404, 409)},
    summary="Draft an amendment: stage a new version against the one in force",
)
def amendment_draft(request, payload: RulebookDraftIn):
    _require_amender(request)
    version = services.amendment_draft(
        rules=payload.rules, note=payload.note, drafted_by=request.auth
    )
    return Status(201, _version_out(version))


@router.get(
    "/amendments/{number}",
    response={200: RulebookVersionOut, **errors(404)},
    summary="A version and what it changes, rule by rule",
)
def amendment(request, number: int):
    version = RulebookVersion.objects.filter(number=number).first()
    if version is None or not request.auth.has_perm("rulebook.view"):
        raise HttpError(404, "Not found.")
    return _version_out(version)


@router.post(
    "/amendments/{number}/submit",
    response={200: RulebookVersionOut, **errors(400, 403, 404, 409)},
    summary="Put a drafted amendment to the vote of the body the rulebook names",
)
def amendment_submit(request, number: int, payload: RulebookSubmitIn):
    _require_amender(request)
    version = RulebookVersion.objects.filter(number=number).first()
    if version is None:
        raise HttpError(404, "Not found.")
    meeting = None
    if payload.meeting_id is not None:
        body = selectors.competent_body()
        if body is not None:
            meeting = selectors.meetings_for_motion(body).filter(pk=payload.meeting_id).first()
        if meeting is None:
            raise Refused(
                _("Choose a meeting of the body that amends the constitution that has not closed."),
                field="meeting_id",
            )
    services.amendment_submit(
        version=version,
        closes_at=payload.closes_at,
        comes_into_force_at=payload.comes_into_force_at,
        meeting=meeting,
        submitted_by=request.auth,
    )
    version.refresh_from_db()
    return _version_out(version)
