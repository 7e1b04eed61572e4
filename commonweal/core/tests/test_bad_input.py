"""Hostile and broken input is refused or neutralised, never a server error or half a write."""

import json

import pytest
from django.conf import settings as django_settings
from django.core.cache import cache
from django.urls import reverse

from commonweal.members.models import Member, MembershipApplication
from commonweal.record.models import Entry

pytestmark = pytest.mark.django_db

SCRIPT = '<script>alert("x")</script>'
HANDLER = '<img src=x onerror="alert(1)">'
TOO_BIG = django_settings.DATA_UPLOAD_MAX_MEMORY_SIZE + 1024


@pytest.fixture(autouse=True)
def _fresh_counters():
    cache.clear()


def rows() -> tuple[int, int, int]:
    return Member.objects.count(), MembershipApplication.objects.count(), Entry.objects.count()


def join_data(org, **fields):
    return {
        "full_name": "Ana Costa",
        "email": "ana@example.org",
        "unit": org.leeds.pk,
        "password": "correct horse battery",
        **fields,
    }


def test_an_oversized_form_is_refused_with_a_page_not_a_crash(client, org):
    before = rows()
    response = client.post(reverse("members:join"), join_data(org, statement="x" * TOO_BIG))
    assert response.status_code == 400
    assert "too large or not valid text" in response.content.decode()
    assert rows() == before


def test_an_oversized_api_body_is_refused(client, make_member):
    member = make_member()
    client.force_login(member)
    body = json.dumps({"full_name": "x" * TOO_BIG})
    response = client.patch("/api/members/me", body, content_type="application/json")
    assert response.status_code == 400
    member.refresh_from_db()
    assert len(member.full_name) < 1000


def test_deeply_nested_json_is_refused(client, make_member):
    member = make_member()
    client.force_login(member)
    name = member.full_name
    body = '{"full_name": ' + "[" * 100_000 + "]" * 100_000 + "}"
    response = client.patch("/api/members/me", body, content_type="application/json")
    assert response.status_code == 400
    member.refresh_from_db()
    assert member.full_name == name


def test_invalid_utf8_in_api_json_is_refused(client, make_member):
    member = make_member()
    client.force_login(member)
    name = member.full_name
    response = client.patch(
        "/api/members/me", b'{"full_name": "\xff\xfe"}', content_type="application/json"
    )
    assert response.status_code == 400
    member.refresh_from_db()
    assert member.full_name == name


def test_invalid_utf8_in_a_form_post_is_neutralised(client, org):
    body = (
        f"full_name=Ana%FF%FECosta&email=ana%40example.org&unit={org.leeds.pk}"
        "&password=correct+horse+battery&statement=\xff"
    ).encode("latin-1")
    response = client.generic(
        "POST", reverse("members:join"), body, content_type="application/x-www-form-urlencoded"
    )
    assert response.status_code == 200
    applicant = Member.objects.get(email="ana@example.org")
    assert applicant.full_name == "Ana\ufffd\ufffdCosta"
    applicant.full_name.encode("utf-8")


@pytest.mark.parametrize(
    "path", ["/members/join/?next=%FF%FE", "/policies/?q=%C0%AE%C0%AE", "/?page=%FF"]
)
def test_invalid_utf8_in_a_query_string_is_no_server_error(client, org, path):
    assert client.get(path).status_code in {200, 302, 400, 404}


@pytest.mark.parametrize(
    "path",
    [
        "/static/../../../../etc/passwd",
        "/static/%2e%2e/%2e%2e/%2e%2e/etc/passwd",
        "/media/..%2f..%2f..%2fetc%2fpasswd",
        "/organisation/units/..%2f..%2fsettings.py/",
        "/members/..%2F..%2Fetc%2Fpasswd/",
        "/members/%FF%FE/",
        "/policies/....//....//etc/passwd",
    ],
)
def test_path_traversal_finds_nothing(client, path):
    response = client.get(path)
    assert response.status_code == 404
    assert b"root:" not in response.content


@pytest.mark.parametrize("markup", [SCRIPT, HANDLER])
def test_markup_in_the_join_form_is_stripped_from_names_and_shown_escaped(
    client, org, make_officer, markup
):
    response = client.post(
        reverse("members:join"), join_data(org, full_name=f"Ana {markup}Costa", statement=markup)
    )
    assert response.status_code == 200
    application = MembershipApplication.objects.get(applicant__email="ana@example.org")
    assert application.applicant.full_name == "Ana Costa"
    assert application.statement == markup
    client.force_login(make_officer(org.leeds))
    page = client.get(reverse("members:applications")).content.decode()
    assert "Ana Costa" in page
    assert "alert" in page
    assert markup not in page


def test_a_name_that_is_only_markup_is_refused_and_nothing_is_stored(client, org):
    before = rows()
    response = client.post(reverse("members:join"), join_data(org, full_name=SCRIPT))
    assert response.status_code == 200
    assert "Tell us your name." in response.content.decode()
    assert rows() == before


@pytest.mark.parametrize("markup", [SCRIPT, HANDLER])
def test_markup_in_a_profile_never_reaches_a_page_as_html(client, org, make_member, markup):
    member = make_member(unit=org.leeds, full_name="Ana Costa")
    viewer = make_member(unit=org.leeds)
    client.force_login(member)
    response = client.post(
        reverse("members:profile"),
        {
            "full_name": f"Ana {markup}Costa",
            "skills": f"{markup}organising",
            "visibility": Member.Visibility.UNIT,
        },
    )
    assert response.status_code == 302
    member.refresh_from_db()
    assert member.full_name == "Ana Costa"
    assert member.skills == ["organising"]
    client.force_login(viewer)
    page = client.get(reverse("members:detail", args=[member.pk])).content.decode()
    assert "organising" in page
    assert "onerror" not in page
    assert "alert" not in page


def test_markup_through_the_api_is_stripped_from_names(client, make_member):
    member = make_member(full_name="Ana Costa")
    client.force_login(member)
    response = client.patch(
        "/api/members/me",
        json.dumps({"full_name": f"Ana {HANDLER}Costa", "skills": [SCRIPT, "organising"]}),
        content_type="application/json",
    )
    assert response.status_code == 200
    assert response.json()["full_name"] == "Ana Costa"
    assert response.json()["skills"] == ["organising"]


@pytest.mark.parametrize(
    ("name", "kept"),
    [
        ("../../../../tmp/evil.pdf", "evil.pdf"),
        ("..\\..\\..\\evil.pdf", "evil.pdf"),
        ("/etc/cron.d/evil.pdf", "evil.pdf"),
    ],
)
def test_path_traversal_in_an_uploaded_file_name_stays_in_the_library(
    client, org, make_member, settings, tmp_path, name, kept
):
    """The name as a hostile client sends it, raw in the multipart body (Django's test
    client would strip it first): the file lands inside the media root, under a plain name."""
    from commonweal.library import samples
    from commonweal.library.models import DocumentVersion
    from commonweal.organisation.selectors import assembly_of
    from commonweal.organisation.services import body_membership_add

    settings.MEDIA_ROOT = media = tmp_path / "media"
    body = assembly_of(org.leeds)
    member = make_member(unit=org.leeds)
    body_membership_add(body=body, member=member)
    client.force_login(member)
    boundary = "matrixboundary"
    payload = (
        (
            f'--{boundary}\r\nContent-Disposition: form-data; name="title"\r\n\r\nLeaflet\r\n'
            f'--{boundary}\r\nContent-Disposition: form-data; name="file"; filename="{name}"\r\n'
            "Content-Type: application/pdf\r\n\r\n"
        ).encode()
        + samples.pdf("leaflet")
        + f"\r\n--{boundary}--\r\n".encode()
    )
    response = client.generic(
        "POST",
        reverse("library:upload", args=[body.slug]),
        payload,
        content_type=f"multipart/form-data; boundary={boundary}",
    )
    assert response.status_code == 302
    version = DocumentVersion.objects.get()
    assert version.original_name == kept
    stored = (media / version.file.name).resolve()
    assert stored.is_relative_to(media.resolve())
    assert stored.is_file()
    assert not (tmp_path / "evil.pdf").exists()


@pytest.mark.parametrize(
    "path",
    [
        "/api/organisation/units/a%00b",
        "/api/policy/policies/a%00b",
        "/news/calendar/a%00b.ics",
        "/policies/?q=a%00b",
        "/api/discussion/positions?subject=policy.proposal%3A1%00",
    ],
)
def test_a_nul_character_in_the_address_is_refused(client, make_member, path):
    """PostgreSQL cannot hold NUL in text: it must never reach a query (a 500 there)."""
    client.force_login(make_member())
    response = client.get(path)
    assert response.status_code == 400
    assert "NUL character" in response.content.decode()


def test_the_api_refuses_a_nul_character_in_its_own_json_shape(client, make_member):
    client.force_login(make_member())
    response = client.get("/api/organisation/units/a%00b")
    assert response.status_code == 400
    assert response.json() == {
        "detail": "The address may not contain the NUL character.",
        "field": None,
    }
    assert client.get("/policies/?q=a%00b")["Content-Type"].startswith("text/plain")
