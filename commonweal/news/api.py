"""News, unit boards and the public news data, over the API."""

from datetime import date, datetime

from django.shortcuts import get_object_or_404
from ninja import Router, Schema, Status
from ninja.errors import HttpError
from ninja.pagination import paginate

from commonweal.config.api_errors import errors
from commonweal.core.pagination import LimitOffsetPagination
from commonweal.organisation.models import Body, Unit

from . import selectors, services
from .models import NewsItem, Notice

router = Router(tags=["news"])


class NewsOut(Schema):
    id: int
    title: str
    body: str
    unit_id: int
    body_scope_id: int | None
    is_public: bool
    image_url: str
    image_alt: str
    author: str
    published_at: datetime
    url: str

    @staticmethod
    def resolve_author(item: NewsItem) -> str:
        return item.author.display_name if item.author else ""

    @staticmethod
    def resolve_url(item: NewsItem) -> str:
        return item.get_absolute_url()


class NewsIn(Schema):
    title: str
    body: str
    unit_id: int | None = None
    body_scope_id: int | None = None
    is_public: bool = False
    image_url: str = ""
    image_alt: str = ""


class NoticeOut(Schema):
    id: int
    unit_id: int
    title: str
    text: str
    expires_on: date
    author: str
    posted_at: datetime
    taken_down_at: datetime | None
    takedown_reason: str

    @staticmethod
    def resolve_author(notice: Notice) -> str:
        return notice.author.display_name if notice.author else ""


class NoticeIn(Schema):
    title: str
    text: str
    expires_on: date


class TakeDownIn(Schema):
    reason: str


class PolicyOut(Schema):
    title: str
    slug: str
    summary: str
    published_at: datetime
    url: str

    @staticmethod
    def resolve_url(policy) -> str:
        return policy.get_absolute_url()


@router.get("/", response=list[NewsOut], summary="News for me, newest first")
@paginate(LimitOffsetPagination)
def news_list(request):
    return selectors.news_for_member(request.auth)


@router.post(
    "/", response={201: NewsOut, **errors(400, 403, 404)}, summary="Publish news to a unit or body"
)
def news_create(request, payload: NewsIn):
    body_scope = (
        get_object_or_404(Body, pk=payload.body_scope_id) if payload.body_scope_id else None
    )
    if body_scope is None and payload.unit_id is None:
        raise HttpError(400, "Give unit_id or body_scope_id.")
    unit = body_scope.unit if body_scope else get_object_or_404(Unit, pk=payload.unit_id)
    item = services.news_publish(
        author=request.auth,
        title=payload.title,
        body=payload.body,
        unit=unit,
        body_scope=body_scope,
        is_public=payload.is_public,
        image_url=payload.image_url,
        image_alt=payload.image_alt,
    )
    return Status(201, item)


@router.get("/public", response=list[NewsOut], auth=None, summary="Public news, newest first")
@paginate(LimitOffsetPagination)
def public_news(request):
    return selectors.public_news()


@router.get(
    "/public/policies",
    response=list[PolicyOut],
    auth=None,
    summary="Published policies, newest first",
)
@paginate(LimitOffsetPagination)
def public_policies(request):
    from commonweal.policy.selectors import published_policies

    return published_policies().order_by("-published_at")


@router.get(
    "/{item_id}", response={200: NewsOut, **errors(404)}, summary="One news item, if it is for you"
)
def news_detail(request, item_id: int):
    item = selectors.news_item(item_id).first()
    if item is None or not request.auth.has_perm("news.view_newsitem", item):
        raise HttpError(404, "Not found.")
    return item


def _board(request, unit_id: int) -> Unit:
    unit = get_object_or_404(Unit, pk=unit_id)
    if not request.auth.has_perm("news.view_board", unit):
        raise HttpError(404, "Not found.")
    return unit


@router.get(
    "/boards/{unit_id}/notices",
    response={200: list[NoticeOut], **errors(404)},
    summary="A unit board's notices",
)
@paginate(LimitOffsetPagination)
def notices(request, unit_id: int):
    return selectors.board_notices(_board(request, unit_id), request.auth)


@router.post(
    "/boards/{unit_id}/notices",
    response={201: NoticeOut, **errors(400, 403, 404)},
    summary="Put up a notice",
)
def notice_post(request, unit_id: int, payload: NoticeIn):
    notice = services.notice_post(
        author=request.auth, unit=_board(request, unit_id), **payload.dict()
    )
    return Status(201, notice)


@router.post(
    "/notices/{notice_id}/take-down",
    response={200: NoticeOut, **errors(400, 403, 404, 409)},
    summary="Take a notice down",
)
def notice_take_down(request, notice_id: int, payload: TakeDownIn):
    notice = get_object_or_404(Notice.objects.select_related("unit", "author"), pk=notice_id)
    if not request.auth.has_perm("news.take_down_notice", notice):
        raise HttpError(404, "Not found.")
    return services.notice_take_down(notice=notice, officer=request.auth, reason=payload.reason)
