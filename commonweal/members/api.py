from django.shortcuts import get_object_or_404
from ninja import Router, Schema
from ninja.errors import HttpError

from commonweal.config.api_errors import errors

from . import services
from .models import Member

router = Router(tags=["members"])


class MemberOut(Schema):
    id: int
    full_name: str
    unit_id: int | None
    status: str


class MeOut(MemberOut):
    email: str
    capacities: list[str]
    skills: list[str]
    interests: list[str]
    visibility: str
    locale: str


class ProfileIn(Schema):
    full_name: str | None = None
    capacities: list[str] | None = None
    skills: list[str] | None = None
    interests: list[str] | None = None
    visibility: str | None = None
    locale: str | None = None


@router.get("/me", response=MeOut, summary="The signed-in member")
def me(request):
    return request.auth


@router.patch("/me", response={200: MeOut, **errors(400)}, summary="Update my profile")
def update_me(request, payload: ProfileIn):
    return services.profile_update(member=request.auth, **payload.dict(exclude_unset=True))


@router.get(
    "/{member_id}",
    response={200: MemberOut, **errors(404)},
    summary="A member's profile, if visible to you",
)
def member_detail(request, member_id: int):
    member = get_object_or_404(Member, pk=member_id)
    if not request.auth.has_perm("members.view_profile", member):
        raise HttpError(404, "Not found.")
    services.profile_viewed(viewer=request.auth, subject=member, what="api profile")
    return MemberOut(
        id=member.pk, full_name=member.display_name, unit_id=member.unit_id, status=member.status
    )
