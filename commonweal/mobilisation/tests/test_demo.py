"""The demo shows the area: a petition backing the bus campaign in the drivers' strike with
confirmed signatures across the North's branches, a demonstration with stewards, a pledge."""

import io

import pytest
from django.core.management import call_command
from django.test import Client

from commonweal.mobilisation import selectors
from commonweal.mobilisation.models import ActionPage

pytestmark = pytest.mark.django_db


def test_the_demo_has_a_petition_across_branches_a_demonstration_with_stewards_and_a_pledge():
    call_command("load_demo", members=200, stdout=io.StringIO())
    petition = ActionPage.objects.get(kind="petition")
    assert petition.struggle.title == "Leeds bus drivers' strike"
    assert petition.confirmed_count == selectors.recount(petition) == 50
    branches = {row["unit"] for row in selectors.signups_by_unit(petition)}
    assert {"Leeds", "York", "Sheffield", "Newcastle"} <= branches
    march = ActionPage.objects.get(kind="demonstration")
    steward = march.shifts.get(role="Steward")
    assert selectors.shift_taken(steward) == 3
    assert ActionPage.objects.filter(kind="pledge", status="open").exists()
    page = Client().get(petition.get_public_url()).content.decode()
    assert "Back the drivers, save our buses" in page
    assert 'property="og:title"' in page
    assert "<strong>50</strong>" in page
