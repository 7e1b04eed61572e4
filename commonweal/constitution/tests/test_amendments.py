"""An amendment to the constitution drafted, compared, put to the conference, decided by its
vote and brought into force by the platform's clock on the date stated."""

from datetime import UTC, datetime, timedelta

import pytest

from commonweal.constitution import selectors, services
from commonweal.core import clock
from commonweal.core.errors import Conflict, NotPermitted, Refused
from commonweal.decisions.models import Decision
from commonweal.notifications.models import Event, Notification
from commonweal.record.models import Entry
from commonweal.rulebook.models import RulebookVersion
from commonweal.rulebook.selectors import current
from commonweal.voting.models import Vote
from commonweal.voting.services import ballot_cast, votes_sweep

pytestmark = pytest.mark.django_db

T0 = datetime(2027, 3, 1, 10, 0, tzinfo=UTC)
CLOSES = T0 + timedelta(days=15)
IN_FORCE = T0 + timedelta(days=30)


def _submitted(conference, amended_rules, **changes):
    ana = conference.delegates[0]
    with clock.frozen(T0):
        version = services.amendment_draft(
            rules=amended_rules(**changes), note="Stronger quorum.", drafted_by=ana
        )
        vote = services.amendment_submit(
            version=version,
            closes_at=CLOSES,
            comes_into_force_at=IN_FORCE,
            submitted_by=ana,
        )
    return version, vote


def _ballots(vote, delegates, choices):
    with clock.frozen(T0 + timedelta(days=1)):
        for member, choice in zip(delegates, choices, strict=False):
            ballot_cast(vote=vote, voter=member, ranking=[choice])


def _close():
    with clock.frozen(CLOSES + timedelta(minutes=1)):
        assert votes_sweep()["closed"] == 1


def _kinds(version):
    return list(
        Entry.objects.filter(subject=f"rulebook.rulebookversion:{version.pk}")
        .order_by("pk")
        .values_list("kind", flat=True)
    )


def test_the_diff_names_each_changed_rule_in_words(conference, amended_rules):
    version = services.amendment_draft(
        rules=amended_rules(), note="", drafted_by=conference.delegates[0]
    )
    compared, changes = selectors.changes(version)
    assert compared.number == 1
    assert [(c.label, c.before, c.after) for c in changes] == [
        ("Quorum", "10%", "20%"),
        ("Term of office", "24 months", "36 months"),
    ]
    assert version.status == RulebookVersion.Status.STAGED
    assert version.based_on == 1
    assert current().version == 1
    drafted = Event.objects.get(kind="constitution.drafted")
    assert drafted.body_ids == [conference.pk]


def test_a_carried_amendment_comes_into_force_on_its_date_and_everyone_is_told(
    conference, amended_rules, make_member, org, run_worker
):
    outsider = make_member(unit=org.brighton, full_name="Not A Delegate")
    version, vote = _submitted(conference, amended_rules)
    assert vote.body == conference
    assert vote.majority == "two_thirds"
    assert vote.is_open
    _ballots(vote, conference.delegates, ["yes", "yes", "yes", "no"])
    _close()

    version.refresh_from_db()
    assert version.status == RulebookVersion.Status.ADOPTED
    decision = Decision.objects.get(kind=Decision.Kind.RULEBOOK)
    assert version.adopted_by == decision
    assert decision.vote_id == vote.pk
    assert current().version == 1, "adopted, but not before its date"

    with clock.frozen(IN_FORCE - timedelta(minutes=1)):
        assert services.amendments_sweep() == 0
    with clock.frozen(IN_FORCE):
        assert services.amendments_sweep() == 1
        assert services.amendments_sweep() == 0
    assert current().version == version.number
    assert current()["meetings.quorum"] == 0.2
    version.refresh_from_db()
    assert version.status == RulebookVersion.Status.IN_FORCE
    assert version.in_force_from == IN_FORCE
    assert RulebookVersion.objects.get(number=1).status == RulebookVersion.Status.SUPERSEDED
    assert _kinds(version) == [
        "rulebook.staged",
        "rulebook.submitted",
        "rulebook.adopted",
        "rulebook.in_force",
    ]

    run_worker()
    told = set(
        Notification.objects.filter(recipient=outsider).values_list("event__kind", flat=True)
    )
    assert {"constitution.adopted", "constitution.in_force"} <= told


def test_a_lost_amendment_stays_staged_and_rejected(conference, amended_rules):
    version, vote = _submitted(conference, amended_rules)
    # Two of four is not the two-thirds majority the rulebook requires.
    _ballots(vote, conference.delegates, ["yes", "yes", "no", "no"])
    _close()
    version.refresh_from_db()
    assert version.status == RulebookVersion.Status.REJECTED
    assert version.adopted_by is None
    assert current().version == 1
    rejected = Entry.objects.get(kind="rulebook.rejected")
    assert rejected.payload["outcome"] == "not_carried"
    assert rejected.payload["vote"] == vote.pk
    with clock.frozen(IN_FORCE):
        assert services.amendments_sweep() == 0
    assert current().version == 1
    assert not Decision.objects.filter(kind=Decision.Kind.RULEBOOK).exists()


def test_an_amendment_without_a_quorum_is_rejected_even_if_all_who_voted_said_yes(
    conference, amended_rules, set_rule
):
    set_rule("meetings.quorum", 0.75)
    version, vote = _submitted(conference, amended_rules)
    _ballots(vote, conference.delegates, ["yes", "yes"])
    _close()
    vote.refresh_from_db()
    assert vote.result["effective"] is False
    version.refresh_from_db()
    assert version.status == RulebookVersion.Status.REJECTED
    assert Entry.objects.get(kind="rulebook.rejected").payload["outcome"] == "quorum_not_reached"
    with clock.frozen(IN_FORCE):
        services.amendments_sweep()
    assert current().version == 1


def test_the_vote_must_last_as_the_rulebook_says_and_end_before_the_date(conference, amended_rules):
    ana = conference.delegates[0]
    with clock.frozen(T0):
        version = services.amendment_draft(rules=amended_rules(), note="", drafted_by=ana)
        with pytest.raises(Refused) as short:
            services.amendment_submit(
                version=version,
                closes_at=T0 + timedelta(days=13),
                comes_into_force_at=IN_FORCE,
                submitted_by=ana,
            )
        assert short.value.field == "closes_at"
        with pytest.raises(Refused) as early:
            services.amendment_submit(
                version=version,
                closes_at=CLOSES,
                comes_into_force_at=CLOSES - timedelta(days=1),
                submitted_by=ana,
            )
        assert early.value.field == "comes_into_force_at"
    assert not Vote.objects.exists()


def test_one_amendment_at_a_time_and_only_against_the_version_in_force(conference, amended_rules):
    ana = conference.delegates[0]
    with clock.frozen(T0):
        second = services.amendment_draft(
            rules=amended_rules(offices__term_months=12), note="", drafted_by=ana
        )
    first, vote = _submitted(conference, amended_rules)
    with clock.frozen(T0), pytest.raises(Conflict, match="already before the body"):
        services.amendment_submit(
            version=second, closes_at=CLOSES, comes_into_force_at=IN_FORCE, submitted_by=ana
        )
    _ballots(vote, conference.delegates, ["yes", "yes", "yes"])
    _close()
    with clock.frozen(IN_FORCE):
        services.amendments_sweep()
    later = IN_FORCE + timedelta(days=1)
    with clock.frozen(IN_FORCE), pytest.raises(Conflict, match="Draft the amendment again"):
        services.amendment_submit(
            version=second,
            closes_at=later + timedelta(days=15),
            comes_into_force_at=later + timedelta(days=30),
            submitted_by=ana,
        )
    assert current().version == first.number


def test_a_draft_that_changes_nothing_is_refused(conference):
    from commonweal.rulebook.schema import RULES

    rules = {"title": "Same"} | {
        s: {n: current()[f"{s}.{n}"] for n in fields} for s, fields in RULES.items()
    }
    with pytest.raises(Refused, match="changes no rule"):
        services.amendment_draft(rules=rules, note="", drafted_by=conference.delegates[0])
    assert RulebookVersion.objects.count() == 1


@pytest.mark.parametrize("who", ["outsider", "branch_officer", "national_officer", "suspended"])
def test_only_members_of_the_conference_in_good_standing_may_amend(
    who, conference, amended_rules, make_member, make_officer, org
):
    from commonweal.members.models import Member

    if who == "outsider":
        member = make_member(unit=org.leeds)
    elif who == "branch_officer":
        member = make_officer(org.brighton)
    elif who == "national_officer":
        member = make_officer(body=org.leadership, unit=org.leeds)
    else:
        member = conference.delegates[1]
        Member.objects.filter(pk=member.pk).update(status=Member.Status.SUSPENDED)
        member.refresh_from_db()
    with pytest.raises(NotPermitted, match="National Conference"):
        services.amendment_draft(rules=amended_rules(), note="", drafted_by=member)
    version = services.amendment_draft(
        rules=amended_rules(), note="", drafted_by=conference.delegates[0]
    )
    with clock.frozen(T0), pytest.raises(NotPermitted):
        services.amendment_submit(
            version=version, closes_at=CLOSES, comes_into_force_at=IN_FORCE, submitted_by=member
        )
    assert RulebookVersion.objects.count() == 2
    assert not Vote.objects.exists()


def test_the_rulebook_names_the_body(conference, amended_rules, org, make_member, set_rule):
    """With the leadership named instead, the conference's delegates may no longer amend."""
    set_rule("constitution.amended_by", "leadership")
    assert selectors.competent_body() == org.leadership
    with pytest.raises(NotPermitted, match="National Committee"):
        services.amendment_draft(rules=amended_rules(), note="", drafted_by=conference.delegates[0])


def test_without_the_body_the_rulebook_names_a_superuser_is_told_so(
    amended_rules, org, make_member
):
    admin = make_member(unit=org.nation)
    admin.is_superuser = True
    admin.save(update_fields=["is_superuser"])
    with pytest.raises(Conflict, match="does not exist yet"):
        services.amendment_draft(rules=amended_rules(), note="", drafted_by=admin)
    assert RulebookVersion.objects.count() == 1


def test_the_motion_goes_on_the_agenda_of_a_meeting_of_the_conference(
    conference, amended_rules, make_officer, org
):
    from commonweal.meetings.models import AgendaItem
    from commonweal.meetings.services import meeting_schedule

    chair = make_officer(body=conference, unit=org.york)
    ana = conference.delegates[0]
    with clock.frozen(T0):
        meeting = meeting_schedule(
            body=conference,
            kind="online",
            title="Conference 2027",
            opens_at=T0 + timedelta(days=10),
            closes_at=T0 + timedelta(days=16),
            scheduled_by=chair,
            video_url="https://meet.example.org/conference",
        )
        version = services.amendment_draft(rules=amended_rules(), note="", drafted_by=ana)
        vote = services.amendment_submit(
            version=version,
            closes_at=CLOSES,
            comes_into_force_at=IN_FORCE,
            submitted_by=ana,
            meeting=meeting,
        )
    item = AgendaItem.objects.get(meeting=meeting)
    assert item.kind == "motion"
    assert item.vote_id == vote.pk
    assert vote.meeting_id == meeting.pk
    assert "two-thirds majority" in item.text
    assert "- Quorum: 10% → 20%" in item.text
    assert "- Term of office: 24 months → 36 months" in item.text
