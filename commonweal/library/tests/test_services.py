"""Adding, versioning, withdrawing and downloading, as members and officers would."""

import hashlib
from pathlib import Path

import pytest
from django.core.files.storage import default_storage

from commonweal.core.errors import Conflict, NotPermitted, Refused
from commonweal.library import samples, selectors, services
from commonweal.library.models import Document, DocumentVersion, Download
from commonweal.notifications.models import Event
from commonweal.record.models import Entry

from .conftest import upload

pytestmark = pytest.mark.django_db

MB = 1024 * 1024


def stored_files(media: Path) -> list[Path]:
    return [p for p in Path(media).rglob("*") if p.is_file()] if Path(media).exists() else []


def test_a_body_member_adds_a_document_stored_under_a_random_name(library, media):
    content = samples.pdf("Minutes of the March meeting")
    document = library.add(content, "March minutes.pdf", description="Approved *unanimously*.")
    version = document.current_version
    assert document.kind == Document.Kind.DOCUMENT
    assert (document.version_count, version.number) == (1, 1)
    assert version.content_type == "application/pdf"
    assert version.original_name == "March minutes.pdf"
    assert version.size == len(content)
    assert version.sha256 == hashlib.sha256(content).hexdigest()
    assert version.file.name.startswith(f"library/{document.pk}/1-")
    assert version.file.name.endswith(".pdf")
    assert len(Path(version.file.name).stem) > 20
    assert (Path(media) / version.file.name).read_bytes() == content
    assert document.rulebook_version is not None
    entry = Entry.objects.get(kind="library.document_added")
    assert entry.payload == {"body": library.body.pk, "version": 1, "sha256": version.sha256}
    event = Event.objects.get(kind="library.document_added")
    assert event.body_ids == [library.body.pk]


def test_two_uploads_of_the_same_file_get_different_names(library):
    first = library.add(samples.pdf(), "same.pdf")
    second = library.add(samples.pdf(), "same.pdf")
    assert (
        first.current_version.file.name.rsplit("/", 1)[1][2:]
        != (second.current_version.file.name.rsplit("/", 1)[1][2:])
    )


def test_a_png_named_pdf_is_stored_as_the_png_it_is(library):
    document = library.add(samples.png(), "report.pdf")
    version = document.current_version
    assert document.kind == Document.Kind.IMAGE
    assert version.content_type == "image/png"
    assert version.file.name.endswith(".png")
    assert version.download_name == "report.png"


def test_a_png_named_pdf_filed_as_a_document_is_refused(library, media):
    with pytest.raises(Refused, match="image/png, which cannot be filed as document") as refusal:
        library.add(samples.png(), "report.pdf", kind=Document.Kind.DOCUMENT)
    assert refusal.value.field == "file"
    assert not Document.objects.exists()
    assert stored_files(media) == []


@pytest.mark.parametrize(
    ("content", "message"),
    [
        (b"<!doctype html><html><script>alert(document.cookie)</script>", "HTML and SVG"),
        (b'<svg xmlns="http://www.w3.org/2000/svg" onload="alert(1)"/>', "HTML and SVG"),
        (b"\x7fELF\x02\x01\x01\x00" + b"\x00" * 200, "not a type the library accepts"),
        (b"MZ\x90\x00" + b"\x00" * 200, "not a type the library accepts"),
        (b"", "empty"),
    ],
)
def test_files_whose_content_is_not_accepted_are_refused_whatever_their_name(
    library, media, content, message
):
    with pytest.raises(Refused, match=message):
        library.add(content, "agenda.pdf")
    assert not Document.objects.exists()
    assert not Entry.objects.filter(kind__startswith="library.").exists()
    assert stored_files(media) == []


def test_a_document_over_twenty_megabytes_is_refused(library, media):
    too_big = samples.pdf() + b"\n" * (20 * MB)
    with pytest.raises(Refused, match="at most 20") as refusal:
        library.add(too_big, "huge.pdf")
    assert refusal.value.field == "file"
    assert not Document.objects.exists()
    assert stored_files(media) == []


def test_recordings_may_be_bigger_than_documents(library):
    recording = b"ID3\x04\x00\x00\x00\x00\x00\x00" + b"\x00" * (20 * MB)
    document = library.add(recording, "speech.mp3", title="Conference speech")
    assert document.kind == Document.Kind.AUDIO
    assert document.current_version.size == len(recording)


def test_anything_over_the_largest_limit_is_refused_before_it_is_read(library, tmp_path):
    sparse = tmp_path / "sparse.mp4"
    with sparse.open("wb") as f:
        f.write(b"\x00\x00\x00\x20ftypisom")
        f.truncate(200 * MB + 1)
    with sparse.open("rb") as f, pytest.raises(Refused, match="too big"):
        services.document_add(body=library.body, title="Rally", file=f, uploaded_by=library.member)
    assert not Document.objects.exists()


@pytest.mark.parametrize(
    ("name", "kept"),
    [
        ("../../etc/passwd.pdf", "passwd.pdf"),
        ("..\\..\\windows\\system32\\evil.pdf", "evil.pdf"),
        ("/absolute/path/minutes.pdf", "minutes.pdf"),
        ("..", "file"),
        ("bad\x00name\n.pdf", "bad_name_.pdf"),
    ],
)
def test_path_traversal_in_the_file_name_is_neutralised(library, media, tmp_path, name, kept):
    document = library.add(samples.pdf(), name)
    version = document.current_version
    assert version.original_name == kept
    stored = (Path(media) / version.file.name).resolve()
    assert stored.is_relative_to(Path(media).resolve())
    assert stored.read_bytes() == samples.pdf()
    assert not (tmp_path / "etc").exists()
    assert {p.name for p in tmp_path.iterdir()} == {"media"}


def test_a_member_in_scope_who_is_not_in_the_body_cannot_add(library):
    with pytest.raises(NotPermitted, match="Only members and officers"):
        library.add(by=library.neighbour)
    with pytest.raises(NotPermitted):
        library.add(by=library.outsider)
    assert not Document.objects.exists()


def test_an_officer_of_the_body_can_add(library):
    assert library.add(by=library.chair).created_by == library.chair


def test_an_untitled_document_is_refused_beside_the_title(library):
    with pytest.raises(Refused) as refusal:
        library.add(title="   ")
    assert refusal.value.field == "title"


def test_versions_increment_and_earlier_ones_stay(library, media):
    document = library.add(samples.pdf("draft"))
    v2 = services.version_add(
        document=document,
        file=upload(samples.pdf("second draft"), "minutes v2.pdf"),
        uploaded_by=library.chair,
        note="Corrected the attendance list",
    )
    v3 = services.version_add(
        document=document,
        file=upload(samples.pdf("final"), "minutes-final.pdf"),
        uploaded_by=library.member,
    )
    document.refresh_from_db()
    assert [v2.number, v3.number] == [2, 3]
    assert document.version_count == 3
    assert document.current_version == v3
    assert list(selectors.document_versions(document).values_list("number", flat=True)) == [
        3,
        2,
        1,
    ]
    for version, text in zip(
        document.versions.order_by("number"), ["draft", "second draft", "final"], strict=True
    ):
        assert (Path(media) / version.file.name).read_bytes() == samples.pdf(text)
    assert Entry.objects.filter(kind="library.version_added").count() == 2


def test_a_new_version_must_be_of_the_same_kind(library):
    document = library.add(samples.pdf())
    with pytest.raises(Refused, match="cannot be filed as document"):
        services.version_add(
            document=document, file=upload(samples.png(), "x.pdf"), uploaded_by=library.member
        )
    assert document.versions.count() == 1


def test_only_body_members_and_officers_add_versions(library):
    document = library.add()
    with pytest.raises(NotPermitted):
        services.version_add(
            document=document, file=upload(samples.pdf(), "x.pdf"), uploaded_by=library.neighbour
        )
    assert DocumentVersion.objects.count() == 1


def test_withdrawal_needs_an_officer_and_a_reason_and_keeps_the_history(library, media):
    document = library.add()
    services.version_add(
        document=document, file=upload(samples.pdf("v2"), "x.pdf"), uploaded_by=library.member
    )
    with pytest.raises(NotPermitted):
        services.document_withdraw(
            document=document, officer=library.member, reason="I changed my mind about it."
        )
    with pytest.raises(Refused, match="Say why") as refusal:
        services.document_withdraw(document=document, officer=library.chair, reason="  no ")
    assert refusal.value.field == "reason"
    services.document_withdraw(
        document=document, officer=library.chair, reason="Contains a member's home address."
    )
    document.refresh_from_db()
    assert document.is_withdrawn
    assert document.withdrawn_by == library.chair
    assert document.versions.count() == 2
    assert all(default_storage.exists(v.file.name) for v in document.versions.all())
    assert Entry.objects.filter(kind="library.document_withdrawn").count() == 1
    assert list(selectors.body_documents(library.body)) == []
    assert list(selectors.body_documents(library.body, withdrawn=True)) == [document]
    with pytest.raises(Conflict, match="already been withdrawn"):
        services.document_withdraw(
            document=document, officer=library.chair, reason="Contains a member's home address."
        )
    with pytest.raises(Conflict, match="withdrawn"):
        services.version_add(
            document=document, file=upload(samples.pdf(), "x.pdf"), uploaded_by=library.member
        )


def test_after_withdrawal_members_cannot_download_but_officers_still_can(library):
    document = library.add()
    services.document_withdraw(
        document=document, officer=library.chair, reason="Superseded by the national text."
    )
    with pytest.raises(NotPermitted):
        services.version_download(version=document.current_version, member=library.member)
    services.version_download(version=document.current_version, member=library.chair)
    assert list(Download.objects.values_list("member", flat=True)) == [library.chair.pk]


def test_downloads_are_audited_and_refused_outside_the_scope(library):
    document = library.add()
    services.version_download(version=document.current_version, member=library.neighbour)
    with pytest.raises(NotPermitted):
        services.version_download(version=document.current_version, member=library.outsider)
    with pytest.raises(NotPermitted):
        services.version_download(version=document.current_version, member=library.applicant)
    audit = list(selectors.body_downloads(library.body))
    assert [(d.member, d.version.number) for d in audit] == [(library.neighbour, 1)]


def test_export_and_erasure(library):
    document = library.add(by=library.member)
    services.version_download(version=document.current_version, member=library.member)
    exported = selectors.member_export(library.member)
    assert [u["document_id"] for u in exported["uploads"]] == [document.pk]
    assert [d["document_id"] for d in exported["downloads"]] == [document.pk]
    assert selectors.member_export(library.neighbour) == {"uploads": [], "downloads": []}

    from commonweal.members.services import member_erase

    member_erase(member=library.member, requested_by=library.member)
    document.refresh_from_db()
    assert document.created_by.display_name == "former member"
    assert document.current_version.uploaded_by_id == library.member.pk
    assert Download.objects.get().member is None
    assert selectors.member_export(library.member)["downloads"] == []
