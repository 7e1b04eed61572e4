"""Reading libraries: which a member may see, their documents, versions and downloads."""

from typing import Any

from django.db.models import Count, Q, QuerySet

from commonweal.organisation.models import Body, Unit
from commonweal.organisation.selectors import active_memberships

from .models import Document, DocumentVersion, Download


def _readable_bodies_filter(member: Any) -> Q | None:
    """Bodies whose scope contains the member's unit, or that the member belongs to.

    None means every body (an administrator); an empty Q match means none.
    """
    if not getattr(member, "is_authenticated", False):
        return Q(pk__in=[])
    if member.is_superuser:
        return None
    if not member.is_member:
        return Q(pk__in=[])
    condition = Q(pk__in=active_memberships(member=member).values("body_id"))
    if member.unit_id is not None:
        path = member.unit.path
        ancestors = [path[:i] for i in range(Unit.steplen, len(path) + 1, Unit.steplen)]
        condition |= Q(unit__path__in=ancestors)
    return condition


def library_bodies(member: Any) -> QuerySet[Body]:
    """The bodies whose library the member may read, each with its count of current documents."""
    condition = _readable_bodies_filter(member)
    bodies = Body.objects.all() if condition is None else Body.objects.filter(condition)
    return (
        bodies.select_related("unit")
        .annotate(
            document_count=Count(
                "library_documents", filter=Q(library_documents__withdrawn_at=None)
            )
        )
        .order_by("unit__depth", "name")
    )


def readable_documents(member: Any) -> QuerySet[Document]:
    """Every document (withdrawn too) in the libraries the member may read
    (`library.view_document`)."""
    condition = _readable_bodies_filter(member)
    if condition is None:
        return Document.objects.all()
    return Document.objects.filter(body__in=Body.objects.filter(condition).values("pk"))


def recent_documents(member: Any, *, limit: int = 10) -> QuerySet[Document]:
    """The latest current documents across every library the member may read."""
    condition = _readable_bodies_filter(member)
    documents = Document.objects.filter(withdrawn_at=None)
    if condition is not None:
        documents = documents.filter(body__in=Body.objects.filter(condition).values("pk"))
    return documents.select_related("body", "current_version").order_by("-updated_at")[:limit]


def body_documents(body: Body, *, withdrawn: bool = False) -> QuerySet[Document]:
    return (
        Document.objects.filter(body=body, withdrawn_at__isnull=not withdrawn)
        .select_related("current_version", "created_by")
        .order_by("-updated_at", "-pk")
    )


def withdrawn_count(body: Body) -> int:
    return Document.objects.filter(body=body, withdrawn_at__isnull=False).count()


def document_versions(document: Document) -> QuerySet[DocumentVersion]:
    return document.versions.select_related("uploaded_by").order_by("-number")


def body_downloads(body: Body) -> QuerySet[Download]:
    """Who downloaded what from this body's library, newest first (for its officers)."""
    return (
        Download.objects.filter(document__body=body)
        .select_related("member", "version", "document")
        .order_by("-downloaded_at", "-pk")
    )


def member_export(member: Any) -> dict[str, Any]:
    """What the library holds about a member: what they uploaded and what they downloaded."""
    uploads = (
        DocumentVersion.objects.filter(uploaded_by=member)
        .select_related("document__body")
        .order_by("uploaded_at")
    )
    downloads = (
        Download.objects.filter(member=member)
        .select_related("document", "version")
        .order_by("downloaded_at")
    )
    return {
        "uploads": [
            {
                "body": v.document.body.name,
                "document": v.document.title,
                "document_id": v.document_id,
                "version": v.number,
                "file_name": v.original_name,
                "sha256": v.sha256,
                "uploaded_at": v.uploaded_at.isoformat(),
                "note": v.note,
            }
            for v in uploads.iterator()
        ],
        "downloads": [
            {
                "document": d.document.title,
                "document_id": d.document_id,
                "version": d.version.number,
                "downloaded_at": d.downloaded_at.isoformat(),
            }
            for d in downloads.iterator()
        ],
    }
