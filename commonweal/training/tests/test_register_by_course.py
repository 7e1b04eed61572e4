"""The capacities register searched by completed course: "who in the North can translate
Spanish and has done the facilitation course?" (training's `members.register` filter)."""

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from commonweal.members import selectors

from .conftest import complete, short_course

pytestmark = pytest.mark.django_db


@pytest.fixture
def facilitation(training, org):
    return short_course(training, org.nation, "Facilitation")


def names(page) -> set[str]:
    return {m.full_name for m in page.members}


def test_the_register_finds_by_unit_subtree_skill_and_completed_course(
    training, facilitation, org, make_member, make_officer
):
    officer = make_officer(org.north)
    spanish = {"skills": ["Translation (Spanish)"]}
    leeds = make_member(unit=org.leeds, full_name="Leeds trained", **spanish)
    york = make_member(unit=org.york, full_name="York trained", **spanish)
    make_member(unit=org.york, full_name="York untrained", **spanish)
    french = make_member(unit=org.leeds, full_name="Leeds French", skills=["French translation"])
    brighton = make_member(unit=org.brighton, full_name="Brighton trained", **spanish)
    for member in (leeds, york, french, brighton):
        complete(facilitation, member)
    # Another course completed does not count.
    other = short_course(training, org.nation, "Minute-taking")
    complete(other, make_member(unit=org.leeds, full_name="Leeds other course", **spanish))

    chosen = {"course": facilitation.slug}
    found = selectors.register_search(
        officer, unit=org.north, words="translat spanish", chosen=chosen
    )
    assert names(found) == {"Leeds trained", "York trained"}
    assert names(
        selectors.register_search(officer, unit=org.york, words="spanish", chosen=chosen)
    ) == {"York trained"}
    assert names(selectors.register_search(officer, unit=org.north, chosen=chosen)) == {
        "Leeds trained",
        "York trained",
        "Leeds French",
    }
    # A course nobody has (or no course of that name) finds nobody, not everybody.
    assert not selectors.register_search(officer, unit=org.north, chosen={"course": "nope"}).members


def test_the_register_page_offers_the_course_and_its_query_count_stays_flat(
    training, facilitation, org, make_member, make_officer, client, django_assert_max_num_queries
):
    officer = make_officer(org.north)
    client.force_login(officer)
    url = reverse("members:register")
    query = {"unit": org.north.pk, "words": "spanish", "course": facilitation.slug}
    complete(facilitation, make_member(unit=org.leeds, skills=["spanish"]))
    page = client.get(url, query).content.decode()
    assert f'<option value="{facilitation.slug}" selected>Facilitation</option>' in page
    with CaptureQueriesContext(connection) as few:
        assert client.get(url, query).status_code == 200
    for n in range(60):
        member = make_member(unit=org.york if n % 2 else org.leeds, skills=["spanish", f"s{n}"])
        if n % 3:
            complete(facilitation, member)
    with django_assert_max_num_queries(len(few.captured_queries)):
        page = client.get(url, query)
    assert page.content.decode().count('class="card"') == selectors.REGISTER_PAGE
