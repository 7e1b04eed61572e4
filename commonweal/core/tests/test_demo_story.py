"""The demo tells the story: the printed logins hold the roles they are printed with, office
dates agree with the mandates, and the transport example can be taken to publication by
hand with the printed logins alone."""

import io
from datetime import timedelta

import pytest
from django.core.management import call_command

from commonweal.core import clock
from commonweal.members.management.commands.demo_logins import DEMO_ROLES
from commonweal.members.models import Member
from commonweal.organisation.models import BodyMembership, Mandate
from commonweal.organisation.selectors import holds_any_office
from commonweal.policy import services as policy
from commonweal.policy.models import Proposal
from commonweal.voting.models import Vote
from commonweal.voting.selectors import may_vote
from commonweal.voting.services import ballot_cast, vote_close

pytestmark = pytest.mark.django_db


@pytest.fixture
def demo():
    out = io.StringIO()
    call_command("load_demo", members=200, stdout=out)
    printed = io.StringIO()
    call_command("demo_logins", stdout=printed)
    return printed.getvalue()


def login(email: str) -> Member:
    return Member.objects.get(email=email)


def test_the_printed_plain_member_holds_no_office_and_the_officers_do(demo):
    assert "member@commonweal.demo" in demo
    assert not holds_any_office(login("member@commonweal.demo"))
    for email in ("admin@", "transport.chair@", "leeds.secretary@"):
        assert holds_any_office(login(email + "commonweal.demo")), email


def test_no_office_is_held_before_its_mandate_starts_or_before_its_holder_joined(demo):
    mandates = list(Mandate.objects.select_related("holder", "body"))
    assert len(mandates) > 30
    for mandate in mandates:
        assert mandate.holder.joined_at.date() <= mandate.starts_on, mandate
    seats = BodyMembership.objects.filter(until=None).exclude(role=BodyMembership.Role.MEMBER)
    assert seats.count() > 30
    for seat in seats.select_related("member", "body"):
        first = min(m.starts_on for m in mandates if (m.body, m.holder) == (seat.body, seat.member))
        assert seat.role_from >= first, (seat, seat.role_from, first)
    # The Leeds secretary belonged to the assembly long before the office: the membership
    # keeps its date, the role its mandate's.
    secretary = login("leeds.secretary@commonweal.demo")
    seat = BodyMembership.objects.get(member=secretary, body__kind="assembly", until=None)
    mandate = Mandate.objects.get(holder=secretary, office="Secretary")
    assert seat.since < mandate.starts_on == seat.role_from


def test_the_transport_example_goes_to_publication_by_hand_with_the_printed_logins(demo):
    chair = login("transport.chair@commonweal.demo")
    proposal = Proposal.objects.get(title="Free, frequent buses for every town")
    assert proposal.stage == "circulation"
    policy.drafting_start(proposal=proposal, by=chair, reason="The branches have reported.")
    policy.draft_save(
        proposal=proposal,
        by=chair,
        paragraphs=[{"text": "Bus networks return to public ownership.", "cites": []}],
        note="From the branches' views",
    )
    policy.consultation_open(proposal=proposal, by=chair)
    policy.final_draft(proposal=proposal, by=chair, reason="Nobody has more to say.")
    approval = policy.approval_call(
        proposal=proposal,
        by=chair,
        closes_at=clock.now() + timedelta(hours=1),
        reason="The conference meets tonight.",
    )
    vote = Vote.objects.get(pk=approval.vote_id)
    logins = [login(email) for email, _role in DEMO_ROLES if email != "applicant@commonweal.demo"]
    assert all(may_vote(member, vote) for member in logins)
    for member in logins[:3]:
        ballot_cast(vote=vote, voter=member, ranking=["yes"])
    with clock.frozen(vote.closes_at + timedelta(minutes=1)):
        vote = vote_close(vote=Vote.objects.get(pk=vote.pk))
    assert vote.effective, vote.result
    proposal.refresh_from_db()
    assert proposal.stage == "published"


def test_the_demo_has_courses_under_way(demo):
    from commonweal.training.models import Course, Enrolment, Reflection

    slugs = set(Course.objects.values_list("slug", flat=True))
    assert {"materialist-dialectics", "chairing", "reading-group-engels"} <= slugs
    dialectics = Course.objects.get(slug="materialist-dialectics")
    assert dialectics.current_version.modules.count() == 5
    places = set(
        Enrolment.objects.filter(course=dialectics, cohort__isnull=False).values_list(
            "modules_done", flat=True
        )
    )
    assert len(places) >= 3  # learners at different modules
    assert Enrolment.objects.filter(status=Enrolment.Status.COMPLETED).exists()
    member = Member.objects.get(email="member@commonweal.demo")
    assert Reflection.objects.filter(enrolment__member=member).exclude(feedback="").exists()
