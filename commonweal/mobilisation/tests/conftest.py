from datetime import UTC, datetime, timedelta

import pytest
from django.core.cache import cache

from commonweal.core import clock

NOW = datetime(2026, 5, 1, 12, 0, tzinfo=UTC)


@pytest.fixture(autouse=True)
def fresh_limits():
    cache.clear()
    yield
    cache.clear()


@pytest.fixture
def pinned():
    with clock.frozen(NOW):
        yield NOW


@pytest.fixture
def petition(org, make_officer, pinned):
    from commonweal.mobilisation.services import action_create, action_open

    officer = make_officer(of=org.leeds)
    action = action_create(
        actor=officer,
        unit=org.leeds,
        kind="petition",
        title="Bring back the 42 night bus",
        target="West Yorkshire Combined Authority",
        goal=1000,
    )
    action = action_open(actor=officer, action=action)
    action.officer = officer
    return action


@pytest.fixture
def started():
    """A sign form shown a minute before the pinned moment."""
    from commonweal.mobilisation.services import form_started

    with clock.frozen(NOW - timedelta(minutes=1)):
        return form_started()
