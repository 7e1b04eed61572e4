import pytest

from commonweal.core.errors import Conflict, NotPermitted, Refused
from commonweal.discussion import selectors, services
from commonweal.discussion.models import TendencyPosition
from commonweal.notifications.models import Event
from commonweal.record.models import Entry

pytestmark = pytest.mark.django_db


@pytest.fixture
def tendency(make_member, set_rule, org):
    set_rule("tendencies.recognition_minimum", 3)
    return services.tendency_form(
        name="Green Left",
        platform="Transport **for people**.",
        founded_by=make_member(unit=org.leeds),
    )


def test_recognised_at_the_rulebook_minimum(tendency, make_member):
    assert tendency.member_count == 1
    assert not selectors.is_recognised(tendency)
    services.tendency_join(tendency=tendency, member=make_member())
    tendency.refresh_from_db()
    assert not selectors.is_recognised(tendency)
    services.tendency_join(tendency=tendency, member=make_member())
    tendency.refresh_from_db()
    assert selectors.is_recognised(tendency)
    assert Event.objects.filter(kind="discussion.tendency_recognised").count() == 1


def test_joining_twice_is_refused_and_leaving_lowers_the_count(tendency, make_member):
    with pytest.raises(Conflict):
        services.tendency_join(tendency=tendency, member=tendency.founded_by)
    services.tendency_leave(tendency=tendency, member=tendency.founded_by)
    tendency.refresh_from_db()
    assert tendency.member_count == 0
    with pytest.raises(Conflict):
        services.tendency_leave(tendency=tendency, member=tendency.founded_by)


def test_the_record_never_names_who_joined(tendency, make_member):
    joiner = make_member()
    services.tendency_join(tendency=tendency, member=joiner)
    entries = Entry.objects.filter(kind__startswith="discussion.tendency")
    assert entries.exists()
    assert not entries.filter(actor_id=joiner.pk).exists()
    assert all(set(e.payload) <= {"members"} for e in entries)


def test_duplicate_name_is_refused(tendency, make_member):
    with pytest.raises(Conflict):
        services.tendency_form(name="Green Left", platform="Again", founded_by=make_member())


def test_membership_visible_to_members_by_default(tendency, make_member, org):
    members, not_listed = selectors.tendency_members(tendency, make_member(unit=org.leeds))
    assert (list(members), not_listed) == ([tendency.founded_by], 0)


def test_officers_only_visibility_hides_the_list_from_ordinary_members(
    tendency, make_member, make_officer, set_rule, org
):
    set_rule("tendencies.membership_visible_to", "officers")
    assert selectors.tendency_members(tendency, make_member()) is None
    assert selectors.tendency_members(tendency, tendency.founded_by) is None
    officer = make_officer(org.leeds)
    members, not_listed = selectors.tendency_members(tendency, officer)
    assert (list(members), not_listed) == ([tendency.founded_by], 0)


def test_officers_only_visibility_on_the_page(tendency, make_member, set_rule, client):
    set_rule("tendencies.membership_visible_to", "officers")
    client.force_login(make_member())
    html = client.get(f"/discussion/tendencies/{tendency.slug}/").content.decode()
    assert "only officers" in html
    assert tendency.founded_by.display_name not in html


def test_unrecognised_tendency_cannot_submit_a_position(tendency, debate):
    with pytest.raises(Refused, match="needs 3 members"):
        services.tendency_position_submit(
            tendency=tendency,
            subject=f"discussion.debate:{debate.pk}",
            text="Our view",
            submitted_by=tendency.founded_by,
        )
    assert not TendencyPosition.objects.exists()


def test_recognised_tendency_position_is_shown_on_the_debate(tendency, debate, make_member, client):
    for _ in range(2):
        services.tendency_join(tendency=tendency, member=make_member())
    tendency.refresh_from_db()
    with pytest.raises(NotPermitted):
        services.tendency_position_submit(
            tendency=tendency,
            subject=f"discussion.debate:{debate.pk}",
            text="Not a member",
            submitted_by=make_member(),
        )
    with pytest.raises(Refused):
        services.tendency_position_submit(
            tendency=tendency,
            subject="members.member:1",
            text="x",
            submitted_by=tendency.founded_by,
        )
    services.tendency_position_submit(
        tendency=tendency,
        subject=f"discussion.debate:{debate.pk}",
        text="Free buses *now*.",
        submitted_by=tendency.founded_by,
    )
    client.force_login(debate.opened_by)
    html = client.get(f"/discussion/debates/{debate.pk}/").content.decode()
    assert "Positions of tendencies" in html
    assert "Free buses <em>now</em>." in html


def test_minority_position_published_and_notified_with_the_decision(
    tendency, make_member, org, run_worker
):
    decisions = pytest.importorskip("commonweal.decisions.services")
    if not hasattr(decisions, "minority_position_attach"):
        pytest.skip("the decisions service is not there yet")
    from commonweal.rulebook.selectors import current

    founder = tendency.founded_by
    for _ in range(2):
        services.tendency_join(tendency=tendency, member=make_member(unit=org.leeds))
    tendency.refresh_from_db()
    decision = decisions.decision_record(
        kind="motion",
        title="Campaign for free buses",
        text="Carried.",
        body=org.transport,
        rulebook_version=current().version,
    )
    position = services.tendency_minority_position_submit(
        tendency=tendency, decision=decision, text="Fares should fall first.", submitted_by=founder
    )
    assert position.on_behalf_of == "Green Left"
    assert decision.minority_positions.get().text == "Fares should fall first."
    assert Event.objects.filter(kind="decision.minority_position").exists()


def test_unrecognised_tendency_cannot_submit_a_minority_position(tendency, org):
    with pytest.raises(Refused, match="recognised"):
        services.tendency_minority_position_submit(
            tendency=tendency, decision=None, text="x", submitted_by=tendency.founded_by
        )
