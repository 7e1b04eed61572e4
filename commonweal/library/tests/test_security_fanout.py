"""A member's upload to a wide body's library tells its officers, not every member."""

import pytest

from commonweal.notifications.models import Event
from commonweal.organisation.models import BodyMembership
from commonweal.organisation.services import body_membership_add

pytestmark = pytest.mark.django_db


def test_an_upload_to_a_wide_body_tells_its_officers_only(library, org, make_member, set_rule):
    set_rule("notifications.member_reach", 3)
    for _ in range(3):
        body_membership_add(
            body=library.body, member=make_member(unit=org.leeds), role=BodyMembership.Role.MEMBER
        )
    library.add()
    event = Event.objects.get(kind="library.document_added")
    assert (event.body_ids, event.member_ids) == ([], [library.chair.pk])


def test_an_officers_upload_tells_the_whole_body(library, org, make_member, set_rule):
    set_rule("notifications.member_reach", 3)
    for _ in range(3):
        body_membership_add(
            body=library.body, member=make_member(unit=org.leeds), role=BodyMembership.Role.MEMBER
        )
    library.add(by=library.chair)
    assert Event.objects.get(kind="library.document_added").body_ids == [library.body.pk]
