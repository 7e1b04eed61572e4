"""Struggles, interventions and lessons over the API, with the pages' permissions."""

from datetime import date, datetime

from django.http import Http404
from django.shortcuts import get_object_or_404
from django.utils.translation import gettext as _
from ninja import Field, Router, Schema, Status
from ninja.pagination import paginate

from commonweal.alliances.models import OutsideOrganisation
from commonweal.config.api_errors import errors
from commonweal.core.errors import Refused
from commonweal.core.pagination import LimitOffsetPagination
from commonweal.organisation.models import Body, Unit
from commonweal.organisation.selectors import assembly_of

from . import selectors, services
from .models import Intervention, Struggle

router = Router(tags=["interventions"])


class StruggleOut(Schema):
    id: int
    title: str
    kind: str
    unit: int = Field(alias="unit_id")
    country: str
    since: date
    status: str
    involvement: str
    organisations: list[int]

    @staticmethod
    def resolve_organisations(obj) -> list[int]:
        return [o.pk for o in obj.organisations.all()]


class InterventionOut(Schema):
    id: int
    struggle: int = Field(alias="struggle_id")
    title: str
    kind: str
    body: int = Field(alias="body_id")
    unit: int = Field(alias="unit_id")
    aims: str
    assess_on: date
    status: str
    decision: int | None = Field(alias="decision_id")
    report: str
    cancel_reason: str
    organisations: list[int]

    @staticmethod
    def resolve_organisations(obj) -> list[int]:
        return [o.pk for o in obj.organisations.all()]


class LessonOut(Schema):
    id: int
    intervention: int = Field(alias="intervention_id")
    title: str
    text: str
    tags: list[str]
    shared: bool
    created_at: datetime

    @staticmethod
    def resolve_tags(obj) -> list[str]:
        return [t.name for t in obj.tags.all()]


class PlanIn(Schema):
    # The responsible body; by default the assembly of the struggle's unit.
    body: int | None = None
    title: str
    kind: str
    aims: str = ""
    assess_on: date
    # Outside organisations that are partners in it, by id.
    organisations: list[int] = []


class PutToMeetingIn(Schema):
    meeting: int  # a meeting of the responsible body, not closed


class InterventionMotionOut(Schema):
    id: int
    meeting: int
    state: str
    text: str

    @staticmethod
    def resolve_meeting(motion) -> int:
        return motion.item.meeting_id


class InterventionReportIn(Schema):
    report: str


class CancelIn(Schema):
    reason: str


class PartnersIn(Schema):
    organisations: list[int]


class LessonIn(Schema):
    title: str
    text: str = ""
    tags: list[str] = []
    shared: bool = False


class AssessIn(Schema):
    worked: str = ""
    failed: str = ""
    why: str = ""
    lessons: list[LessonIn] = []


def _member(request) -> None:
    if not request.user.has_perm("interventions.view"):
        raise Http404


def _unit(pk: int | None) -> Unit | None:
    return None if pk is None else get_object_or_404(Unit, pk=pk)


def _organisations(ids: list[int]) -> list[OutsideOrganisation]:
    found = list(OutsideOrganisation.objects.filter(pk__in=set(ids[:1000])))
    if len(found) != len(set(ids)):
        raise Refused(_("No outside organisation has one of those ids."), field="organisations")
    return found


@router.get("/struggles/", response={200: list[StruggleOut], **errors(404)})
@paginate(LimitOffsetPagination)
def struggle_list(request, unit: int | None = None, status: str = "", country: str = ""):
    """Struggles in the unit's subtree, by status, and in a country (the struggle's own or
    that of an organisation involved)."""
    _member(request)
    return selectors.struggles(
        request.user, unit=_unit(unit), status=status, country=country
    ).prefetch_related("organisations")


@router.get("/struggles/{pk}", response={200: StruggleOut, **errors(404)})
def struggle_detail(request, pk: int):
    struggle = get_object_or_404(Struggle, pk=pk)
    if not request.user.has_perm("interventions.view_struggle", struggle):
        raise Http404
    return struggle


@router.get("/lessons/", response={200: list[LessonOut], **errors(404)})
@paginate(LimitOffsetPagination)
def lesson_list(request, q: str = "", tag: str = ""):
    _member(request)
    return selectors.lessons(request.user, text=q, tag=tag)


@router.get("/", response={200: list[InterventionOut], **errors(404)})
@paginate(LimitOffsetPagination)
def intervention_list(request, unit: int | None = None, status: str = "", country: str = ""):
    """Interventions in the unit's subtree, by status, and by country (of the struggle, of an
    organisation in it, or of a partner)."""
    _member(request)
    return selectors.interventions(
        request.user, unit=_unit(unit), status=status, country=country
    ).prefetch_related("organisations")


@router.post(
    "/struggles/{pk}/interventions", response={201: InterventionOut, **errors(400, 403, 404, 409)}
)
def intervention_plan(request, pk: int, data: PlanIn):
    """Plan an intervention in the struggle; refused without aims (nothing is written)."""
    struggle = get_object_or_404(Struggle.objects.select_related("unit"), pk=pk)
    if not request.user.has_perm("interventions.view_struggle", struggle):
        raise Http404
    body = (
        assembly_of(struggle.unit) if data.body is None else get_object_or_404(Body, pk=data.body)
    )
    if body is None:
        raise Http404
    intervention = services.intervention_plan(
        struggle=struggle,
        body=body,
        by=request.user,
        title=data.title,
        kind=data.kind,
        aims=data.aims,
        assess_on=data.assess_on,
        organisations=_organisations(data.organisations),
    )
    return Status(201, intervention)


def _visible(request, pk: int) -> Intervention:
    intervention = get_object_or_404(Intervention, pk=pk)
    if not request.user.has_perm("interventions.view_intervention", intervention):
        raise Http404
    return intervention


@router.get("/{pk}", response={200: InterventionOut, **errors(404)})
def intervention_detail(request, pk: int):
    return _visible(request, pk)


@router.post("/{pk}/assess", response={201: InterventionOut, **errors(400, 403, 404, 409)})
def intervention_assess(request, pk: int, data: AssessIn):
    """Assess a carried-out intervention against its aims; refused for an unfinished one."""
    intervention = _visible(request, pk)
    services.intervention_assess(
        intervention=intervention,
        by=request.user,
        worked=data.worked,
        failed=data.failed,
        why=data.why,
        lessons=[lesson.dict() for lesson in data.lessons],
    )
    intervention.refresh_from_db()
    return Status(201, intervention)


@router.post(
    "/{pk}/put-to-meeting", response={201: InterventionMotionOut, **errors(400, 403, 404, 409)}
)
def intervention_put_to_meeting(request, pk: int, data: PutToMeetingIn):
    """Put an intervention the rulebook reserves to the body on one of its meetings' agendas,
    as a motion; the carried motion authorises the work."""
    from commonweal.meetings.models import Meeting

    intervention = _visible(request, pk)
    meeting = get_object_or_404(Meeting, pk=data.meeting)
    motion = services.intervention_put_to_meeting(
        intervention=intervention, meeting=meeting, by=request.user
    )
    return Status(201, motion)


@router.post("/{pk}/start", response={200: InterventionOut, **errors(403, 404, 409)})
def intervention_start(request, pk: int):
    """Start the work; refused while a decision the rulebook requires has not been taken."""
    return services.intervention_start(intervention=_visible(request, pk), by=request.user)


@router.post("/{pk}/report", response={200: InterventionOut, **errors(400, 403, 404, 409)})
def intervention_report(request, pk: int, data: InterventionReportIn):
    """Say what happened; the intervention then waits for its assessment."""
    return services.intervention_report(
        intervention=_visible(request, pk), by=request.user, report=data.report
    )


@router.post("/{pk}/cancel", response={200: InterventionOut, **errors(400, 403, 404, 409)})
def intervention_cancel(request, pk: int, data: CancelIn):
    """Call off work not yet carried out, saying why."""
    return services.intervention_cancel(
        intervention=_visible(request, pk), by=request.user, reason=data.reason
    )


@router.put("/{pk}/partners", response={200: InterventionOut, **errors(400, 403, 404, 409)})
def intervention_partners(request, pk: int, data: PartnersIn):
    """Name the outside organisations that are partners in it (replacing those named)."""
    intervention = _visible(request, pk)
    services.intervention_partners_set(
        intervention=intervention, by=request.user, organisations=_organisations(data.organisations)
    )
    return intervention
