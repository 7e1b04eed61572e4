"""Names and titles are stored as the characters the member typed, with no markup in them."""

import pytest
from django.urls import reverse

from commonweal.core.markdown import clean_plain
from commonweal.members import services

pytestmark = pytest.mark.django_db


@pytest.mark.parametrize(
    ("typed", "stored"),
    [
        ("Rail & Bus Campaign", "Rail & Bus Campaign"),
        ("fares < wages", "fares < wages"),
        ("Fish &amp; chips", "Fish & chips"),
        ("<b onclick=alert(1)>Bold</b> name", "Bold name"),
        ("&lt;script&gt;alert(1)&lt;/script&gt;Sam", "Sam"),
        ("&amp;lt;img src=x onerror=alert(1)&amp;gt;Jo", "Jo"),
    ],
)
def test_plain_text_keeps_characters_and_drops_markup_even_when_escaped(typed, stored):
    assert clean_plain(typed) == stored


def test_an_ampersand_in_a_name_is_shown_once_escaped_not_twice(client, make_member):
    member = make_member()
    services.profile_update(member=member, full_name="Ann & Bo Smith")
    client.force_login(member)

    page = client.get(reverse("members:home")).content.decode()

    assert "Ann &amp; Bo Smith" in page
    assert "&amp;amp;" not in page
