"""The places the menu has no room for are found from the member's home page, each only
by those who may open it."""

import re

import pytest
from django.urls import reverse

pytestmark = pytest.mark.django_db


def also_here(client) -> dict[str, int]:
    """Each link of the home page's "Also here" card, with what opening it answers."""
    page = client.get(reverse("members:home")).content.decode()
    card = page.split('id="elsewhere"')[1].split("</section>")[0]
    return {
        label: client.get(url).status_code
        for url, label in re.findall(r'<a href="([^"]+)">([^<]+)</a>', card)
    }


def test_a_member_finds_allies_figures_and_their_plan_and_each_opens(client, org, make_member):
    client.force_login(make_member(unit=org.leeds))
    assert also_here(client) == {
        "Allies: outside organisations": 200,
        "Participation figures": 200,
        "My development plan": 200,
    }


def test_an_officer_also_finds_the_public_actions(client, org, make_officer):
    client.force_login(make_officer(org.leeds))
    assert also_here(client)["Public actions"] == 200
