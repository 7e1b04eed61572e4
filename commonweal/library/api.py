"""The library over the API: list, upload, new versions, download."""

from datetime import datetime

from django.shortcuts import get_object_or_404
from ninja import File, Form, Router, Schema, Status
from ninja.errors import HttpError
from ninja.files import UploadedFile

from commonweal.config.api_errors import errors
from commonweal.core.errors import Refused
from commonweal.core.pagination import MAX_OFFSET
from commonweal.organisation.models import Body

from . import selectors, services
from .models import Document, DocumentVersion
from .views import stream

router = Router(tags=["library"])
MAX_PAGE = 100


class LibraryOut(Schema):
    slug: str
    name: str
    unit: str
    document_count: int


class VersionOut(Schema):
    number: int
    file_name: str
    content_type: str
    size: int
    sha256: str
    uploaded_at: datetime
    note: str


class DocumentOut(Schema):
    id: int
    body: str
    title: str
    description: str
    kind: str
    updated_at: datetime
    withdrawn: bool
    current_version: VersionOut | None


class DocumentDetailOut(DocumentOut):
    versions: list[VersionOut]
    withdrawn_reason: str


def _version(version: DocumentVersion | None) -> VersionOut | None:
    if version is None:
        return None
    return VersionOut(
        number=version.number,
        file_name=version.download_name,
        content_type=version.content_type,
        size=version.size,
        sha256=version.sha256,
        uploaded_at=version.uploaded_at,
        note=version.note,
    )


def _document(document: Document, body: Body) -> dict:
    return {
        "id": document.pk,
        "body": body.slug,
        "title": document.title,
        "description": document.description,
        "kind": document.kind,
        "updated_at": document.updated_at,
        "withdrawn": document.is_withdrawn,
        "current_version": _version(document.current_version),
    }


def _body(request, slug: str) -> Body:
    body = get_object_or_404(Body.objects.select_related("unit"), slug=slug)
    if not request.auth.has_perm("library.view_library", body):
        raise HttpError(404, "Not found.")
    return body


def _visible_document(request, document_id: int) -> Document:
    document = get_object_or_404(
        Document.objects.select_related("body", "current_version"), pk=document_id
    )
    if not request.auth.has_perm("library.view_document", document):
        raise HttpError(404, "Not found.")
    return document


@router.get("/bodies", response=list[LibraryOut], summary="The libraries you may read")
def libraries(request):
    return [
        LibraryOut(slug=b.slug, name=b.name, unit=b.unit.name, document_count=b.document_count)
        for b in selectors.library_bodies(request.auth)
    ]


@router.get(
    "/bodies/{slug}/documents",
    response={200: list[DocumentOut], **errors(404)},
    summary="A body's current documents, newest first",
)
def documents(request, slug: str, offset: int = 0, limit: int = 25):
    body = _body(request, slug)
    limit = max(1, min(limit, MAX_PAGE))
    offset = min(max(offset, 0), MAX_OFFSET)
    page = selectors.body_documents(body)[offset : offset + limit]
    return [_document(d, body) for d in page]


@router.post(
    "/bodies/{slug}/documents",
    response={201: DocumentOut, **errors(400, 403, 404)},
    summary="Add a document (multipart: title, file, and optionally description, kind, note)",
)
def upload(
    request,
    slug: str,
    title: Form[str],
    file: File[UploadedFile],
    description: Form[str] = "",
    kind: Form[str] = "",
    note: Form[str] = "",
):
    body = _body(request, slug)
    document = services.document_add(
        body=body,
        title=title,
        description=description,
        kind=kind,
        file=file,
        note=note,
        uploaded_by=request.auth,
    )
    return Status(201, _document(document, body))


@router.get(
    "/documents/{document_id}",
    response={200: DocumentDetailOut, **errors(404)},
    summary="A document",
)
def document_detail(request, document_id: int):
    document = _visible_document(request, document_id)
    return {
        **_document(document, document.body),
        "versions": [_version(v) for v in selectors.document_versions(document)],
        "withdrawn_reason": document.withdrawn_reason,
    }


@router.post(
    "/documents/{document_id}/versions",
    response={201: VersionOut, **errors(400, 403, 404, 409)},
    summary="Add a version (multipart: file, and optionally note)",
)
def version_add(request, document_id: int, file: File[UploadedFile], note: Form[str] = ""):
    document = _visible_document(request, document_id)
    version = services.version_add(
        document=document, file=file, note=note, uploaded_by=request.auth
    )
    return Status(201, _version(version))


@router.get(
    "/documents/{document_id}/versions/{number}/download",
    response=errors(404),
    summary="Download a version's file (each download is recorded for the body's officers)",
    openapi_extra={
        "responses": {
            200: {
                "description": "The file, with the content type it was uploaded with",
                "content": {"*/*": {"schema": {"type": "string", "format": "binary"}}},
            }
        }
    },
)
def download(request, document_id: int, number: int):
    document = _visible_document(request, document_id)
    version = get_object_or_404(DocumentVersion, document=document, number=number)
    version.document = document
    try:
        services.version_download(version=version, member=request.auth)
    except Refused as refusal:
        raise HttpError(404, "Not found.") from refusal
    return stream(version)
