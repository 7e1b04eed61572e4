"""The demo shows the area: the campaign from the policy example linked to the proposal it
prompted and the consultation it took part in, a union, and a statement in two languages."""

import io

import pytest
from django.core.management import call_command
from django.test import Client

from commonweal.alliances.models import JointStatement, OutsideOrganisation

pytestmark = pytest.mark.django_db


def test_the_demo_has_the_campaign_linked_to_the_policy_example_and_a_statement_abroad():
    call_command("load_demo", members=200, stdout=io.StringIO())
    campaign = OutsideOrganisation.objects.get(name="Leeds Bus Users' Campaign")
    links = campaign.policy_links.all()
    assert {link.proposal.title for link in links if link.proposal_id} == {
        "Free, frequent buses for every town"
    }
    assert [link.contribution.circulation.unit.name for link in links if link.contribution_id] == [
        "Leeds"
    ]
    assert OutsideOrganisation.objects.filter(kind="union").exists()
    statement = JointStatement.objects.get(status="published")
    assert statement.relationship.organisation.country == "ES"
    page = Client().get(statement.get_public_url()).content.decode()
    assert 'lang="es"' in page
    assert "El transporte público es un derecho" in page
