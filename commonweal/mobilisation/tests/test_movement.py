"""The public movement page: totals by region, the membership's growth, no names."""

from django.core.cache import cache
from django.urls import reverse

from commonweal.mobilisation.models import Signup
from commonweal.mobilisation.services import signup_confirm, signup_sign, signup_token


def test_the_movement_page_adds_up_answers_by_region_without_names(
    petition, started, client, django_assert_max_num_queries
):
    signup_sign(
        action=petition,
        name="Ada Walker",
        email="ada@example.org",
        postcode="LS6 3AB",
        ip="203.0.113.5",
        started=started,
        purposes=[],
    )
    signup_confirm(token=signup_token(Signup.objects.get()))
    cache.clear()
    page = client.get(reverse("movement:page"))
    text = page.content.decode()
    assert page.status_code == 200
    assert '<th scope="row">North</th><td>1</td>' in text
    assert "Ada Walker" not in text
    assert "ada@example.org" not in text
    assert 'role="img"' in text
    with django_assert_max_num_queries(2):
        assert client.get(reverse("movement:page")).status_code == 200
