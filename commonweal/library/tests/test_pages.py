"""The library pages, the download view and the API, as members would meet them."""

import hashlib

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from commonweal.library import samples, services
from commonweal.library.models import Document, Download
from commonweal.members.services import api_token_create

from .conftest import upload

pytestmark = pytest.mark.django_db


@pytest.fixture
def as_member(client):
    def sign_in(member):
        client.force_login(member)
        return client

    return sign_in


def download_url(document, number=1):
    return reverse("library:download", args=[document.pk, number])


def test_a_member_in_scope_downloads_the_exact_bytes_and_is_audited(library, as_member):
    content = samples.pdf("Budget 2026")
    document = library.add(content, "budget.pdf")
    response = as_member(library.neighbour).get(download_url(document))
    assert response.status_code == 200
    assert b"".join(response.streaming_content) == content
    assert response["Content-Type"] == "application/pdf"
    assert response["Content-Disposition"].startswith("attachment;")
    assert 'filename="budget.pdf"' in response["Content-Disposition"]
    assert response["X-Content-Type-Options"] == "nosniff"
    audit = Download.objects.get()
    assert (audit.member, audit.document, audit.version.number) == (
        library.neighbour,
        document,
        1,
    )


def test_an_image_is_shown_inline_with_its_real_type(library, as_member):
    document = library.add(samples.png(), "banner.pdf")
    response = as_member(library.member).get(download_url(document))
    assert response["Content-Type"] == "image/png"
    assert response["Content-Disposition"].startswith("inline;")
    assert 'filename="banner.png"' in response["Content-Disposition"]


def test_another_units_member_gets_404_everywhere_and_nothing_is_audited(library, as_member):
    document = library.add()
    client = as_member(library.outsider)
    assert client.get(download_url(document)).status_code == 404
    assert client.get(reverse("library:document", args=[document.pk])).status_code == 404
    assert client.get(reverse("library:body", args=[library.body.slug])).status_code == 404
    assert client.get(reverse("library:upload", args=[library.body.slug])).status_code == 404
    assert not Download.objects.exists()
    assert library.body.name not in client.get(reverse("library:list")).content.decode()


def test_an_applicant_or_a_stranger_cannot_download(library, client, as_member):
    document = library.add()
    assert client.get(download_url(document)).status_code == 302
    assert as_member(library.applicant).get(download_url(document)).status_code == 404
    assert not Download.objects.exists()


def test_a_version_that_does_not_exist_is_404(library, as_member):
    document = library.add()
    assert as_member(library.member).get(download_url(document, 2)).status_code == 404


def test_earlier_versions_download_their_own_bytes(library, as_member):
    document = library.add(samples.pdf("first"))
    services.version_add(
        document=document, file=upload(samples.pdf("second"), "b.pdf"), uploaded_by=library.member
    )
    client = as_member(library.neighbour)
    assert b"".join(client.get(download_url(document, 1)).streaming_content) == samples.pdf("first")
    assert b"".join(client.get(download_url(document, 2)).streaming_content) == samples.pdf(
        "second"
    )


def test_a_withdrawn_document_shows_why_and_no_longer_downloads_for_members(library, as_member):
    document = library.add()
    services.document_withdraw(
        document=document, officer=library.chair, reason="Replaced by the approved minutes."
    )
    client = as_member(library.member)
    page = client.get(reverse("library:document", args=[document.pk])).content.decode()
    assert "Replaced by the approved minutes." in page
    assert download_url(document) not in page
    assert client.get(download_url(document)).status_code == 404


def test_uploading_through_the_form(library, as_member):
    client = as_member(library.member)
    form_page = client.get(reverse("library:upload", args=[library.body.slug])).content.decode()
    assert 'enctype="multipart/form-data"' in form_page
    assert "20.0\xa0MB" in form_page
    assert "200.0\xa0MB" in form_page
    response = client.post(
        reverse("library:upload", args=[library.body.slug]),
        {
            "title": "Leaflet",
            "description": "For the bus campaign",
            "kind": "",
            "note": "",
            "file": SimpleUploadedFile("leaflet.pdf", samples.pdf("Buses")),
        },
    )
    document = Document.objects.get()
    assert response.status_code == 302
    assert response["Location"] == reverse("library:document", args=[document.pk])
    assert document.current_version.original_name == "leaflet.pdf"


def test_an_html_file_renamed_pdf_is_refused_on_the_form(library, as_member):
    response = as_member(library.member).post(
        reverse("library:upload", args=[library.body.slug]),
        {
            "title": "Agenda",
            "file": SimpleUploadedFile(
                "agenda.pdf", b"<html><script>alert(1)</script></html>", "application/pdf"
            ),
        },
    )
    assert response.status_code == 200
    assert "HTML and SVG files are not accepted" in response.content.decode()
    assert not Document.objects.exists()


def test_a_member_in_scope_but_not_in_the_body_has_no_upload_form(library, as_member):
    client = as_member(library.neighbour)
    assert client.get(reverse("library:upload", args=[library.body.slug])).status_code == 404
    page = client.get(reverse("library:body", args=[library.body.slug])).content.decode()
    assert reverse("library:upload", args=[library.body.slug]) not in page


def test_new_version_and_withdraw_pages(library, as_member):
    document = library.add()
    client = as_member(library.member)
    assert client.get(reverse("library:withdraw", args=[document.pk])).status_code == 404
    response = client.post(
        reverse("library:version_add", args=[document.pk]),
        {"file": SimpleUploadedFile("v2.pdf", samples.pdf("v2")), "note": "Typos"},
    )
    assert response.status_code == 302
    assert document.versions.count() == 2

    client = as_member(library.chair)
    response = client.post(reverse("library:withdraw", args=[document.pk]), {"reason": "short"})
    assert "at least 10 characters" in response.content.decode()
    response = client.post(
        reverse("library:withdraw", args=[document.pk]),
        {"reason": "Posted to the wrong library."},
    )
    assert response.status_code == 302
    document.refresh_from_db()
    assert document.is_withdrawn


def test_only_officers_see_who_downloaded_what(library, as_member):
    document = library.add()
    services.version_download(version=document.current_version, member=library.neighbour)
    url = reverse("library:downloads", args=[library.body.slug])
    assert as_member(library.member).get(url).status_code == 404
    page = as_member(library.chair).get(url).content.decode()
    assert library.neighbour.display_name in page
    assert document.title in page


def _many(library, n):
    for i in range(n):
        library.add(samples.pdf(f"doc {i}"), f"doc-{i}.pdf", title=f"Document {i}")


@pytest.mark.parametrize("n", [2, 30])
def test_library_pages_run_a_constant_number_of_queries(
    library, as_member, n, django_assert_max_num_queries
):
    _many(library, n)
    client = as_member(library.chair)
    with django_assert_max_num_queries(14):
        response = client.get(reverse("library:body", args=[library.body.slug]))
    assert response.content.decode().count("Document ") == min(n, 25)
    with django_assert_max_num_queries(11):
        response = client.get(reverse("library:list"))
    assert response.content.decode().count("Document ") == min(n, 10)
    document = Document.objects.first()
    for _ in range(n):
        services.version_download(version=document.current_version, member=library.neighbour)
    with django_assert_max_num_queries(12):
        response = client.get(reverse("library:downloads", args=[library.body.slug]))
    assert response.content.decode().count(library.neighbour.display_name) == n


@pytest.fixture
def api(client):
    def as_(member):
        _token, key = api_token_create(member=member, name="test", scope="write")
        return {"HTTP_AUTHORIZATION": f"Token {key}"}

    return as_


def test_api_upload_list_detail_and_download(library, client, api):
    headers = api(library.member)
    content = samples.pdf("API")
    response = client.post(
        f"/api/library/bodies/{library.body.slug}/documents",
        {"title": "Via the API", "file": SimpleUploadedFile("api.pdf", content)},
        **headers,
    )
    assert response.status_code == 201, response.content
    created = response.json()
    assert created["current_version"]["sha256"] == hashlib.sha256(content).hexdigest()

    listed = client.get(f"/api/library/bodies/{library.body.slug}/documents", **headers).json()
    assert [d["id"] for d in listed] == [created["id"]]
    libraries = client.get("/api/library/bodies", **headers).json()
    assert library.body.slug in [b["slug"] for b in libraries]

    response = client.post(
        f"/api/library/documents/{created['id']}/versions",
        {"file": SimpleUploadedFile("api2.pdf", samples.pdf("API 2")), "note": "second"},
        **headers,
    )
    assert response.status_code == 201
    detail = client.get(f"/api/library/documents/{created['id']}", **headers).json()
    assert [v["number"] for v in detail["versions"]] == [2, 1]

    response = client.get(f"/api/library/documents/{created['id']}/versions/1/download", **headers)
    assert b"".join(response.streaming_content) == content
    assert Download.objects.filter(member=library.member).count() == 1


def test_api_refuses_bad_content_and_hides_other_units_libraries(library, client, api):
    response = client.post(
        f"/api/library/bodies/{library.body.slug}/documents",
        {"title": "ELF", "file": SimpleUploadedFile("tool.pdf", b"\x7fELF" + b"\x00" * 100)},
        **api(library.member),
    )
    assert response.status_code == 400
    assert response.json()["field"] == "file"
    document = library.add()
    outsider = api(library.outsider)
    assert (
        client.get(f"/api/library/bodies/{library.body.slug}/documents", **outsider).status_code
        == 404
    )
    assert (
        client.get(
            f"/api/library/documents/{document.pk}/versions/1/download", **outsider
        ).status_code
        == 404
    )
    response = client.post(
        f"/api/library/bodies/{library.body.slug}/documents",
        {"title": "x", "file": SimpleUploadedFile("x.pdf", samples.pdf())},
        **api(library.neighbour),
    )
    assert response.status_code == 403
    assert not Download.objects.exists()
