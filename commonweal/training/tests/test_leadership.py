"""The rulebook's courses for offices: a candidacy refused without them, on every way in."""

from datetime import timedelta

import pytest
from django.test import Client

from commonweal.core import clock
from commonweal.core.errors import Refused
from commonweal.meetings import services as meetings
from commonweal.meetings.models import Election, Nomination
from commonweal.meetings.tests.conftest import chair, econference, now  # noqa: F401
from commonweal.members.services import api_token_create
from commonweal.organisation.models import Mandate
from commonweal.organisation.services import mandate_appoint

from .conftest import complete, short_course

pytestmark = pytest.mark.django_db


@pytest.fixture
def chairing(training, org):
    """A one-module chairing course the rulebook requires before standing for a chair."""
    return short_course(training, org.nation, "Chairing")


@pytest.fixture
def required(set_rule, chairing):
    set_rule("training.before_standing", {"chair": [chairing.slug]})
    return chairing


@pytest.fixture
def chair_election(econference, chair):  # noqa: F811
    meetings.attendance_register(meeting=econference, member=chair)
    return meetings.agenda_item_add(
        meeting=econference, kind="election", title="Election of the chair", added_by=chair
    )


def test_a_candidacy_for_chair_without_the_chairing_course_is_refused(
    training,
    required,
    chair_election,
    chair,  # noqa: F811
    now,  # noqa: F811
):
    learner = training.learner
    with pytest.raises(Refused, match="must first complete the course “Chairing”") as refusal:
        meetings.candidate_nominate(item=chair_election, candidate=learner, nominated_by=chair)
    assert learner.display_name in refusal.value.message
    assert not Nomination.objects.exists()

    complete(required, learner)
    meetings.candidate_nominate(item=chair_election, candidate=learner, nominated_by=chair)
    assert Nomination.objects.filter(candidate=learner).exists()


def test_the_nomination_page_refuses_with_the_courses_name(
    training,
    required,
    chair_election,
    chair,  # noqa: F811
    now,  # noqa: F811
    client,
):
    client.force_login(chair)
    response = client.post(
        f"/meetings/items/{chair_election.pk}/nominate/",
        {"email": training.learner.email},
        follow=True,
    )
    assert "must first complete the course “Chairing”" in response.content.decode()
    assert not Nomination.objects.exists()


def test_opening_an_election_for_a_chair_asks_every_candidate_again(
    training,
    chairing,
    set_rule,
    econference,  # noqa: F811
    chair,  # noqa: F811
    now,  # noqa: F811
    make_member,
    org,
):
    """Nominated under a general title, the office named at the opening still counts."""
    meetings.attendance_register(meeting=econference, member=chair)
    item = meetings.agenda_item_add(
        meeting=econference, kind="election", title="Officers", added_by=chair
    )
    trained, untrained = training.learner, training.neighbour
    complete(chairing, trained)
    for member in (trained, untrained):
        meetings.candidate_nominate(item=item, candidate=member, nominated_by=chair)
    set_rule("training.before_standing", {"chair": [chairing.slug]})
    with pytest.raises(Refused, match=untrained.display_name) as refusal:
        meetings.election_open(
            item=item, chair=chair, office="Chair", seats=1, closes_at=econference.closes_at
        )
    assert trained.display_name not in refusal.value.message
    assert not Election.objects.exists()


def test_a_completion_older_than_the_retraining_interval_no_longer_counts(
    training,
    required,
    chair_election,
    chair,  # noqa: F811
    now,  # noqa: F811
    set_rule,
):
    set_rule("training.retraining_days", 365)
    with clock.frozen(now - timedelta(days=400)):
        complete(required, training.learner)
    with pytest.raises(Refused, match="Chairing"):
        meetings.candidate_nominate(
            item=chair_election, candidate=training.learner, nominated_by=chair
        )
    set_rule("training.retraining_days", 0)  # a completion that never lapses
    meetings.candidate_nominate(item=chair_election, candidate=training.learner, nominated_by=chair)


def test_an_appointment_outside_an_election_is_refused_too_over_the_api(
    training, required, org, make_officer
):
    from commonweal.organisation.selectors import assembly_of

    national = make_officer(body=org.leadership, unit=org.leeds)
    body = assembly_of(org.leeds)
    key = api_token_create(member=national, name="script", scope="write")[1]
    api = Client(headers={"Authorization": f"Token {key}"}, REMOTE_ADDR="192.0.2.1")
    answer = api.post(
        f"/api/organisation/bodies/{body.slug}/mandates",
        {
            "member_id": training.learner.pk,
            "office": "Chair",
            "granted_as": "interim",
            "reason": "Vacant",
        },
        content_type="application/json",
    )
    assert answer.status_code == 400
    assert "“Chairing”" in answer.json()["detail"]
    assert answer.json()["field"] == "holder"
    assert not Mandate.objects.exists()
    # Another office asks nothing of the course.
    treasurer = mandate_appoint(
        body=body,
        holder=training.learner,
        office="Treasurer",
        granted_as="interim",
        reason="Vacant",
        appointed_by=national,
    )
    assert treasurer.office == "Treasurer"
