"""Importing members: only the officers over the unit, and only the uploader of a list."""

from datetime import timedelta

import pytest

from commonweal.core import clock
from commonweal.core.errors import NotPermitted
from commonweal.members.models import MemberImport
from commonweal.members.services import imports, member_suspend
from commonweal.organisation.models import BodyMembership
from commonweal.record.models import Entry

pytestmark = pytest.mark.django_db

LIST = b"Name,Email\nAda Lovelace,ada@example.org\n"


def _upload(officer, unit):
    return imports.member_import_upload(actor=officer, unit=unit, name="m.csv", data=LIST)


def test_security_only_officers_over_the_unit_may_import(org, make_officer, make_member):
    """Another branch's officer, a plain member, a suspended officer and an officer whose
    term has ended are refused, and nothing is written."""
    other_branch = make_officer(org.brighton)
    plain = make_member(unit=org.leeds)
    leeds = make_officer(org.leeds)
    suspended = make_officer(org.leeds)
    member_suspend(member=suspended, officer=leeds, reason="Abusive posts")
    suspended.refresh_from_db()
    ended = make_officer(org.leeds)
    BodyMembership.objects.filter(member=ended).update(
        role_until=clock.now().date() - timedelta(days=1)
    )
    for attacker in (other_branch, plain, suspended, ended):
        with pytest.raises(NotPermitted):
            _upload(attacker, org.leeds)
    # A branch officer imports into their branch, not into the region above it.
    with pytest.raises(NotPermitted):
        _upload(leeds, org.north)
    assert not MemberImport.objects.exists()

    # Nor may anyone but its uploader act on an upload, even an officer of the same unit.
    member_import = _upload(leeds, org.leeds)
    colleague = make_officer(org.leeds)
    for step in (imports.member_import_confirm, imports.member_import_check):
        with pytest.raises(NotPermitted):
            step(actor=colleague, member_import=member_import)
    member_import.refresh_from_db()
    assert member_import.status == MemberImport.Status.PREVIEW
    assert not Entry.objects.filter(kind__startswith="members.import").exists()
