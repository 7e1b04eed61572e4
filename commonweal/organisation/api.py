from django.shortcuts import get_object_or_404
from ninja import Router, Schema
from ninja.errors import HttpError
from ninja.pagination import paginate

from commonweal.config.api_errors import errors
from commonweal.core.pagination import LimitOffsetPagination

from . import selectors
from .models import Body, Unit

router = Router(tags=["organisation"])


class UnitOut(Schema):
    id: int
    name: str
    slug: str
    kind: str
    depth: int
    path: str


class BodyOut(Schema):
    id: int
    name: str
    slug: str
    kind: str
    unit_id: int
    subject: str


class MandateOut(Schema):
    id: int
    office: str
    holder_id: int
    starts_on: str
    ends_on: str


def _require_member(request) -> None:
    if not request.auth.has_perm("organisation.view_unit"):
        raise HttpError(403, "Only members may see the organisation's units and bodies.")


@router.get(
    "/units", response={200: list[UnitOut], **errors(403)}, summary="The unit tree, in tree order"
)
@paginate(LimitOffsetPagination)
def units(request):
    _require_member(request)
    return selectors.unit_tree()


@router.get("/units/{slug}", response={200: UnitOut, **errors(403, 404)})
def unit(request, slug: str):
    _require_member(request)
    return get_object_or_404(Unit, slug=slug)


@router.get(
    "/bodies",
    response={200: list[BodyOut], **errors(403)},
    summary="Bodies, optionally of one kind",
)
@paginate(LimitOffsetPagination)
def bodies(request, kind: str | None = None):
    _require_member(request)
    queryset = Body.objects.order_by("name")
    return queryset.filter(kind=kind) if kind else queryset


@router.get("/bodies/{slug}/mandates", response={200: list[MandateOut], **errors(404)})
def body_mandates(request, slug: str):
    body = get_object_or_404(Body, slug=slug)
    if not request.auth.has_perm("organisation.view_body", body):
        raise HttpError(404, "Not found.")
    return [
        MandateOut(
            id=m.pk,
            office=m.office,
            holder_id=m.holder_id,
            starts_on=m.starts_on.isoformat(),
            ends_on=m.ends_on.isoformat(),
        )
        for m in selectors.active_mandates(body=body)
    ]
