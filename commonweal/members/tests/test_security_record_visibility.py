"""Trust II, finding 9 (part): /record/ named every suspended, reinstated and erased member
to every member. Entries about a member (or an application) name them only to those who may
see that member's standing; everyone else sees the entry and its hash, not whom it is about.
"""

import pytest
from django.urls import reverse

from commonweal.members import services
from commonweal.members.models import MembershipApplication
from commonweal.record.describe import subject_in_words
from commonweal.record.models import Entry
from commonweal.record.services import record_seal, subject_of

pytestmark = pytest.mark.django_db


@pytest.fixture
def suspended(org, make_member, make_officer):
    """A Leeds member suspended by a Leeds officer, and someone applying to join Leeds."""
    member = make_member(unit=org.leeds)
    services.member_suspend(member=member, officer=make_officer(org.leeds), reason="Spam")
    application = services.member_apply(
        email="applicant@example.org",
        full_name="An Applicant",
        unit=org.leeds,
        password="a-long-test-password-42",
    )
    record_seal()
    entries = [
        Entry.objects.get(kind="member.suspended", subject=subject_of(member)),
        Entry.objects.get(kind="member.applied", subject=subject_of(application)),
    ]
    return entries


def _record_page(client, reader) -> str:
    client.force_login(reader)
    response = client.get(reverse("record:verify"))
    assert response.status_code == 200
    return response.content.decode()


def shown(entry) -> str:
    """How the page names an entry's subject, as a whole table cell."""
    return f'<td data-label="Subject">{subject_in_words(entry.subject)}</td>'


@pytest.mark.parametrize("who", ["a member of the same branch", "another branch's officer"])
def test_others_see_that_the_entry_exists_but_not_whom_it_concerns(
    client, org, make_member, make_officer, suspended, who
):
    reader = (
        make_member(unit=org.leeds)
        if who == "a member of the same branch"
        else make_officer(org.york)
    )
    page = _record_page(client, reader)
    for entry in suspended:
        assert shown(entry) not in page
        assert entry.hash[:12] in page
    assert page.count("a member (withheld)") == len(suspended)


@pytest.mark.parametrize("unit", ["leeds", "north", "nation"])
def test_the_branchs_officers_and_those_above_see_whom_it_concerns(
    client, org, make_officer, suspended, unit
):
    page = _record_page(client, make_officer(getattr(org, unit)))
    for entry in suspended:
        assert shown(entry) in page


def test_the_applicant_sees_their_own_application(client, suspended):
    applicant = MembershipApplication.objects.get().applicant
    applicant.status = applicant.Status.MEMBER
    applicant.save(update_fields=["status"])
    page = _record_page(client, applicant)
    suspension, application = suspended
    assert shown(application) in page
    assert shown(suspension) not in page
