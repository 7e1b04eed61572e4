from datetime import datetime

from django.shortcuts import get_object_or_404
from ninja import Body, Router, Schema
from ninja.pagination import paginate

from commonweal.config.api_errors import errors
from commonweal.core.pagination import LimitOffsetPagination
from commonweal.organisation.models import Unit

from . import services
from .selectors import mutes_of, notifications_for, preferences_of, unread_count

router = Router(tags=["notifications"])


class NotificationOut(Schema):
    id: int
    kind: str
    category: str
    title: str
    text: str
    link: str
    urgent: bool
    thread: str
    created_at: datetime
    read_at: datetime | None
    muted: bool

    @staticmethod
    def resolve_kind(obj):
        return obj.event.kind

    @staticmethod
    def resolve_category(obj):
        return obj.event.category

    @staticmethod
    def resolve_title(obj):
        return obj.event.display_title

    @staticmethod
    def resolve_text(obj):
        return obj.event.text

    @staticmethod
    def resolve_link(obj):
        return obj.event.link

    @staticmethod
    def resolve_urgent(obj):
        return obj.event.urgent

    @staticmethod
    def resolve_thread(obj):
        return obj.event.thread


class CountOut(Schema):
    unread: int


class PreferenceOut(Schema):
    category: str
    label: str
    delivery: str
    choices: list[str]


class ThreadIn(Schema):
    thread: str


class AlertIn(Schema):
    unit_id: int
    title: str
    text: str


class AlertOut(Schema):
    event_id: int


@router.get("/", response=list[NotificationOut], summary="My notifications, newest first")
@paginate(LimitOffsetPagination)
def notification_list(request, category: str = "", unread: bool = False):
    return notifications_for(request.auth, category=category, unread=unread)


@router.get("/unread", response=CountOut, summary="How many notifications I have not read")
def unread(request):
    return {"unread": unread_count(request.auth)}


@router.post(
    "/{notification_id}/read", response={200: CountOut, **errors(400)}, summary="Mark one as read"
)
def mark_read(request, notification_id: int):
    services.notification_mark_read(member=request.auth, notification_id=notification_id)
    return {"unread": unread_count(request.auth)}


@router.post("/read-all", response=CountOut, summary="Mark all as read")
def mark_all_read(request):
    services.notifications_mark_all_read(member=request.auth)
    return {"unread": 0}


def _preferences(member) -> list[dict]:
    return [
        {"category": c.key, "label": str(c.label), "delivery": d, "choices": list(c.choices)}
        for c, d in preferences_of(member)
    ]


@router.get("/preferences", response=list[PreferenceOut], summary="My email choice per category")
def preferences(request):
    return _preferences(request.auth)


@router.put(
    "/preferences",
    response={200: list[PreferenceOut], **errors(400)},
    summary="Change email choices: {category: immediate|daily|weekly|never}",
)
def preferences_update(request, payload: dict[str, str] = Body(...)):  # noqa: B008
    services.preferences_set(member=request.auth, choices=payload)
    return _preferences(request.auth)


@router.get("/mutes", response=list[str], summary="Threads I muted")
def mutes(request):
    return list(mutes_of(request.auth).values_list("thread", flat=True))


@router.post("/mutes", response={200: list[str], **errors(400)}, summary="Mute a thread")
def mute(request, payload: ThreadIn):
    services.thread_mute(member=request.auth, thread=payload.thread)
    return list(mutes_of(request.auth).values_list("thread", flat=True))


@router.post("/mutes/remove", response=list[str], summary="Unmute a thread")
def unmute(request, payload: ThreadIn):
    services.thread_unmute(member=request.auth, thread=payload.thread)
    return list(mutes_of(request.auth).values_list("thread", flat=True))


@router.post(
    "/alerts",
    response={200: AlertOut, **errors(400, 403, 404)},
    summary="Send an urgent alert to a unit's subtree",
)
def alert(request, payload: AlertIn):
    unit = get_object_or_404(Unit, pk=payload.unit_id)
    event = services.urgent_alert_send(
        unit=unit, title=payload.title, text=payload.text, sent_by=request.auth
    )
    return {"event_id": event.pk}
