"""The Atom feeds read by a real feed reader's parser (feedparser), not only as XML."""

import feedparser
import pytest
from django.core.cache import cache
from django.urls import reverse

from commonweal.core import clock
from commonweal.news.services import news_publish

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def _empty_cache():
    cache.clear()


def parse(client, name: str):
    feed = feedparser.parse(client.get(reverse(name)).content)
    assert not feed.bozo, feed.get("bozo_exception")
    assert feed.version == "atom10"
    return feed


def test_a_feed_reader_gets_the_public_news_and_nothing_internal(org, make_officer, client):
    officer = make_officer(of=org.leeds)
    item = news_publish(
        author=officer,
        unit=org.leeds,
        title="Rents & repairs: the tenants’ march",
        body="Come and help on **Saturday**.",
        is_public=True,
    )
    news_publish(author=officer, unit=org.leeds, title="Branch finances", body="Internal.")
    feed = parse(client, "website:news_feed")
    assert feed.feed.title
    [entry] = feed.entries
    assert entry.title == "Rents & repairs: the tenants’ march"
    assert entry.link == f"http://testserver{item.get_absolute_url()}"
    assert entry.id
    assert entry.updated_parsed is not None


def test_a_feed_reader_gets_each_published_policy(org, client):
    from commonweal.policy.models import Policy

    for slug, title in (("free-buses", "Free buses"), ("homes-for-all", "Homes for all")):
        Policy.objects.create(
            title=title,
            slug=slug,
            summary=f"{title}, now.",
            section=org.transport,
            published_at=clock.now(),
        )
    feed = parse(client, "website:policies_feed")
    assert sorted((e.title, e.link) for e in feed.entries) == [
        ("Free buses", "http://testserver/policies/free-buses/"),
        ("Homes for all", "http://testserver/policies/homes-for-all/"),
    ]
    assert {e.summary for e in feed.entries} == {"Free buses, now.", "Homes for all, now."}


def test_a_feed_reader_keeps_each_record_checkpoint_as_its_signed_text(client):
    from commonweal.record.keys import public_key
    from commonweal.record.models import Checkpoint
    from commonweal.record.services import record_check, record_seal

    record_seal()
    record_check()
    checkpoint = Checkpoint.objects.get()
    feed = parse(client, "website:checkpoints_feed")
    assert public_key() in feed.feed.subtitle
    [entry] = feed.entries
    assert f"entries: {checkpoint.entries}" in entry.summary
    assert f"signature: {checkpoint.signature}" in entry.summary
