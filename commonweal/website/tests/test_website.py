import xml.etree.ElementTree as ET
from datetime import timedelta

import pytest
from django.core.cache import cache
from django.urls import reverse

from commonweal.core import clock
from commonweal.core.errors import NotPermitted
from commonweal.news.services import news_publish
from commonweal.website import services
from commonweal.website.models import SiteTextRevision

pytestmark = pytest.mark.django_db
ATOM = "{http://www.w3.org/2005/Atom}"


@pytest.fixture(autouse=True)
def _empty_cache():
    cache.clear()


def test_home_needs_no_login_and_shows_only_public_news(org, make_officer, client):
    officer = make_officer(of=org.leeds)
    news_publish(author=officer, unit=org.leeds, title="Open meeting", body="x", is_public=True)
    news_publish(author=officer, unit=org.leeds, title="Members only", body="x")
    html = client.get("/").content.decode()
    assert "Open meeting" in html
    assert "Members only" not in html
    assert reverse("members:join") in html


def test_home_is_served_from_cache_and_refreshed_when_news_is_published(
    org, make_officer, client, on_commit, django_assert_num_queries
):
    client.get("/")
    with django_assert_num_queries(0):
        client.get("/")
    news_publish(
        author=make_officer(of=org.leeds), unit=org.leeds, title="Fresh", body="x", is_public=True
    )
    on_commit()
    assert "Fresh" in client.get("/").content.decode()


def test_home_lists_upcoming_public_meetings_only(org, make_officer, client):
    from commonweal.meetings.models import Meeting

    start = clock.now() + timedelta(days=3)
    for title, public in (("Open forum", True), ("Closed session", False)):
        Meeting.objects.create(
            body=org.leadership,
            kind=Meeting.Kind.IN_PERSON,
            title=title,
            opens_at=start,
            closes_at=start + timedelta(hours=2),
            is_public=public,
            created_at=clock.now(),
            rulebook_version=1,
        )
    html = client.get("/").content.decode()
    assert "Open forum" in html
    assert "Closed session" not in html


def test_a_national_officer_edits_the_about_page_and_history_is_kept(
    org, make_officer, client, on_commit
):
    officer = make_officer(of=org.nation, unit=org.leeds)
    client.force_login(officer)
    url = reverse("website:text_edit", args=["about"])
    client.post(url, {"title": "Who we are", "body": "First *version*."})
    client.post(url, {"title": "Who we are", "body": "Second version."})
    on_commit()
    client.logout()
    html = client.get(reverse("website:about")).content.decode()
    assert "Second version." in html
    assert [r.body for r in SiteTextRevision.objects.all()] == [
        "Second version.",
        "First *version*.",
    ]


def test_a_branch_officer_cannot_edit_the_public_texts(org, make_officer, client):
    officer = make_officer(of=org.leeds)
    with pytest.raises(NotPermitted):
        services.site_text_edit(slug="about", title="x", body="y", edited_by=officer)
    client.force_login(officer)
    response = client.post(reverse("website:text_edit", args=["join"]), {"title": "x", "body": "y"})
    assert response.status_code == 404
    assert not SiteTextRevision.objects.exists()


def test_an_unknown_page_cannot_be_edited(org, make_officer, client):
    client.force_login(make_officer(of=org.nation, unit=org.leeds))
    assert client.get(reverse("website:text_edit", args=["secrets"])).status_code == 404


def test_the_join_page_shows_its_text_and_the_application_link(client, db):
    html = client.get(reverse("website:join")).content.decode()
    assert "How to join" in html
    assert reverse("members:join") in html


def test_the_public_news_feed_is_valid_atom_with_only_public_items(org, make_officer, client):
    officer = make_officer(of=org.leeds)
    item = news_publish(
        author=officer, unit=org.leeds, title="Public & proud", body="**x**", is_public=True
    )
    news_publish(author=officer, unit=org.leeds, title="Internal", body="x")
    response = client.get(reverse("website:news_feed"))
    assert response["Content-Type"].startswith("application/atom+xml")
    root = ET.fromstring(response.content)  # noqa: S314 - our own output
    assert root.tag == f"{ATOM}feed"
    entries = root.findall(f"{ATOM}entry")
    assert [e.findtext(f"{ATOM}title") for e in entries] == ["Public & proud"]
    link = entries[0].find(f"{ATOM}link").get("href")
    assert link == f"http://testserver{item.get_absolute_url()}"
    assert entries[0].findtext(f"{ATOM}id")
    assert entries[0].findtext(f"{ATOM}updated")


def test_the_policies_feed_is_valid_atom(org, client):
    from commonweal.policy.models import Policy

    Policy.objects.create(
        title="Free buses",
        slug="free-buses",
        summary="Fares; gone, for good",
        section=org.transport,
        published_at=clock.now(),
    )
    root = ET.fromstring(client.get(reverse("website:policies_feed")).content)  # noqa: S314
    entry = root.find(f"{ATOM}entry")
    assert entry.findtext(f"{ATOM}title") == "Free buses"
    assert entry.find(f"{ATOM}link").get("href") == "http://testserver/policies/free-buses/"
    assert entry.findtext(f"{ATOM}summary") == "Fares; gone, for good"
