"""The meeting pages as a member sees them."""

from datetime import timedelta

import pytest
from django.urls import reverse

from commonweal.meetings import services

pytestmark = pytest.mark.django_db


def signed_in(client, member):
    client.force_login(member)
    return client


def test_the_meetings_list_shows_meetings_in_constant_queries(
    client, org, chair, now, make_member, django_assert_max_num_queries
):
    viewer = signed_in(client, make_member(unit=org.leeds))

    def add(n):
        for i in range(n):
            services.econference_call(
                body=org.leadership,
                title=f"E-conference {i}",
                opens_at=now + timedelta(days=i),
                closes_at=now + timedelta(days=i + 1),
                called_by=chair,
            )

    add(2)
    with django_assert_max_num_queries(12) as few:
        response = viewer.get(reverse("meetings:list"))
    assert response.status_code == 200
    add(20)
    with django_assert_max_num_queries(len(few.captured_queries)):
        response = viewer.get(reverse("meetings:list"))
    assert "E-conference 19" in response.content.decode()


def test_the_econference_page_shows_the_video_link_agenda_and_quorum(
    client, org, chair, econference, make_member
):
    services.agenda_item_add(
        meeting=econference, kind="policy_approval", title="Transport policy", added_by=chair
    )
    page = signed_in(client, make_member(unit=org.leeds)).get(
        reverse("meetings:detail", args=[econference.pk])
    )
    html = page.content.decode()
    assert page.status_code == 200
    assert 'href="https://meet.jit.si/spring-econference"' in html
    assert "Transport policy" in html
    assert "No quorum" in html


def test_the_meeting_pages_need_signing_in(client, econference):
    response = client.get(reverse("meetings:detail", args=[econference.pk]))
    assert response.status_code == 302
    assert "/accounts/login/" in response["Location"]


def test_an_unknown_meeting_is_not_found(client, org, make_member, now):
    response = signed_in(client, make_member(unit=org.leeds)).get(
        reverse("meetings:detail", args=[999])
    )
    assert response.status_code == 404
