"""Actions, their roles, members' answers and the units' places: the same services as the
pages, with the same permissions. Anonymous answers go through the public form only (its
honeypot, fill time and address limit need a browser's visit)."""

from datetime import datetime

from django.http import Http404
from django.shortcuts import get_object_or_404
from ninja import Router, Schema, Status
from ninja.pagination import paginate

from commonweal.config.api_errors import errors
from commonweal.core.pagination import LimitOffsetPagination
from commonweal.interventions.models import Struggle
from commonweal.organisation.models import Body, Unit

from . import selectors, services
from .models import ActionPage, Shift, Signup, UnitPlace

router = Router(tags=["mobilisation"])


class ShiftOut(Schema):
    id: int
    role: str
    capacity: int
    taken: int
    starts_at: datetime | None
    ends_at: datetime | None


class MobilisationActionOut(Schema):
    id: int
    kind: str
    title: str
    slug: str
    summary: str
    text: str
    unit_id: int
    body_id: int | None
    struggle_id: int | None
    target: str
    goal: int | None
    starts_at: datetime | None
    ends_at: datetime | None
    place: str
    capacity: int | None
    status: str
    confirmed: int
    public_url: str | None


class MobilisationActionDetailOut(MobilisationActionOut):
    pending: int
    shifts: list[ShiftOut]
    by_unit: list[dict]


class ActionIn(Schema):
    kind: str
    unit_id: int
    title: str
    summary: str = ""
    text: str = ""
    target: str = ""
    goal: int | None = None
    starts_at: datetime | None = None
    ends_at: datetime | None = None
    place: str = ""
    capacity: int | None = None
    body_id: int | None = None
    struggle_id: int | None = None


class ActionChangeIn(Schema):
    title: str | None = None
    summary: str | None = None
    text: str | None = None
    target: str | None = None
    goal: int | None = None
    starts_at: datetime | None = None
    ends_at: datetime | None = None
    place: str | None = None
    capacity: int | None = None


class ShiftIn(Schema):
    role: str
    capacity: int
    starts_at: datetime | None = None
    ends_at: datetime | None = None


class SignIn(Schema):
    phone: str = ""
    postcode: str = ""
    purposes: list[str] = []
    shift_id: int | None = None


class AnswerOut(Schema):
    counted: bool
    signup_id: int | None


class PlaceIn(Schema):
    unit_id: int
    kind: str
    value: str


class PlaceOut(Schema):
    id: int
    unit_id: int
    kind: str
    value: str


def _out(action: ActionPage) -> MobilisationActionOut:
    return MobilisationActionOut(
        id=action.pk,
        kind=action.kind,
        title=action.title,
        slug=action.slug,
        summary=action.summary,
        text=action.text,
        unit_id=action.unit_id,
        body_id=action.body_id,
        struggle_id=action.struggle_id,
        target=action.target,
        goal=action.goal,
        starts_at=action.starts_at,
        ends_at=action.ends_at,
        place=action.place,
        capacity=action.capacity,
        status=action.status,
        confirmed=action.confirmed_count,
        public_url=action.get_public_url() if action.status != "draft" else None,
    )


def _detail(action: ActionPage) -> MobilisationActionDetailOut:
    return MobilisationActionDetailOut(
        **_out(action).dict(),
        pending=action.signups.filter(confirmed_at=None).count(),
        shifts=[
            ShiftOut(
                id=s.pk,
                role=s.role,
                capacity=s.capacity,
                taken=selectors.shift_taken(s),
                starts_at=s.starts_at,
                ends_at=s.ends_at,
            )
            for s in action.shifts.all()
        ],
        by_unit=selectors.signups_by_unit(action),
    )


def _organised(request, action_id: int) -> ActionPage:
    action = get_object_or_404(ActionPage.objects.select_related("unit"), pk=action_id)
    if not request.auth.has_perm("mobilisation.view_signups", action):
        raise Http404
    return action


@router.get("/actions", response=list[MobilisationActionOut], summary="The actions of my units")
@paginate(LimitOffsetPagination)
def action_list(request):
    return [_out(a) for a in selectors.actions_organised(request.auth).order_by("-pk")]


@router.post("/actions", response={201: MobilisationActionDetailOut, **errors(400, 403, 404)})
def action_create(request, data: ActionIn):
    if not request.auth.has_perm("mobilisation.add_action"):
        raise Http404
    unit = get_object_or_404(Unit, pk=data.unit_id)
    body = get_object_or_404(Body, pk=data.body_id) if data.body_id else None
    struggle = get_object_or_404(Struggle, pk=data.struggle_id) if data.struggle_id else None
    action = services.action_create(
        actor=request.auth,
        unit=unit,
        body=body,
        struggle=struggle,
        **data.dict(exclude={"unit_id", "body_id", "struggle_id"}),
    )
    return Status(201, _detail(action))


@router.get("/actions/{action_id}", response={200: MobilisationActionDetailOut, **errors(404)})
def action_detail(request, action_id: int):
    return _detail(_organised(request, action_id))


@router.patch(
    "/actions/{action_id}",
    response={200: MobilisationActionDetailOut, **errors(400, 403, 404, 409)},
)
def action_update(request, action_id: int, data: ActionChangeIn):
    action = _organised(request, action_id)
    changes = data.dict(exclude_unset=True)
    return _detail(services.action_update(actor=request.auth, action=action, **changes))


@router.post(
    "/actions/{action_id}/open",
    response={200: MobilisationActionDetailOut, **errors(403, 404, 409)},
)
def action_open(request, action_id: int):
    action = _organised(request, action_id)
    return _detail(services.action_open(actor=request.auth, action=action))


@router.post(
    "/actions/{action_id}/close",
    response={200: MobilisationActionDetailOut, **errors(403, 404, 409)},
)
def action_close(request, action_id: int):
    action = _organised(request, action_id)
    return _detail(services.action_close(actor=request.auth, action=action))


@router.post(
    "/actions/{action_id}/shifts",
    response={201: MobilisationActionDetailOut, **errors(400, 403, 404, 409)},
)
def shift_add(request, action_id: int, data: ShiftIn):
    action = _organised(request, action_id)
    services.shift_add(actor=request.auth, action=action, **data.dict())
    return Status(201, _detail(action))


@router.post(
    "/actions/{action_id}/sign",
    response={200: AnswerOut, **errors(400, 404, 409, 429)},
    summary="Answer an open action as the signed-in member",
)
def action_sign(request, action_id: int, data: SignIn):
    action = get_object_or_404(ActionPage, pk=action_id, status=ActionPage.Status.OPEN)
    shift = get_object_or_404(Shift, pk=data.shift_id, action=action) if data.shift_id else None
    if services.verified_member(request.auth) is None:
        raise Http404
    answer = services.signup_sign(
        action=action,
        user=request.auth,
        phone=data.phone,
        postcode=data.postcode,
        purposes=data.purposes,
        shift=shift,
    )
    return AnswerOut(counted=answer.counted, signup_id=answer.signup.pk if answer.signup else None)


@router.post("/signups/{signup_id}/invite", response={204: None, **errors(400, 404, 409)})
def signup_invite(request, signup_id: int):
    signup = get_object_or_404(Signup.objects.select_related("action__unit"), pk=signup_id)
    if not request.auth.has_perm("mobilisation.view_signups", signup.action):
        raise Http404
    services.signup_invite(actor=request.auth, signup=signup)
    return Status(204, None)


@router.get("/places", response=list[PlaceOut], summary="Postcode areas and places of my units")
@paginate(LimitOffsetPagination)
def place_list(request):
    return [
        PlaceOut(id=p.pk, unit_id=p.unit_id, kind=p.kind, value=p.value)
        for p in selectors.places_of(selectors.place_units(request.auth))
    ]


@router.post("/places", response={201: PlaceOut, **errors(400, 404, 409)})
def place_add(request, data: PlaceIn):
    unit = get_object_or_404(Unit, pk=data.unit_id)
    if not request.auth.has_perm("mobilisation.keep_places", unit):
        raise Http404
    place = services.place_add(actor=request.auth, unit=unit, kind=data.kind, value=data.value)
    return Status(201, PlaceOut(id=place.pk, unit_id=unit.pk, kind=place.kind, value=place.value))


@router.delete("/places/{place_id}", response={204: None, **errors(404)})
def place_remove(request, place_id: int):
    place = get_object_or_404(UnitPlace.objects.select_related("unit"), pk=place_id)
    if not request.auth.has_perm("mobilisation.keep_places", place.unit):
        raise Http404
    services.place_remove(actor=request.auth, place=place)
    return Status(204, None)
