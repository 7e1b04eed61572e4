import pytest

from commonweal.news import services


@pytest.fixture
def publish():
    """Publish news as someone, with sensible defaults for what the test does not care about."""

    def make(author, unit=None, **fields):
        fields.setdefault("title", "Branch meeting moved")
        fields.setdefault("body", "We meet **on Thursday** instead.")
        return services.news_publish(author=author, unit=unit, **fields)

    return make
