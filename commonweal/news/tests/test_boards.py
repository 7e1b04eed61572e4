from datetime import timedelta

import pytest
from django.urls import reverse

from commonweal.core import clock
from commonweal.core.errors import Conflict, NotPermitted, Refused
from commonweal.news import services
from commonweal.news.models import Notice
from commonweal.notifications.models import Event

pytestmark = pytest.mark.django_db


def post(author, unit, **fields):
    fields.setdefault("title", "Bike for sale")
    fields.setdefault("text", "Good condition, ask at the meeting.")
    fields.setdefault("expires_on", clock.now().date() + timedelta(days=7))
    return services.notice_post(author=author, unit=unit, **fields)


def test_a_member_posts_on_their_branch_and_region_boards(org, make_member, client):
    author = make_member(unit=org.leeds)
    post(author, org.leeds, title="On Leeds")
    post(author, org.north, title="On North")
    reader = make_member(unit=org.york)
    client.force_login(reader)
    assert "On North" in client.get(reverse("news:board", args=[org.north.pk])).content.decode()
    assert client.get(reverse("news:board", args=[org.leeds.pk])).status_code == 404


def test_a_member_cannot_post_on_another_branch_board(org, make_member, client):
    author = make_member(unit=org.leeds)
    with pytest.raises(NotPermitted):
        post(author, org.york)
    client.force_login(author)
    response = client.post(
        reverse("news:board", args=[org.york.pk]),
        {"title": "x", "text": "y", "expires_on": "2099-01-01"},
    )
    assert response.status_code == 404
    assert not Notice.objects.exists()


def test_a_notice_that_expired_in_the_past_is_refused(org, make_member):
    with pytest.raises(Refused) as refusal:
        post(make_member(unit=org.leeds), org.leeds, expires_on=clock.now().date() - timedelta(1))
    assert refusal.value.field == "expires_on"


def test_an_expired_notice_leaves_the_board(org, make_member, client):
    author = make_member(unit=org.leeds)
    post(author, org.leeds, title="Short-lived", expires_on=clock.now().date())
    client.force_login(author)
    url = reverse("news:board", args=[org.leeds.pk])
    assert "Short-lived" in client.get(url).content.decode()
    with clock.frozen(clock.now() + timedelta(days=2)):
        assert "Short-lived" not in client.get(url).content.decode()


def test_takedown_hides_the_notice_and_shows_the_author_why(org, make_member, make_officer, client):
    author = make_member(unit=org.leeds)
    notice = post(author, org.leeds, title="Selling raffle tickets")
    officer = make_officer(of=org.leeds)
    services.notice_take_down(
        notice=notice, officer=officer, reason="Commercial adverts go elsewhere"
    )
    url = reverse("news:board", args=[org.leeds.pk])
    client.force_login(make_member(unit=org.leeds))
    assert "Selling raffle tickets" not in client.get(url).content.decode()
    client.force_login(author)
    html = client.get(url).content.decode()
    assert "Selling raffle tickets" in html
    assert "Commercial adverts go elsewhere" in html
    event = Event.objects.get(kind="news.notice_taken_down")
    assert event.member_ids == [author.pk]
    assert event.text == "Commercial adverts go elsewhere"


def test_takedown_needs_a_reason(org, make_member, make_officer):
    notice = post(make_member(unit=org.leeds), org.leeds)
    with pytest.raises(Refused) as refusal:
        services.notice_take_down(notice=notice, officer=make_officer(of=org.leeds), reason=" ")
    assert refusal.value.field == "reason"
    notice.refresh_from_db()
    assert notice.taken_down_at is None


def test_officer_of_another_branch_cannot_take_down(org, make_member, make_officer, client):
    notice = post(make_member(unit=org.leeds), org.leeds)
    york_officer = make_officer(of=org.york)
    with pytest.raises(NotPermitted):
        services.notice_take_down(notice=notice, officer=york_officer, reason="No")
    client.force_login(york_officer)
    response = client.post(reverse("news:notice_take_down", args=[notice.pk]), {"reason": "No"})
    assert response.status_code == 404
    notice.refresh_from_db()
    assert notice.taken_down_at is None


def test_the_author_cannot_take_down_their_own_notice_as_an_officer_would(org, make_member):
    author = make_member(unit=org.leeds)
    notice = post(author, org.leeds)
    with pytest.raises(NotPermitted):
        services.notice_take_down(notice=notice, officer=author, reason="Mine")


def test_a_notice_is_taken_down_once(org, make_member, make_officer):
    notice = post(make_member(unit=org.leeds), org.leeds)
    officer = make_officer(of=org.leeds)
    services.notice_take_down(notice=notice, officer=officer, reason="Off topic")
    with pytest.raises(Conflict):
        services.notice_take_down(notice=notice, officer=officer, reason="Again")


def test_a_regional_officer_takes_down_through_the_page(org, make_member, make_officer, client):
    notice = post(make_member(unit=org.leeds), org.leeds)
    client.force_login(make_officer(of=org.north, unit=org.york))
    response = client.post(
        reverse("news:notice_take_down", args=[notice.pk]), {"reason": "Duplicate"}
    )
    assert response.url == reverse("news:board", args=[org.leeds.pk])
    notice.refresh_from_db()
    assert notice.takedown_reason == "Duplicate"


def test_the_boards_index_lists_the_members_line_of_units(org, make_member, client):
    client.force_login(make_member(unit=org.leeds))
    html = client.get(reverse("news:boards")).content.decode()
    for unit in (org.nation, org.north, org.leeds):
        assert reverse("news:board", args=[unit.pk]) in html
    assert reverse("news:board", args=[org.york.pk]) not in html
    assert reverse("policy:board") in html


def test_an_erased_authors_notices_leave_the_board(org, make_member, client):
    from commonweal.members.services import member_erase

    author = make_member(unit=org.leeds, full_name="Dana Example")
    post(author, org.leeds, title="Lost umbrella")
    post(make_member(unit=org.leeds), org.leeds, title="Found keys")
    member_erase(member=author, requested_by=author)
    client.force_login(make_member(unit=org.leeds))
    html = client.get(reverse("news:board", args=[org.leeds.pk])).content.decode()
    assert "Found keys" in html
    assert "Lost umbrella" not in html
    assert "Dana Example" not in html


def test_export_holds_my_notices(org, make_member):
    from commonweal.news.selectors import member_export

    author = make_member(unit=org.leeds)
    post(author, org.leeds, title="Mine")
    assert [n["title"] for n in member_export(author)["notices"]] == ["Mine"]


def test_api_notices_and_takedown(org, make_member, make_officer, client):
    author = make_member(unit=org.leeds)
    client.force_login(author)
    url = f"/api/news/boards/{org.leeds.pk}/notices"
    created = client.post(
        url,
        {"title": "Lift share", "text": "From York", "expires_on": "2099-01-01"},
        content_type="application/json",
    )
    assert created.status_code == 201
    assert client.get(f"/api/news/boards/{org.york.pk}/notices").status_code == 404
    notice_id = created.json()["id"]
    client.force_login(make_officer(of=org.york))
    refused = client.post(
        f"/api/news/notices/{notice_id}/take-down", {"reason": "x"}, content_type="application/json"
    )
    assert refused.status_code == 404
    client.force_login(make_officer(of=org.leeds))
    done = client.post(
        f"/api/news/notices/{notice_id}/take-down", {"reason": ""}, content_type="application/json"
    )
    assert done.status_code == 400
    assert done.json()["field"] == "reason"
