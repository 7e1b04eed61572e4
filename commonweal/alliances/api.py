"""Outside organisations, relationships and joint statements over the API, with the pages'
permissions: contact people's details only to the relationship's holders and officers."""

from datetime import date, datetime

from django.shortcuts import get_object_or_404
from ninja import Router, Schema, Status
from ninja.errors import HttpError
from ninja.pagination import paginate

from commonweal.config.api_errors import errors
from commonweal.core.pagination import LimitOffsetPagination
from commonweal.organisation.models import Body, Unit

from . import selectors, services
from .models import ContactPerson, JointStatement, OutsideOrganisation, Relationship

router = Router(tags=["alliances"])


class OutsideOrganisationOut(Schema):
    id: int
    name: str
    kind: str
    country: str
    language: str
    website: str
    description: str
    unit_id: int
    url: str

    @staticmethod
    def resolve_url(organisation: OutsideOrganisation) -> str:
        return organisation.get_absolute_url()


class OutsideOrganisationIn(Schema):
    name: str
    kind: str
    country: str
    unit_id: int
    language: str = ""
    website: str = ""
    description: str = ""
    status: str = ""


class AllianceContactOut(Schema):
    id: int
    name: str
    role: str
    email: str | None
    phone: str | None
    consent_to: str | None
    consent_on: date | None


class AllianceActivityOut(Schema):
    id: int
    kind: str
    on: date
    summary: str


class AllianceRelationshipOut(Schema):
    id: int
    organisation_id: int
    unit_id: int
    status: str
    since: date
    holder_ids: list[int]
    contact_people: list[AllianceContactOut]
    activities: list[AllianceActivityOut]


class OutsideOrganisationDetailOut(OutsideOrganisationOut):
    relationships: list[AllianceRelationshipOut]

    @staticmethod
    def resolve_relationships(organisation: OutsideOrganisation, context) -> list[dict]:
        page = selectors.organisation_page(organisation, context["request"].auth)
        return [_relationship_out(view) for view in page["relationships"]]


class AllianceRelationshipIn(Schema):
    unit_id: int
    status: str


class RelationshipStatusIn(Schema):
    status: str
    note: str = ""


class AllianceContactIn(Schema):
    name: str
    consent_to: str = ""
    consent_on: date | None = None
    role: str = ""
    email: str = ""
    phone: str = ""


class AllianceActivityIn(Schema):
    kind: str
    on: date
    summary: str


class JointStatementText(Schema):
    language: str
    title: str
    text: str


class JointStatementIn(Schema):
    texts: list[JointStatementText]


class JointStatementOut(Schema):
    id: int
    relationship_id: int
    organisation_id: int
    status: str
    decision_id: int | None
    motion_id: int | None
    published_at: datetime | None
    texts: list[JointStatementText]

    @staticmethod
    def resolve_organisation_id(statement: JointStatement) -> int:
        return statement.relationship.organisation_id

    @staticmethod
    def resolve_texts(statement: JointStatement) -> list[dict]:
        return [
            {"language": t.language, "title": t.title, "text": t.text}
            for t in statement.texts.all()
        ]


class JointStatementAgreeIn(Schema):
    body: int  # the id of the body that agreed it


class JointStatementPutIn(Schema):
    meeting: int  # the id of a meeting of the unit's assembly or leadership


class StatementMotionOut(Schema):
    id: int
    item_id: int
    meeting_id: int
    state: str
    text: str

    @staticmethod
    def resolve_meeting_id(motion) -> int:
        return motion.item.meeting_id


class AllianceCountryOut(Schema):
    country: str
    organisations: int
    contact: int
    cooperation: int
    alliance: int
    ended: int
    statements: int


def _member_only(request) -> None:
    if not request.auth.has_perm("alliances.view_organisation"):
        raise HttpError(404, "Not found.")


def _organisation(request, organisation_id: int) -> OutsideOrganisation:
    _member_only(request)
    return get_object_or_404(OutsideOrganisation, pk=organisation_id)


def _relationship(request, relationship_id: int) -> Relationship:
    relationship = get_object_or_404(
        Relationship.objects.select_related("organisation", "unit"), pk=relationship_id
    )
    if not request.auth.has_perm("alliances.view_relationship", relationship):
        raise HttpError(404, "Not found.")
    return relationship


def _statement(request, statement_id: int) -> JointStatement:
    statement = get_object_or_404(
        JointStatement.objects.select_related("relationship__organisation", "relationship__unit"),
        pk=statement_id,
    )
    if not request.auth.has_perm("alliances.view_statement", statement):
        raise HttpError(404, "Not found.")
    return statement


def _relationship_out(view: selectors.RelationshipView) -> dict:
    r = view.relationship
    return {
        "id": r.pk,
        "organisation_id": r.organisation_id,
        "unit_id": r.unit_id,
        "status": r.status,
        "since": r.since,
        "holder_ids": [h.pk for h in r.holders.all()],
        "contact_people": [
            {
                "id": p.pk,
                "name": p.name,
                "role": p.role,
                "email": p.email if view.details else None,
                "phone": p.phone if view.details else None,
                "consent_to": p.consent_to if view.details else None,
                "consent_on": p.consent_on if view.details else None,
            }
            for p in view.contact_people
        ],
        "activities": [
            {"id": a.pk, "kind": a.kind, "on": a.on, "summary": a.summary} for a in view.activities
        ],
    }


@router.get(
    "/organisations",
    response={200: list[OutsideOrganisationOut], **errors(404)},
    summary="Outside organisations, filtered by name, kind, country, unit subtree and status",
)
@paginate(LimitOffsetPagination)
def organisation_list(
    request,
    q: str = "",
    kind: str = "",
    country: str = "",
    status: str = "",
    unit_id: int | None = None,
):
    _member_only(request)
    unit = get_object_or_404(Unit, pk=unit_id) if unit_id is not None else None
    return selectors.organisations_search(
        request.auth, q=q[:200], kind=kind, country=country[:2], unit=unit, status=status
    )


@router.post(
    "/organisations",
    response={201: OutsideOrganisationOut, **errors(400, 403, 404, 409)},
    summary="Record an outside organisation (officers, for a unit in their scope)",
)
def organisation_create(request, payload: OutsideOrganisationIn):
    _member_only(request)
    unit = get_object_or_404(Unit, pk=payload.unit_id)
    data = payload.dict()
    data.pop("unit_id")
    return Status(201, services.organisation_create(actor=request.auth, unit=unit, **data))


@router.get(
    "/organisations/{organisation_id}",
    response={200: OutsideOrganisationDetailOut, **errors(404)},
    summary="One organisation: its facts and the relationships you may see",
)
def organisation_detail(request, organisation_id: int):
    return _organisation(request, organisation_id)


@router.post(
    "/organisations/{organisation_id}/relationships",
    response={201: AllianceRelationshipOut, **errors(400, 403, 404, 409)},
    summary="Start a unit's relationship with an organisation",
)
def relationship_start(request, organisation_id: int, payload: AllianceRelationshipIn):
    organisation = _organisation(request, organisation_id)
    unit = get_object_or_404(Unit, pk=payload.unit_id)
    relationship = services.relationship_start(
        actor=request.auth, organisation=organisation, unit=unit, status=payload.status
    )
    return Status(
        201, _relationship_out(selectors.RelationshipView(relationship, False, False, False))
    )


@router.post(
    "/relationships/{relationship_id}/status",
    response={200: AllianceRelationshipOut, **errors(400, 403, 404, 409)},
    summary="Change a relationship's status, with the reason",
)
def relationship_status(request, relationship_id: int, payload: RelationshipStatusIn):
    relationship = services.relationship_change(
        actor=request.auth, relationship=_relationship(request, relationship_id), **payload.dict()
    )
    return _relationship_out(selectors.RelationshipView(relationship, False, False, False))


@router.post(
    "/relationships/{relationship_id}/contacts",
    response={201: AllianceContactOut, **errors(400, 403, 404)},
    summary="Add a contact person, with the consent they gave",
)
def contact_person_add(request, relationship_id: int, payload: AllianceContactIn):
    person = services.contact_person_add(
        actor=request.auth, relationship=_relationship(request, relationship_id), **payload.dict()
    )
    return Status(201, person)


@router.post(
    "/contacts/{contact_id}/erase",
    response={200: AllianceContactOut, **errors(403, 404, 409)},
    summary="Erase a contact person's details on their request",
)
def contact_person_erase(request, contact_id: int):
    person = get_object_or_404(
        ContactPerson.objects.select_related("relationship__unit"), pk=contact_id
    )
    if not request.auth.has_perm("alliances.view_contact_details", person.relationship):
        raise HttpError(404, "Not found.")
    return services.contact_person_erase(actor=request.auth, person=person)


@router.post(
    "/relationships/{relationship_id}/activities",
    response={201: AllianceActivityOut, **errors(400, 403, 404)},
    summary="Record a contact or a joint action",
)
def activity_record(request, relationship_id: int, payload: AllianceActivityIn):
    activity = services.activity_record(
        actor=request.auth, relationship=_relationship(request, relationship_id), **payload.dict()
    )
    return Status(201, activity)


@router.get(
    "/statements",
    response={200: list[JointStatementOut], **errors(404)},
    summary="Joint statements of the relationships you may see",
)
@paginate(LimitOffsetPagination)
def statement_list(request, status: str = "", country: str = ""):
    _member_only(request)
    return selectors.statements_visible_to(request.auth, status=status, country=country[:2])


@router.post(
    "/relationships/{relationship_id}/statements",
    response={201: JointStatementOut, **errors(400, 403, 404)},
    summary="Draft a joint statement, in our language and the partner's",
)
def statement_draft(request, relationship_id: int, payload: JointStatementIn):
    statement = services.joint_statement_draft(
        actor=request.auth,
        relationship=_relationship(request, relationship_id),
        texts=[t.dict() for t in payload.texts],
    )
    return Status(201, statement)


@router.post(
    "/statements/{statement_id}/put-to-meeting",
    response={201: StatementMotionOut, **errors(400, 403, 404, 409)},
    summary="Put the draft to the competent body: a motion on one of its meetings' agendas",
)
def statement_put_to_meeting(request, statement_id: int, payload: JointStatementPutIn):
    from commonweal.meetings.models import Meeting

    statement = _statement(request, statement_id)
    meeting = get_object_or_404(Meeting.objects.select_related("body"), pk=payload.meeting)
    motion = services.joint_statement_put_to_meeting(
        actor=request.auth, statement=statement, meeting=meeting
    )
    return Status(201, motion)


@router.post(
    "/statements/{statement_id}/agree",
    response={200: JointStatementOut, **errors(400, 403, 404, 409)},
    summary=(
        "Record the competent body's agreement (a decision of that body), where the rulebook "
        "does not ask for its vote"
    ),
)
def statement_agree(request, statement_id: int, payload: JointStatementAgreeIn):
    statement = _statement(request, statement_id)
    body = get_object_or_404(Body, pk=payload.body)
    return services.joint_statement_agree(actor=request.auth, statement=statement, body=body)


@router.post(
    "/statements/{statement_id}/publish",
    response={200: JointStatementOut, **errors(400, 403, 404, 409)},
    summary="Publish an agreed statement (or one the body's vote carried) on the public website",
)
def statement_publish(request, statement_id: int):
    return services.joint_statement_publish(
        actor=request.auth, statement=_statement(request, statement_id)
    )


@router.get(
    "/countries",
    response={200: list[AllianceCountryOut], **errors(404)},
    summary="Per country: organisations, relationships by status, statements published",
)
def countries(request, unit_id: int | None = None):
    _member_only(request)
    unit = get_object_or_404(Unit, pk=unit_id) if unit_id is not None else None
    return [
        {key: value for key, value in row.items() if key != "by_status"}
        for row in selectors.country_overview(request.auth, unit=unit)
    ]


@router.get(
    "/public/statements",
    response=list[JointStatementOut],
    auth=None,
    summary="Published joint statements, newest first",
)
@paginate(LimitOffsetPagination)
def public_statements(request):
    return selectors.public_statements()
