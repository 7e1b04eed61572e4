"""Names and titles hold one line: line breaks and control characters become one space."""

import pytest

from commonweal.core.markdown import clean_plain
from commonweal.members import services
from commonweal.notifications.services import notify
from commonweal.organisation.models import Unit
from commonweal.organisation.services import unit_create

pytestmark = pytest.mark.django_db


@pytest.mark.parametrize(
    ("typed", "stored"),
    [
        ("Ann\r\nBcc: x@example.org", "Ann Bcc: x@example.org"),
        ("Ann \n Smith", "Ann Smith"),
        ("Ann\tSmith\u2028Jr\x85", "Ann Smith Jr"),
        ("&#13;&#10;Subject: hi", "Subject: hi"),
    ],
)
def test_a_one_line_text_keeps_no_line_break_or_control_character(typed, stored):
    assert clean_plain(typed) == stored


def test_a_members_name_typed_with_a_line_break_is_stored_on_one_line(make_member):
    member = services.profile_update(member=make_member(), full_name="Ann\r\nBcc: x@example.org")

    member.refresh_from_db()
    assert member.full_name == "Ann Bcc: x@example.org"


def test_a_units_name_and_an_events_title_are_stored_on_one_line(org):
    unit = unit_create(name="Leeds\nCentral", kind=Unit.Kind.BRANCH, parent=org.north)
    event = notify(kind="vote.opened", title="Vote\r\non buses", units=[])

    assert Unit.objects.get(pk=unit.pk).name == "Leeds Central"
    assert event.title == "Vote on buses"
