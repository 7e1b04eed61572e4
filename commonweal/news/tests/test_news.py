import pytest
from django.urls import reverse

from commonweal.core.errors import NotPermitted, Refused
from commonweal.news import selectors
from commonweal.news.models import NewsItem
from commonweal.notifications.models import Event
from commonweal.organisation.models import BodyMembership
from commonweal.organisation.services import body_membership_add

pytestmark = pytest.mark.django_db


def titles(member):
    return {item.title for item in selectors.news_for_member(member)}


def test_regional_news_reaches_its_branches_and_not_another_region(
    org, make_officer, make_member, publish
):
    north_chair = make_officer(of=org.north, unit=org.york)
    publish(north_chair, org.north, title="North rally")
    assert titles(make_member(unit=org.leeds)) == {"North rally"}
    assert titles(make_member(unit=org.york)) == {"North rally"}
    assert titles(make_member(unit=org.brighton)) == set()


def test_national_news_reaches_every_branch(org, make_officer, make_member, publish):
    publish(make_officer(of=org.nation, unit=org.brighton), org.nation, title="Congress called")
    for branch in (org.leeds, org.york, org.brighton):
        assert titles(make_member(unit=branch)) == {"Congress called"}


def test_branch_news_does_not_travel_up_or_sideways(org, make_officer, make_member, publish):
    publish(make_officer(of=org.leeds), org.leeds, title="Leeds only")
    assert titles(make_member(unit=org.york)) == set()
    regional_officer_living_in_york = make_officer(of=org.north, unit=org.york)
    assert titles(regional_officer_living_in_york) == set()


def test_body_news_reaches_its_members_only(org, make_officer, make_member, publish):
    section_chair = make_officer(body=org.transport, unit=org.brighton)
    section_member = make_member(unit=org.leeds)
    body_membership_add(body=org.transport, member=section_member, role=BodyMembership.Role.MEMBER)
    publish(section_chair, body_scope=org.transport, title="Section papers")
    assert titles(section_member) == {"Section papers"}
    assert titles(make_member(unit=org.leeds)) == set()


def test_officer_of_another_branch_is_refused(org, make_officer, publish):
    with pytest.raises(NotPermitted):
        publish(make_officer(of=org.york), org.leeds)
    assert not NewsItem.objects.exists()


def test_branch_officer_cannot_publish_to_the_region_above(org, make_officer, publish):
    with pytest.raises(NotPermitted):
        publish(make_officer(of=org.leeds), org.north)


def test_a_plain_member_cannot_publish(org, make_member, publish):
    with pytest.raises(NotPermitted):
        publish(make_member(unit=org.leeds), org.leeds)


def test_a_body_officer_cannot_publish_to_the_whole_unit_of_the_body(org, make_officer, publish):
    with pytest.raises(NotPermitted):
        publish(make_officer(body=org.transport, unit=org.leeds), org.nation)


def test_regional_officer_may_publish_to_a_branch_below(org, make_officer, make_member, publish):
    publish(make_officer(of=org.north, unit=org.york), org.leeds, title="For Leeds")
    assert titles(make_member(unit=org.leeds)) == {"For Leeds"}


def test_publishing_notifies_the_scope_once(org, make_officer, publish):
    item = publish(make_officer(of=org.north, unit=org.york), org.north)
    event = Event.objects.get(kind="news.published")
    assert event.unit_ids == [org.north.pk]
    assert event.link == item.get_absolute_url()


@pytest.mark.parametrize(
    ("fields", "field"),
    [
        ({"title": "  "}, "title"),
        ({"body": ""}, "body"),
        ({"image_url": "https://example.org/a.png", "image_alt": "A march"}, "image_url"),
        ({"image_url": "//example.org/a.png", "image_alt": "A march"}, "image_url"),
        ({"image_url": "/library/files/1/"}, "image_alt"),
    ],
)
def test_incomplete_news_is_refused_with_the_field_named(org, make_officer, publish, fields, field):
    with pytest.raises(Refused) as refusal:
        publish(make_officer(of=org.leeds), org.leeds, **fields)
    assert refusal.value.field == field
    assert not NewsItem.objects.exists()


def test_markup_in_titles_is_stripped_and_body_script_never_rendered(
    org, make_officer, make_member, publish, client
):
    item = publish(
        make_officer(of=org.leeds),
        org.leeds,
        title="<b>Bold</b> news",
        body="Hello <script>alert(1)</script>",
    )
    assert item.title == "Bold news"
    client.force_login(make_member(unit=org.leeds))
    html = client.get(item.get_absolute_url()).content.decode()
    assert "<script>alert(1)" not in html


def test_a_member_of_another_region_gets_404_for_the_news_page(
    org, make_officer, make_member, publish, client
):
    item = publish(make_officer(of=org.north, unit=org.york), org.north)
    client.force_login(make_member(unit=org.brighton))
    assert client.get(item.get_absolute_url()).status_code == 404


def test_the_public_reads_public_news_but_is_sent_to_sign_in_for_the_rest(
    org, make_officer, publish, client
):
    officer = make_officer(of=org.north, unit=org.york)
    public = publish(officer, org.north, title="Open day", is_public=True)
    private = publish(officer, org.north, title="Internal")
    assert "Open day" in client.get(public.get_absolute_url()).content.decode()
    response = client.get(private.get_absolute_url())
    assert response.status_code == 302
    assert response.url.startswith(reverse("account_login"))
    listing = client.get(reverse("news:public_list")).content.decode()
    assert "Open day" in listing
    assert "Internal" not in listing


def test_the_list_is_newest_first(org, make_officer, make_member, publish, client):
    from datetime import UTC, datetime

    from commonweal.core import clock

    officer = make_officer(of=org.nation, unit=org.brighton)
    with clock.frozen(datetime(2026, 1, 1, tzinfo=UTC)):
        publish(officer, org.nation, title="Older")
    with clock.frozen(datetime(2026, 2, 1, tzinfo=UTC)):
        publish(officer, org.nation, title="Newer")
    client.force_login(make_member(unit=org.leeds))
    html = client.get(reverse("news:list")).content.decode()
    assert html.index("Newer") < html.index("Older")


def test_publishing_through_the_page(org, make_officer, make_member, client):
    officer = make_officer(of=org.leeds)
    client.force_login(officer)
    response = client.post(
        reverse("news:create"),
        {"title": "Stall on Saturday", "scope": f"unit:{org.leeds.pk}", "body": "Come along."},
    )
    item = NewsItem.objects.get()
    assert response.url == item.get_absolute_url()
    assert item.unit == org.leeds
    assert item.author == officer


def test_the_page_offers_only_scopes_the_officer_may_use(org, make_officer, client):
    client.force_login(make_officer(of=org.leeds))
    response = client.post(
        reverse("news:create"),
        {"title": "Sneaky", "scope": f"unit:{org.brighton.pk}", "body": "x"},
    )
    assert response.status_code == 200
    assert "scope" in response.context["form"].errors
    assert not NewsItem.objects.exists()


def test_a_plain_member_does_not_get_the_publishing_page(org, make_member, client):
    client.force_login(make_member(unit=org.leeds))
    assert client.get(reverse("news:create")).status_code == 404


@pytest.mark.parametrize("count", [3, 30])
def test_the_news_list_runs_a_constant_number_of_queries(
    org, make_officer, make_member, publish, client, django_assert_max_num_queries, count
):
    officer = make_officer(of=org.nation, unit=org.brighton)
    section_chair = make_officer(body=org.transport, unit=org.brighton)
    for n in range(count):
        publish(officer, org.nation, title=f"National {n}")
        publish(section_chair, body_scope=org.transport, title=f"Section {n}")
    reader = make_member(unit=org.leeds)
    body_membership_add(body=org.transport, member=reader, role=BodyMembership.Role.MEMBER)
    client.force_login(reader)
    with django_assert_max_num_queries(12):
        response = client.get(reverse("news:list"))
    assert len(response.context["page_obj"]) == min(2 * count, 25)


def test_api_lists_my_news_and_refuses_publishing_elsewhere(
    org, make_officer, make_member, publish, client
):
    publish(make_officer(of=org.north, unit=org.york), org.north, title="North news")
    client.force_login(make_member(unit=org.leeds))
    listed = client.get("/api/news/").json()
    assert [item["title"] for item in listed["items"]] == ["North news"]
    officer = make_officer(of=org.york)
    client.force_login(officer)
    response = client.post(
        "/api/news/",
        {"title": "x", "body": "y", "unit_id": org.leeds.pk},
        content_type="application/json",
    )
    assert response.status_code == 403
    response = client.post(
        "/api/news/",
        {"title": "York news", "body": "y", "unit_id": org.york.pk, "is_public": True},
        content_type="application/json",
    )
    assert response.status_code == 201
    assert client.get("/api/news/public", HTTP_COOKIE="").json()["items"][0]["title"] == "York news"
