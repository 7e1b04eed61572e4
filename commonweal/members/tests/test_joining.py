import pytest
from django.core import mail

from commonweal.core.errors import Conflict, NotPermitted, Refused
from commonweal.members import services
from commonweal.members.models import Member, MembershipApplication
from commonweal.organisation.selectors import assembly_of

pytestmark = pytest.mark.django_db


def apply(org, email="ana@example.org", unit=None):
    return services.member_apply(
        email=email,
        full_name="Ana Costa",
        unit=unit or org.leeds,
        password="correct horse battery",
        statement="Transport!",
    )


def test_applying_creates_an_applicant_waiting_for_the_unit(org):
    application = apply(org)
    assert application.status == MembershipApplication.Status.PENDING
    assert application.applicant.status == Member.Status.APPLICANT
    assert not application.applicant.is_member


def test_a_known_email_makes_nothing_and_tells_nobody_but_its_owner(org):
    apply(org)
    assert apply(org, email="ANA@example.org") is None
    assert Member.objects.count() == 1
    assert MembershipApplication.objects.count() == 1


def test_applying_to_a_region_instead_of_a_branch_is_refused(org):
    with pytest.raises(Refused, match="branch") as refusal:
        apply(org, unit=org.north)
    assert refusal.value.field == "unit"
    assert not Member.objects.exists()


def test_officer_accepts_and_the_applicant_is_told_by_email(org, make_officer, run_worker):
    officer = make_officer(org.leeds)
    application = apply(org)
    services.application_decide(application=application, officer=officer, accept=True)
    run_worker()
    member = Member.objects.get(email="ana@example.org")
    assert member.is_member
    assert assembly_of(org.leeds).memberships.filter(member=member, until=None).exists()
    to_applicant = [m for m in mail.outbox if m.to == ["ana@example.org"]]
    assert len(to_applicant) == 1
    assert "accepted" in to_applicant[0].body


def test_declining_needs_a_reason_which_the_applicant_receives(org, make_officer, run_worker):
    officer = make_officer(org.leeds)
    application = apply(org)
    with pytest.raises(Refused, match="reason"):
        services.application_decide(application=application, officer=officer, accept=False)
    services.application_decide(
        application=application,
        officer=officer,
        accept=False,
        reason="Please apply to the York branch where you live.",
    )
    run_worker()
    to_applicant = [m for m in mail.outbox if m.to == ["ana@example.org"]]
    assert "York branch where you live" in to_applicant[0].body
    assert not Member.objects.get(email="ana@example.org").is_member


def test_officer_of_another_branch_cannot_decide(org, make_officer):
    york_officer = make_officer(org.york)
    application = apply(org)
    with pytest.raises(NotPermitted):
        services.application_decide(application=application, officer=york_officer, accept=True)
    application.refresh_from_db()
    assert application.status == MembershipApplication.Status.PENDING


def test_regional_officer_may_decide_for_a_branch_below(org, make_officer, make_member):
    regional = make_officer(org.north, unit=org.york)
    application = apply(org)
    services.application_decide(application=application, officer=regional, accept=True)
    assert Member.objects.get(email="ana@example.org").is_member


def test_an_application_is_decided_once(org, make_officer):
    officer = make_officer(org.leeds)
    application = apply(org)
    services.application_decide(application=application, officer=officer, accept=True)
    with pytest.raises(Conflict):
        services.application_decide(
            application=application, officer=officer, accept=False, reason="changed my mind"
        )
