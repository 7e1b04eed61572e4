"""Participation figures, with the pages' permissions: what one may not see is a 404."""

from datetime import date

from django.http import Http404
from django.shortcuts import get_object_or_404
from ninja import Router, Schema

from commonweal.config.api_errors import errors
from commonweal.organisation.models import Body, Unit

from . import selectors

router = Router(tags=["insights"])


class MonthOut(Schema):
    month: date
    members: int
    joined: int
    left: int
    supported: int
    contributed: int
    voted: int
    attended: int
    trained: int


class ParticipationOut(Schema):
    name: str
    months: list[MonthOut]


def _looker(request):
    if not request.auth.has_perm("insights.look"):
        raise Http404
    return request.auth


@router.get(
    "/units/{slug}",
    response={200: ParticipationOut, **errors(404)},
    summary="A unit's participation with every unit below it, month by month",
)
def unit_participation(request, slug: str):
    unit = get_object_or_404(Unit, slug=slug)
    if not selectors.may_see_unit(_looker(request), unit):
        raise Http404
    return {"name": unit.name, "months": selectors.unit_series(unit)}


@router.get(
    "/bodies/{body_id}",
    response={200: ParticipationOut, **errors(404)},
    summary="A body's members and what they did, month by month",
)
def body_participation(request, body_id: int):
    body = get_object_or_404(Body, pk=body_id)
    if not selectors.may_see_body(_looker(request), body):
        raise Http404
    return {"name": body.name, "months": selectors.body_series(body)}
