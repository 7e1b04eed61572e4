"""A conference amends the constitution, in a real browser at 360 px: a delegate drafts the
amendment (a bad quorum refused beside its field), reads the diff, puts it to the conference;
the delegates' vote carries it and the platform's clock brings it into force on its date, and
the public website shows it."""

from datetime import timedelta

import pytest

from commonweal.constitution.services import amendments_sweep
from commonweal.core import clock
from commonweal.rulebook.models import RulebookVersion
from commonweal.rulebook.selectors import current
from commonweal.voting.models import Vote
from commonweal.voting.services import ballot_cast, vote_close

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def _check(page, axe):
    assert axe(page) == [], page.url


def test_a_conference_amends_the_constitution(live_server, page, axe, sign_in, conference):
    base = live_server.url
    page.set_viewport_size({"width": 360, "height": 800})
    ana = conference.delegates[0]
    sign_in(page, base, ana.email)

    page.goto(f"{base}/rulebook/")
    page.get_by_role("link", name="Draft an amendment").click()
    page.wait_for_load_state()
    _check(page, axe)
    page.get_by_label("Title of the new version").fill("Rulebook 2027")
    quorum = page.get_by_label("Quorum")
    assert quorum.input_value() == "10.0"
    quorum.fill("150")
    page.get_by_role("button", name="Stage this draft").click()
    page.wait_for_load_state()
    assert "Must be between 0% and 100%." in page.inner_text("main")
    assert page.get_by_label("Quorum").get_attribute("aria-invalid") == "true"
    _check(page, axe)
    assert RulebookVersion.objects.count() == 1

    page.get_by_label("Quorum").fill("20")
    page.get_by_role("button", name="Stage this draft").click()
    page.wait_for_url("**/rulebook/amendments/2/")
    changes = page.inner_text("main table")
    assert "Quorum" in changes
    assert "10%" in changes
    assert "20%" in changes
    _check(page, axe)

    page.get_by_role("link", name="Put it to National Conference").click()
    page.wait_for_load_state()
    _check(page, axe)
    now = clock.now()
    page.get_by_label("The vote closes at").fill(
        (now + timedelta(days=15)).strftime("%Y-%m-%dT%H:%M")
    )
    in_force = now + timedelta(days=30)
    page.get_by_label("If adopted, it comes into force at").fill(
        in_force.strftime("%Y-%m-%dT%H:%M")
    )
    page.get_by_label("I understand").check()
    page.get_by_role("button", name="Put it to the vote").click()
    page.wait_for_url("**/rulebook/amendments/2/")
    assert "its vote is open" in page.inner_text("main")
    _check(page, axe)

    vote = Vote.objects.get()
    for delegate in conference.delegates[:3]:
        ballot_cast(vote=vote, voter=delegate, ranking=["yes"])
    vote_close(vote=vote)
    page.reload()
    assert "Adopted, awaiting its date" in page.inner_text("main")
    _check(page, axe)

    with clock.frozen(in_force + timedelta(minutes=1)):
        assert amendments_sweep() == 1
    assert current().version == 2

    page.context.clear_cookies()
    page.goto(f"{base}/constitution/")
    main = page.inner_text("main")
    assert "version 2" in main
    assert "Quorum: 10% → 20%" in main
    _check(page, axe)
