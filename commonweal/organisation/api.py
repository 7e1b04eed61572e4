from datetime import date
from typing import Any

from django.shortcuts import get_object_or_404
from django.utils.translation import gettext as _
from ninja import Field, Router, Schema, Status
from ninja.errors import HttpError
from ninja.pagination import paginate

from commonweal.config.api_errors import errors
from commonweal.core.errors import Refused
from commonweal.core.pagination import LimitOffsetPagination

from . import selectors, services
from .models import Body, BodyMembership, Mandate, Referral, Unit

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
    ended_early_on: str | None = None


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


# Changing the structure ------------------------------------------------------------------
# The same services and permissions as the pages: an operation on something the caller may
# not change is a 404 (as its page is), and the service checks again and names its refusal.


class UnitCreateIn(Schema):
    name: str = Field(max_length=200)
    kind: str = Field(description="region or branch (a unit below a national unit or region)")


class UnitRenameIn(Schema):
    name: str = Field(max_length=200)


class UnitMergeIn(Schema):
    into: str = Field(description="The slug of the open unit of the same kind it merges into")


class UnitCloseIn(Schema):
    members_to: str | None = Field(
        None, description="The slug of the unit its members move to (needed if it has any)"
    )


class BodyCreateIn(Schema):
    name: str = Field(max_length=200)
    kind: str = Field(description="leadership, department, policy_section or conference")
    subject: str = Field("", max_length=120)
    description: str = Field("", max_length=5000)


class BodyMemberIn(Schema):
    member_id: int = Field(description="A member in good standing within the body's unit")


class BodyMemberOut(Schema):
    body_id: int
    member_id: int
    role: str
    since: date


class MandateAppointIn(Schema):
    member_id: int = Field(description="The holder: a member within the body's unit")
    office: str = Field(max_length=120)
    granted_as: str = Field(description="co_option (a full term) or interim")
    reason: str = Field(max_length=300)


class MandateEndIn(Schema):
    reason: str = Field(max_length=300)


class ReferralAnswerIn(Schema):
    response: str = Field(max_length=20_000)
    decline: bool = False


class ReferralAnsweredOut(Schema):
    id: int
    status: str
    response: str


def _mandate_out(mandate: Mandate) -> MandateOut:
    return MandateOut(
        id=mandate.pk,
        office=mandate.office,
        holder_id=mandate.holder_id,
        starts_on=mandate.starts_on.isoformat(),
        ends_on=mandate.ends_on.isoformat(),
        ended_early_on=mandate.ended_early_on.isoformat() if mandate.ended_early_on else None,
    )


def _unit_or_404(request, slug: str, perm: str) -> Unit:
    unit = Unit.objects.filter(slug=slug, closed_on=None).first()
    if unit is None or not request.auth.has_perm(perm, unit):
        raise HttpError(404, "Not found.")
    return unit


def _body_or_404(request, slug: str, perm: str) -> Body:
    body = Body.objects.select_related("unit").filter(slug=slug, closed_on=None).first()
    if body is None or not request.auth.has_perm(perm, body):
        raise HttpError(404, "Not found.")
    return body


def _member_within(unit: Unit, member_id: int) -> Any:
    """The member, if they belong to the unit's subtree; the page finds them by address."""
    from commonweal.members.models import Member

    member = (
        Member.objects.filter(pk=member_id, unit__path__startswith=unit.path)
        .select_related("unit")
        .first()
    )
    if member is None:
        raise Refused(
            _("No member with this id within %(unit)s.") % {"unit": unit.name},
            field="member_id",
        )
    return member


def _other_unit(slug: str | None, field: str) -> Unit | None:
    if not slug:
        return None
    unit = Unit.objects.filter(slug=slug).first()
    if unit is None:
        raise Refused(_("There is no unit %(slug)s.") % {"slug": slug}, field=field)
    return unit


@router.post(
    "/units/{slug}/units",
    response={201: UnitOut, **errors(400, 403, 404, 409)},
    summary="Add a unit below this one",
)
def unit_create(request, slug: str, payload: UnitCreateIn):
    parent = _unit_or_404(request, slug, "organisation.add_unit")
    if parent.is_basic:
        raise HttpError(404, "Not found.")
    unit = services.unit_create(
        name=payload.name, kind=payload.kind, parent=parent, created_by=request.auth
    )
    return Status(201, unit)


@router.post(
    "/units/{slug}/rename",
    response={200: UnitOut, **errors(400, 403, 404, 409)},
    summary="Rename a unit",
)
def unit_rename(request, slug: str, payload: UnitRenameIn):
    unit = _unit_or_404(request, slug, "organisation.change_unit")
    return services.unit_rename(unit=unit, name=payload.name, renamed_by=request.auth)


@router.post(
    "/units/{slug}/merge",
    response={200: UnitOut, **errors(400, 403, 404, 409)},
    summary="Merge a unit into another; answers the unit it merged into",
)
def unit_merge(request, slug: str, payload: UnitMergeIn):
    unit = _unit_or_404(request, slug, "organisation.change_unit")
    into = _other_unit(payload.into, "into")
    services.unit_merge(unit=unit, into=into, merged_by=request.auth)
    return Unit.objects.get(pk=into.pk)


@router.post(
    "/units/{slug}/close",
    response={200: UnitOut, **errors(400, 403, 404, 409)},
    summary="Close a unit; its members move to the unit named",
)
def unit_close(request, slug: str, payload: UnitCloseIn):
    unit = _unit_or_404(request, slug, "organisation.change_unit")
    members_to = _other_unit(payload.members_to, "members_to")
    return services.unit_close(unit=unit, members_to=members_to, closed_by=request.auth)


@router.post(
    "/units/{slug}/bodies",
    response={201: BodyOut, **errors(400, 403, 404, 409)},
    summary="Create a body in a unit",
)
def body_create(request, slug: str, payload: BodyCreateIn):
    unit = Unit.objects.filter(slug=slug, closed_on=None).first()
    if unit is None or not request.auth.has_perm("organisation.change_body", Body(unit=unit)):
        raise HttpError(404, "Not found.")
    body = services.body_create(unit=unit, created_by=request.auth, **payload.dict())
    return Status(201, body)


@router.post(
    "/bodies/{slug}/close",
    response={200: BodyOut, **errors(400, 403, 404, 409)},
    summary="Close a body (an assembly closes only with its unit)",
)
def body_close(request, slug: str):
    body = _body_or_404(request, slug, "organisation.change_body")
    return services.body_close(body=body, closed_by=request.auth)


@router.post(
    "/bodies/{slug}/members",
    response={201: BodyMemberOut, **errors(400, 403, 404, 409)},
    summary="Add a member to a body",
)
def body_member_add(request, slug: str, payload: BodyMemberIn):
    body = _body_or_404(request, slug, "organisation.manage_body")
    member = _member_within(body.unit, payload.member_id)
    membership = services.body_membership_add(body=body, member=member, added_by=request.auth)
    return Status(
        201,
        BodyMemberOut(
            body_id=body.pk,
            member_id=member.pk,
            role=membership.role,
            since=membership.since,
        ),
    )


@router.delete(
    "/bodies/{slug}/members/{member_id}",
    response={204: None, **errors(400, 403, 404, 409)},
    summary="Remove a member from a body",
)
def body_member_remove(request, slug: str, member_id: int):
    body = _body_or_404(request, slug, "organisation.manage_body")
    membership = BodyMembership.objects.filter(body=body, member_id=member_id, until=None).first()
    if membership is None:
        raise HttpError(404, "Not found.")
    services.body_membership_end(membership=membership, ended_by=request.auth)
    return Status(204, None)


@router.post(
    "/bodies/{slug}/mandates",
    response={201: MandateOut, **errors(400, 403, 404, 409)},
    summary="Fill an office outside an election (co-option, interim appointment)",
)
def mandate_appoint(request, slug: str, payload: MandateAppointIn):
    body = _body_or_404(request, slug, "organisation.appoint_to_body")
    mandate = services.mandate_appoint(
        body=body,
        holder=_member_within(body.unit, payload.member_id),
        office=payload.office,
        granted_as=payload.granted_as,
        reason=payload.reason,
        appointed_by=request.auth,
    )
    return Status(201, _mandate_out(mandate))


@router.post(
    "/mandates/{pk}/end",
    response={200: MandateOut, **errors(400, 403, 404, 409)},
    summary="End a mandate before its term",
)
def mandate_end(request, pk: int, payload: MandateEndIn):
    mandate = Mandate.objects.select_related("body").filter(pk=pk, ended_early_on=None).first()
    if mandate is None or not request.auth.has_perm("organisation.appoint_to_body", mandate.body):
        raise HttpError(404, "Not found.")
    mandate = services.mandate_end(mandate=mandate, reason=payload.reason, ended_by=request.auth)
    return _mandate_out(mandate)


@router.post(
    "/referrals/{pk}/answer",
    response={200: ReferralAnsweredOut, **errors(400, 403, 404, 409)},
    summary="Answer a referral made to your body",
)
def referral_answer(request, pk: int, payload: ReferralAnswerIn):
    referral = (
        Referral.objects.select_related("to_body")
        .filter(pk=pk, status=Referral.Status.OPEN)
        .first()
    )
    if referral is None or not request.auth.has_perm(
        "organisation.refer_from_body", referral.to_body
    ):
        raise HttpError(404, "Not found.")
    referral = services.referral_answer(
        referral=referral,
        response=payload.response,
        decline=payload.decline,
        answered_by=request.auth,
    )
    return ReferralAnsweredOut(id=referral.pk, status=referral.status, response=referral.response)
