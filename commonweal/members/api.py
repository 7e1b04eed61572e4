from django.http import Http404
from django.shortcuts import get_object_or_404
from ninja import Query, Router, Schema, Status
from ninja.errors import HttpError
from ninja.pagination import paginate

from commonweal.config.api_errors import errors
from commonweal.core.pagination import LimitOffsetPagination
from commonweal.organisation.models import Unit

from . import register as register_filters
from . import selectors, services
from .models import Member, Offer

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
    tags_for_officers: list[str]
    visibility: str
    locale: str


class ProfileIn(Schema):
    full_name: str | None = None
    capacities: list[str] | None = None
    skills: list[str] | None = None
    interests: list[str] | None = None
    tags_for_officers: list[str] | None = None
    visibility: str | None = None
    locale: str | None = None


@router.get("/me", response=MeOut, summary="The signed-in member")
def me(request):
    return request.auth


@router.patch("/me", response={200: MeOut, **errors(400)}, summary="Update my profile")
def update_me(request, payload: ProfileIn):
    return services.profile_update(member=request.auth, **payload.dict(exclude_unset=True))


class RegisterMemberOut(Schema):
    id: int
    full_name: str
    unit_id: int | None
    capacities: list[str]
    skills: list[str]
    interests: list[str]
    tags_for_officers: list[str]


class RegisterPageOut(Schema):
    members: list[RegisterMemberOut]
    next_after: int | None


class RegisterQuery(Schema):
    unit_id: int | None = None
    words: str = ""
    kinds: list[str] = []
    after: int = 0


@router.get(
    "/register",
    response={200: RegisterPageOut, **errors(404)},
    summary="Search the capacities register (officers, within their units)",
)
def register_search(request, query: Query[RegisterQuery]):
    """Members in good standing under the unit (by default the officer's highest) whose
    tags hold every word, narrowed by the registered filters (e.g. `course=<slug>`, passed
    as further query parameters). Only an officer of the unit or a unit above it (or an
    administrator) gets an answer."""
    if query.unit_id is None:
        unit = selectors.register_units(request.auth).first()
    else:
        unit = Unit.objects.filter(pk=query.unit_id).first()
    if unit is None or not selectors.may_search_register_under(request.auth, unit):
        raise Http404
    chosen = {f.key: request.GET.get(f.key, "") for f in register_filters.filters()}
    page = selectors.register_search(
        request.auth,
        unit=unit,
        words=query.words[:200],
        kinds=query.kinds,
        chosen=chosen,
        after=max(0, query.after),
    )
    return RegisterPageOut(
        members=[
            RegisterMemberOut(
                id=m.pk,
                full_name=m.display_name,
                unit_id=m.unit_id,
                capacities=m.capacities,
                skills=m.skills,
                interests=m.interests,
                tags_for_officers=m.tags_for_officers,
            )
            for m in page.members
        ],
        next_after=page.next_after,
    )


class OfferOut(Schema):
    id: int
    member_id: int
    unit_id: int
    title: str
    text: str
    status: str
    reason: str


class OfferIn(Schema):
    title: str
    text: str = ""


class OfferAnswerIn(Schema):
    accept: bool
    reason: str = ""


def _offer_out(offer: Offer) -> OfferOut:
    return OfferOut(
        id=offer.pk,
        member_id=offer.member_id,
        unit_id=offer.unit_id,
        title=offer.title,
        text=offer.text,
        status=offer.status,
        reason=offer.reason,
    )


@router.get("/offers", response=list[OfferOut], summary="My offers to help")
@paginate(LimitOffsetPagination)
def offers_mine(request):
    return [_offer_out(offer) for offer in selectors.offers_of(request.auth)]


@router.get(
    "/offers/to-answer",
    response=list[OfferOut],
    summary="Offers from the members of the units I am an officer of",
)
@paginate(LimitOffsetPagination)
def offers_to_answer(request):
    return [_offer_out(offer) for offer in selectors.offers_to_answer(request.auth)]


@router.post("/offers", response={201: OfferOut, **errors(400, 403, 409)})
def offer_make(request, data: OfferIn):
    return Status(
        201, _offer_out(services.offer_make(member=request.auth, title=data.title, text=data.text))
    )


@router.post("/offers/{offer_id}/withdraw", response={200: OfferOut, **errors(404, 409)})
def offer_withdraw(request, offer_id: int):
    offer = get_object_or_404(Offer, pk=offer_id, member=request.auth)
    return _offer_out(services.offer_withdraw(member=request.auth, offer=offer))


@router.post("/offers/{offer_id}/answer", response={200: OfferOut, **errors(400, 404, 409)})
def offer_answer(request, offer_id: int, data: OfferAnswerIn):
    offer = get_object_or_404(Offer.objects.select_related("unit"), pk=offer_id)
    if not request.auth.has_perm("members.answer_offer", offer):
        raise Http404
    return _offer_out(
        services.offer_answer(
            offer=offer, officer=request.auth, accept=data.accept, reason=data.reason
        )
    )


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


@router.post(
    "/{member_id}/reinstate",
    response={200: MemberOut, **errors(403, 404, 409)},
    summary="Reinstate a suspended member (officers of their unit or a unit above)",
)
def member_reinstate(request, member_id: int):
    member = Member.objects.filter(pk=member_id).first()
    if member is None or not request.auth.has_perm("members.suspend_member", member):
        raise HttpError(404, "Not found.")
    member = services.member_reinstate(member=member, officer=request.auth)
    return MemberOut(
        id=member.pk, full_name=member.display_name, unit_id=member.unit_id, status=member.status
    )
