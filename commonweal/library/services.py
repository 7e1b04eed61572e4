"""Adding documents and versions, withdrawing them, and auditing downloads."""

import contextlib
import hashlib
import re
import secrets
import unicodedata
from collections.abc import Iterator
from typing import IO, Any

from django.core.files.storage import default_storage
from django.db import transaction
from django.template.defaultfilters import filesizeformat
from django.urls import reverse
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from commonweal.core import clock
from commonweal.core.errors import Conflict, NotPermitted, Refused
from commonweal.core.markdown import clean_plain
from commonweal.notifications.services import member_reach, notify
from commonweal.organisation.models import Body
from commonweal.record.services import record_append
from commonweal.rulebook.selectors import current
from commonweal.search.services import index as search_index

from . import sniff
from .models import Document, DocumentVersion, Download

MB = 1024 * 1024
MAX_SIZE: dict[str, int] = {
    Document.Kind.DOCUMENT: 20 * MB,
    Document.Kind.IMAGE: 20 * MB,
    Document.Kind.AUDIO: 200 * MB,
    Document.Kind.VIDEO: 200 * MB,
}
MAX_TITLE = 200
MAX_DESCRIPTION = 5000
MAX_NOTE = 500
MIN_REASON = 10
REFUSAL_BY_SNIFF = {
    "markup": gettext_lazy("HTML and SVG files are not accepted: they can carry scripts."),
    "script": gettext_lazy("Scripts are not accepted."),
    "macros": gettext_lazy("Office files with macros are not accepted."),
    "zip": gettext_lazy("This archive is not an office document the library accepts."),
}
_UNSAFE_NAME = re.compile(r"[\x00-\x1f\x7f/\\:*?\"<>|]+")


def clean_filename(name: str) -> str:
    """The last path component of what the member called the file, with nothing risky in it."""
    name = unicodedata.normalize("NFC", name or "")
    name = re.split(r"[/\\]", name)[-1]
    name = _UNSAFE_NAME.sub("_", name).strip(" .")
    if len(name) > 200:
        stem, dot, extension = name.rpartition(".")
        name = f"{stem[: 190 - len(extension)]}{dot}{extension[:10]}"
    return name or "file"


def _refusal_for(reason: str) -> Refused:
    if reason in REFUSAL_BY_SNIFF:
        return Refused(str(REFUSAL_BY_SNIFF[reason]), field="file")
    return Refused(
        _(
            "This file's content is not a type the library accepts, whatever its name says. "
            "Accepted: PDF, OpenDocument and Word/Excel/PowerPoint files, plain text, Markdown "
            "and CSV; PNG, JPEG, GIF and WebP images; MP3, OGG, WAV and M4A audio; MP4, WebM "
            "and Matroska video."
        ),
        field="file",
    )


def _check_file(file: IO[bytes], name: str, kind: str, size: int) -> tuple[sniff.FileType, str]:
    """Refuse what is empty, too big or not what it claims; return its type and kind."""
    if size <= 0:
        raise Refused(_("The file is empty."), field="file")
    if size > max(MAX_SIZE.values()):
        raise Refused(
            _("The file is too big: the largest the library takes is %(limit)s.")
            % {"limit": filesizeformat(max(MAX_SIZE.values()))},
            field="file",
        )
    try:
        filetype = sniff.sniff(file, name)
    except sniff.NotAccepted as exc:
        raise _refusal_for(str(exc)) from exc
    kind = kind or filetype.kinds[0]
    if kind not in filetype.kinds:
        raise Refused(
            _("This file is %(type)s, which cannot be filed as %(kind)s.")
            % {"type": filetype.content_type.split(";")[0], "kind": Document.Kind(kind).label},
            field="file",
        )
    if size > MAX_SIZE[kind]:
        raise Refused(
            _("The file is too big: %(kind)s files may be at most %(limit)s.")
            % {"kind": Document.Kind(kind).label, "limit": filesizeformat(MAX_SIZE[kind])},
            field="file",
        )
    return filetype, kind


def _sha256(file: IO[bytes]) -> str:
    digest = hashlib.sha256()
    file.seek(0)
    while chunk := file.read(sniff.CHUNK):
        digest.update(chunk)
    file.seek(0)
    return digest.hexdigest()


@contextlib.contextmanager
def _files_removed_on_failure() -> Iterator[list[str]]:
    """Files saved inside a transaction that then fails must not stay behind in storage."""
    saved: list[str] = []
    try:
        yield saved
    except BaseException:
        for name in saved:
            default_storage.delete(name)
        raise


def _store(
    *,
    saved: list[str],
    document: Document,
    number: int,
    file: IO[bytes],
    name: str,
    size: int,
    filetype: sniff.FileType,
    uploaded_by: Any,
    note: str,
) -> DocumentVersion:
    """Save the bytes under a random name only the download view will ever hand out."""
    path = f"library/{document.pk}/{number}-{secrets.token_urlsafe(16)}.{filetype.extension}"
    file.seek(0)
    stored = default_storage.save(path, file)
    saved.append(stored)
    return DocumentVersion.objects.create(
        document=document,
        number=number,
        file=stored,
        original_name=clean_filename(name),
        content_type=filetype.content_type,
        extension=filetype.extension,
        size=size,
        sha256=_sha256(file),
        uploaded_by=uploaded_by,
        uploaded_at=clock.now(),
        note=clean_plain(note)[:MAX_NOTE],
    )


def document_add(
    *,
    body: Body,
    title: str,
    file: IO[bytes],
    uploaded_by: Any,
    description: str = "",
    kind: str = "",
    note: str = "",
    name: str | None = None,
) -> Document:
    """A member of the body (or one of its officers) adds a new document with its first version.

    `kind` is detected from the content when empty; `name` defaults to the uploaded
    file's own (it only labels the download).
    """
    if not uploaded_by.has_perm("library.add_document", body):
        raise NotPermitted(
            _("Only members and officers of %(body)s may add to its library.") % {"body": body.name}
        )
    title = clean_plain(title)[:MAX_TITLE]
    if not title:
        raise Refused(_("Give the document a title."), field="title")
    if kind and kind not in Document.Kind.values:
        raise Refused(_("Choose a kind of document."), field="kind")
    name = name if name is not None else getattr(file, "name", "") or ""
    size = _length(file)
    filetype, kind = _check_file(file, name, kind, size)
    rulebook = current()
    now = clock.now()
    try:
        with _files_removed_on_failure() as saved, transaction.atomic():
            document = Document.objects.create(
                body=body,
                title=title,
                description=(description or "").strip()[:MAX_DESCRIPTION],
                kind=kind,
                created_by=uploaded_by,
                created_at=now,
                updated_at=now,
                rulebook_version=rulebook.version,
            )
            version = _store(
                saved=saved,
                document=document,
                number=1,
                file=file,
                name=name,
                size=size,
                filetype=filetype,
                uploaded_by=uploaded_by,
                note=note,
            )
            document.current_version = version
            document.version_count = 1
            document.save(update_fields=["current_version", "version_count"])
            search_index("library.document", document.pk)
            record_append(
                kind="library.document_added",
                subject=document,
                actor=uploaded_by,
                payload={"body": body.pk, "version": 1, "sha256": version.sha256},
                rulebook_version=rulebook.version,
            )
            notify(
                kind="library.document_added",
                title=_("New in the %(body)s library: %(title)s")
                % {"body": body.name, "title": title},
                link=reverse("library:document", args=[document.pk]),
                actor=uploaded_by,
                **member_reach(actor=uploaded_by, bodies=[body]),
                thread=f"library.document:{document.pk}",
            )
    finally:
        file.seek(0)
    return document


def version_add(
    *,
    document: Document,
    file: IO[bytes],
    uploaded_by: Any,
    note: str = "",
    name: str | None = None,
) -> DocumentVersion:
    """A new version of a document; earlier versions stay downloadable."""
    if not uploaded_by.has_perm("library.add_version", document):
        raise NotPermitted(
            _("Only members and officers of %(body)s may add versions to its documents.")
            % {"body": document.body.name}
        )
    name = name if name is not None else getattr(file, "name", "") or ""
    size = _length(file)
    filetype, _kind = _check_file(file, name, document.kind, size)
    with _files_removed_on_failure() as saved, transaction.atomic():
        locked = Document.objects.select_for_update().get(pk=document.pk)
        if locked.is_withdrawn:
            raise Conflict(_("This document has been withdrawn; it takes no new versions."))
        number = locked.version_count + 1
        version = _store(
            saved=saved,
            document=locked,
            number=number,
            file=file,
            name=name,
            size=size,
            filetype=filetype,
            uploaded_by=uploaded_by,
            note=note,
        )
        Document.objects.filter(pk=locked.pk).update(
            current_version=version, version_count=number, updated_at=version.uploaded_at
        )
        record_append(
            kind="library.version_added",
            subject=locked,
            actor=uploaded_by,
            payload={"body": locked.body_id, "version": number, "sha256": version.sha256},
            rulebook_version=locked.rulebook_version,
        )
        notify(
            kind="library.version_added",
            title=_("New version of %(title)s") % {"title": locked.title},
            link=reverse("library:document", args=[locked.pk]),
            actor=uploaded_by,
            **member_reach(actor=uploaded_by, bodies=[locked.body]),
            thread=f"library.document:{locked.pk}",
        )
    file.seek(0)
    document.refresh_from_db()
    return version


def document_withdraw(*, document: Document, officer: Any, reason: str) -> Document:
    """An officer takes a document out of use. Nothing is deleted; the reason is shown."""
    if not officer.has_perm("library.withdraw_document", document):
        raise NotPermitted(
            _("Only the officers of %(body)s may withdraw its documents.")
            % {"body": document.body.name}
        )
    reason = (reason or "").strip()
    if len(reason) < MIN_REASON:
        raise Refused(
            _("Say why the document is withdrawn (at least %(n)d characters).") % {"n": MIN_REASON},
            field="reason",
        )
    with transaction.atomic():
        locked = Document.objects.select_for_update().get(pk=document.pk)
        if locked.is_withdrawn:
            raise Conflict(_("This document has already been withdrawn."))
        locked.withdrawn_at = clock.now()
        locked.withdrawn_by = officer
        locked.withdrawn_reason = reason[:MAX_DESCRIPTION]
        locked.save(update_fields=["withdrawn_at", "withdrawn_by", "withdrawn_reason"])
        search_index("library.document", locked.pk)
        record_append(
            kind="library.document_withdrawn",
            subject=locked,
            actor=officer,
            payload={"body": locked.body_id, "versions": locked.version_count},
            rulebook_version=locked.rulebook_version,
        )
    document.refresh_from_db()
    return document


def version_download(*, version: DocumentVersion, member: Any) -> Download:
    """Allow a download and remember who made it, for the body's officers."""
    if not member.has_perm("library.download_document", version.document):
        raise NotPermitted(_("You may not download this file."))
    return Download.objects.create(
        document_id=version.document_id,
        version=version,
        member=member,
        downloaded_at=clock.now(),
    )


def member_erase(member: Any) -> None:
    """Uploads stay (shown as by a former member); the record of what they read goes."""
    Download.objects.filter(member=member).update(member=None)


def _length(file: IO[bytes]) -> int:
    file.seek(0, 2)
    size = file.tell()
    file.seek(0)
    return size
