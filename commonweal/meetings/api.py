from datetime import datetime
from typing import Annotated

from django.shortcuts import get_object_or_404
from django.utils.translation import gettext as _
from ninja import Field, Router, Schema, Status
from ninja.errors import HttpError
from ninja.pagination import paginate

from commonweal.config.api_errors import errors
from commonweal.core.errors import Refused
from commonweal.core.pagination import LimitOffsetPagination
from commonweal.members.models import Member
from commonweal.organisation.models import Body, Mandate, Unit

from . import selectors, services
from .models import AgendaItem, Meeting, Minutes, Motion, Recall

router = Router(tags=["meetings"])


class MeetingOut(Schema):
    id: int
    body_id: int
    kind: str
    title: str
    place: str
    video_url: str
    opens_at: datetime
    closes_at: datetime
    scope_id: int | None
    state: str = Field(
        description="planned, open or closed: where the meeting stands now, as its page says"
    )
    is_public: bool

    @staticmethod
    def resolve_state(meeting) -> str:
        # A detail answer is validated again from this schema's own dict.
        return meeting["state"] if isinstance(meeting, dict) else meeting.phase


class ItemOut(Schema):
    id: int
    order: int
    kind: str
    title: str
    text: str
    subject: str
    vote_id: int | None = None


class QuorumOut(Schema):
    entitled: int
    present: int
    needed: int
    reached: bool


class MeetingDetailOut(MeetingOut):
    items: list[ItemOut]
    quorum: QuorumOut


class SpeakerOut(Schema):
    member_id: int
    name: str
    has_spoken: bool


class SpeakersOut(Schema):
    speaking: str | None
    queue: list[SpeakerOut]


class MotionOut(Schema):
    id: int
    amends_id: int | None
    text: str
    state: str
    vote_id: int | None = None
    decision_id: int | None


class MinutesOut(Schema):
    text: str
    state: str
    approved_at: datetime | None
    sent_at: datetime | None


class EconferenceIn(Schema):
    body: str
    title: str
    opens_at: datetime
    closes_at: datetime
    video_url: str = ""
    scope: str | None = None
    description: str = ""


class ItemIn(Schema):
    kind: str
    title: str
    text: str = ""


class TextIn(Schema):
    text: str


class MotionIn(Schema):
    text: str
    amends: int | None = None


class MissingReportOut(Schema):
    mandate_id: int
    office: str
    holder: str
    due_on: str
    days_overdue: int


class RecallOut(Schema):
    id: int
    mandate_id: int
    state: str
    support_count: int
    support_needed: int


def _visible_meeting(request, pk: int) -> Meeting:
    meeting = get_object_or_404(Meeting.objects.select_related("body__unit", "scope"), pk=pk)
    if not request.auth.has_perm("meetings.view_meeting", meeting):
        raise HttpError(404, "Not found.")
    return meeting


def _visible_item(request, pk: int) -> AgendaItem:
    item = get_object_or_404(AgendaItem.objects.select_related("meeting__body__unit"), pk=pk)
    _visible_meeting(request, item.meeting_id)
    return item


@router.get(
    "/",
    response={200: list[MeetingOut], **errors(403)},
    summary="Meetings and e-conferences, newest first",
)
@paginate(LimitOffsetPagination)
def meetings(request):
    if not request.auth.has_perm("meetings.view_meeting"):
        raise HttpError(403, "Only members may see meetings.")
    return selectors.meeting_list()


@router.get("/mine", response=list[MeetingOut], summary="Upcoming meetings that concern me")
def my_meetings(request):
    return list(selectors.meetings_for_member(request.auth)[:200])


# Before "/{pk}", which would otherwise take this address.
@router.post(
    "/econferences",
    response={201: MeetingOut, **errors(400, 403, 404)},
    summary="Call an e-conference",
)
def econference_call(request, payload: EconferenceIn):
    body = get_object_or_404(Body, slug=payload.body)
    scope = get_object_or_404(Unit, slug=payload.scope) if payload.scope else None
    meeting = services.econference_call(
        body=body,
        title=payload.title,
        opens_at=payload.opens_at,
        closes_at=payload.closes_at,
        video_url=payload.video_url,
        scope=scope,
        description=payload.description,
        called_by=request.auth,
    )
    return Status(201, meeting)


@router.get("/{pk}", response={200: MeetingDetailOut, **errors(404)})
def meeting(request, pk: int):
    meeting = _visible_meeting(request, pk)
    data = MeetingOut.from_orm(meeting).dict()
    data["items"] = list(meeting.items.all())
    data["quorum"] = selectors.quorum_status(meeting)
    return data


@router.post(
    "/{pk}/items",
    response={201: ItemOut, **errors(400, 403, 404, 409)},
    summary="Add an agenda item",
)
def item_add(request, pk: int, payload: ItemIn):
    meeting = _visible_meeting(request, pk)
    item = services.agenda_item_add(meeting=meeting, added_by=request.auth, **payload.dict())
    return Status(201, item)


@router.post(
    "/{pk}/attendance", response={204: None, **errors(403, 404, 409)}, summary="Register as present"
)
def attend(request, pk: int):
    services.attendance_register(meeting=_visible_meeting(request, pk), member=request.auth)
    return Status(204, None)


@router.delete(
    "/{pk}/attendance", response={204: None, **errors(404, 409)}, summary="Leave the meeting"
)
def leave(request, pk: int):
    services.attendance_leave(meeting=_visible_meeting(request, pk), member=request.auth)
    return Status(204, None)


@router.get(
    "/items/{pk}/speakers", response={200: SpeakersOut, **errors(404)}, summary="The speakers' list"
)
def speakers(request, pk: int):
    item = _visible_item(request, pk)
    speaking = selectors.speaking_now(item)
    return {
        "speaking": speaking.member.display_name if speaking else None,
        "queue": [
            {"member_id": t.member_id, "name": t.member.display_name, "has_spoken": t.has_spoken}
            for t in selectors.speakers_queue(item)
        ],
    }


@router.post(
    "/items/{pk}/speakers",
    response={204: None, **errors(400, 403, 404, 409)},
    summary="Ask to speak",
)
def speak(request, pk: int):
    services.speaker_request(item=_visible_item(request, pk), member=request.auth)
    return Status(204, None)


@router.get("/items/{pk}/motions", response={200: list[MotionOut], **errors(404)})
def motions(request, pk: int):
    item = _visible_item(request, pk)
    return list(Motion.objects.filter(item=item).order_by("tabled_at", "pk"))


@router.post(
    "/items/{pk}/motions",
    response={201: MotionOut, **errors(400, 403, 404, 409)},
    summary="Table a motion or amendment",
)
def motion_table(request, pk: int, payload: MotionIn):
    item = _visible_item(request, pk)
    amends = get_object_or_404(Motion, pk=payload.amends, item=item) if payload.amends else None
    motion = services.motion_table(
        item=item, text=payload.text, tabled_by=request.auth, amends=amends
    )
    return Status(201, motion)


@router.get("/{pk}/minutes", response={200: MinutesOut, **errors(404)})
def minutes(request, pk: int):
    return get_object_or_404(Minutes, meeting=_visible_meeting(request, pk))


@router.put(
    "/{pk}/minutes",
    response={200: MinutesOut, **errors(400, 403, 404, 409)},
    summary="Write the minutes (secretary)",
)
def minutes_write(request, pk: int, payload: TextIn):
    meeting = _visible_meeting(request, pk)
    return services.minutes_write(meeting=meeting, text=payload.text, written_by=request.auth)


@router.post(
    "/{pk}/minutes/approval",
    response={200: MinutesOut, **errors(403, 404, 409)},
    summary="Approve the minutes (chair)",
)
def minutes_approve(request, pk: int):
    minutes = get_object_or_404(Minutes, meeting=_visible_meeting(request, pk))
    return services.minutes_approve(minutes=minutes, approved_by=request.auth)


@router.get("/bodies/{slug}/missing-reports", response={200: list[MissingReportOut], **errors(404)})
def missing_reports(request, slug: str):
    body = get_object_or_404(Body, slug=slug)
    if not request.auth.has_perm("organisation.view_body", body):
        raise HttpError(404, "Not found.")
    return [
        {
            "mandate_id": row["mandate"].pk,
            "office": row["mandate"].office,
            "holder": row["mandate"].holder.display_name,
            "due_on": row["due_on"].isoformat(),
            "days_overdue": row["days_overdue"],
        }
        for row in selectors.missing_reports(body)
    ]


@router.post(
    "/mandates/{pk}/reports",
    response={204: None, **errors(400, 403, 404, 409)},
    summary="File a report",
)
def report_file(request, pk: int, payload: TextIn):
    mandate = get_object_or_404(Mandate.objects.select_related("body"), pk=pk)
    services.report_file(mandate=mandate, text=payload.text, filed_by=request.auth)
    return Status(204, None)


@router.get("/recalls/{pk}", response={200: RecallOut, **errors(404)})
def recall(request, pk: int):
    recall = get_object_or_404(Recall.objects.select_related("mandate__body"), pk=pk)
    if not request.auth.has_perm("organisation.view_body", recall.mandate.body):
        raise HttpError(404, "Not found.")
    return recall


@router.post(
    "/recalls/{pk}/support",
    response={200: RecallOut, **errors(400, 403, 404, 409)},
    summary="Support a recall",
)
def recall_support(request, pk: int):
    recall = get_object_or_404(Recall.objects.select_related("mandate__body__unit"), pk=pk)
    return services.recall_support(recall=recall, member=request.auth)


class DelegatesIn(Schema):
    member_ids: list[Annotated[int, Field(ge=1, le=2**63 - 1)]] = Field(
        max_length=10_000,
        description="The delegates: members within the e-conference's scope; empty lets all "
        "members in its scope take part",
    )


class DelegatesOut(Schema):
    meeting_id: int
    member_ids: list[int]


@router.put(
    "/{pk}/delegates",
    response={200: DelegatesOut, **errors(400, 403, 404, 409)},
    summary="Set an e-conference's delegates (its chairs)",
)
def delegates_set(request, pk: int, payload: DelegatesIn):
    meeting = _visible_meeting(request, pk)
    if not meeting.is_econference or not request.auth.has_perm("meetings.chair_meeting", meeting):
        raise HttpError(404, "Not found.")
    wanted = set(payload.member_ids)
    found = list(Member.objects.filter(pk__in=wanted))
    unknown = wanted - {m.pk for m in found}
    if unknown:
        raise Refused(
            _("No member with these ids: %(list)s.")
            % {"list": ", ".join(str(pk) for pk in sorted(unknown)[:20])},
            field="member_ids",
        )
    services.delegates_set(meeting=meeting, members=found, set_by=request.auth)
    return DelegatesOut(
        meeting_id=meeting.pk,
        member_ids=sorted(meeting.delegates.values_list("member_id", flat=True)),
    )
