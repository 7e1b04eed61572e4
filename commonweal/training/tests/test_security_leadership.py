"""Leadership training status asked by those who should not reach it: another branch's
officer, a suspended member of the training department, an external invitee, an API token
on the page. The department's page lists every office-holder who is behind, so it is a 404
to all but the department and administrators."""

from datetime import timedelta

import pytest
from django.test import Client
from django.urls import reverse

from commonweal.members import services as members
from commonweal.members.models import Member

from .test_holders import START, at, holders  # noqa: F401 - the fixture

pytestmark = pytest.mark.django_db

NAMES = ("Nell New", "Lars Lapsed")


def refused(client: Client) -> None:
    response = client.get(reverse("training:leadership"))
    assert response.status_code == 404
    assert not any(name.encode() in response.content for name in NAMES)


def test_another_branchs_officer_does_not_see_the_departments_list(
    holders,  # noqa: F811
    client,
    make_officer,
    org,
):
    with at(START + timedelta(days=10)):
        client.force_login(make_officer(org.brighton))
        refused(client)


def test_a_suspended_member_of_the_department_loses_the_list(
    holders,  # noqa: F811
    training,
    client,
    make_officer,
    org,
):
    with at(START + timedelta(days=10)):
        client.force_login(training.author)
        assert client.get(reverse("training:leadership")).status_code == 200
        members.member_suspend(
            member=training.author, officer=make_officer(org.leeds), reason="Investigation"
        )
        client.force_login(Member.objects.get(pk=training.author.pk))
        refused(client)


def test_an_external_invitee_and_an_api_token_do_not_reach_it(
    holders,  # noqa: F811
    training,
    make_member,
):
    with at(START + timedelta(days=10)):
        external = make_member(unit=None, status=Member.Status.EXTERNAL)
        web = Client()
        web.force_login(external)
        refused(web)
        # A token opens the API only: on the page it is a visitor, sent to sign in.
        key = members.api_token_create(member=training.author, name="app", scope="read")[1]
        token = Client(headers={"Authorization": f"Token {key}"})
        response = token.get(reverse("training:leadership"))
        assert response.status_code == 302
        assert "/accounts/login/" in response["Location"]
