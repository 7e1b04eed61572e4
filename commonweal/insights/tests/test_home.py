"""The dashboards' front page offers the units whose figures one may see."""

import pytest
from django.urls import reverse

pytestmark = pytest.mark.django_db


def test_a_member_is_offered_their_branch_and_the_units_above_it_only(org, make_member, client):
    client.force_login(make_member(unit=org.leeds))
    page = client.get(reverse("insights:home")).content.decode()
    for unit in ("Leeds", "North", "Nation"):
        assert unit in page
    for unit in ("York", "Brighton", "South"):
        assert unit not in page


def test_an_officer_is_offered_every_unit_in_their_scope(org, make_officer, client):
    client.force_login(make_officer(org.north))
    page = client.get(reverse("insights:home")).content.decode()
    for unit in ("Leeds", "York", "North"):
        assert unit in page
    assert "Brighton" not in page
