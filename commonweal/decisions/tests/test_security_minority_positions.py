"""Who may attach a minority position, in whose name, until when, and whether it is reviewed.

The review found that a member who voted yes published a "minority position on behalf of
Rural Voice" (a tendency she does not belong to, too small to be recognised) on a five-week-old
decision; that a member who joined after the vote was offered the same form; and that the text
appeared at once on the public pages. The rulebook's ``minority_positions`` section now decides.
"""

import copy
from datetime import timedelta

import pytest
from django.urls import reverse

from commonweal.core import clock
from commonweal.core.errors import Conflict, NotPermitted, Refused
from commonweal.decisions import services
from commonweal.decisions.models import Decision, MinorityPosition
from commonweal.discussion import services as discussion
from commonweal.rulebook.selectors import current
from commonweal.rulebook.services import rulebook_bring_into_force, rulebook_stage
from commonweal.voting import services as voting

pytestmark = pytest.mark.django_db


def set_rules(**sections):
    """Bring into force a rulebook with these rules changed: set_rules(tendencies={...})."""
    rules = copy.deepcopy(current().rules)
    for section, values in sections.items():
        rules.setdefault(section, {}).update(values)
    rulebook_bring_into_force(version=rulebook_stage(rules=rules, staged_by=None))


@pytest.fixture
def tendencies(make_member, org):
    """A recognised tendency (two members is enough here) and a small one, Rural Voice."""
    set_rules(tendencies={"recognition_minimum": 2})
    green = discussion.tendency_form(
        name="Green Left", platform="Green.", founded_by=make_member(unit=org.leeds)
    )
    discussion.tendency_join(tendency=green, member=make_member(unit=org.york))
    rural = discussion.tendency_form(
        name="Rural Voice", platform="Villages.", founded_by=make_member(unit=org.york)
    )
    green.refresh_from_db()
    rural.refresh_from_db()
    return green, rural


def _decided(org, make_member, *, secret=False):
    """A motion of the North carried 3 to 1: (decision, yes voters, the no voter)."""
    yes = [make_member(unit=org.leeds) for _ in range(3)]
    no = make_member(unit=org.york)
    vote = voting.vote_create(
        title="Close the York office",
        body=org.leadership,
        method="majority",
        secret=secret,
        electorate=org.north,
        closes_at=clock.now() + timedelta(days=1),
        created_by=None,
        on_close="commonweal.decisions.services.record_vote_outcome",
    )
    vote = voting.vote_open(vote=vote, opened_by=None)
    for member in yes:
        voting.ballot_cast(vote=vote, voter=member, ranking=["yes"])
    voting.ballot_cast(vote=vote, voter=no, ranking=["no"])
    return Decision.objects.get(vote=voting.vote_close(vote=vote)), yes, no


@pytest.fixture
def voted(org, make_member):
    return _decided(org, make_member)


def _attach_page(client, member, decision, **fields):
    client.force_login(member)
    return client.post(
        reverse("decisions:minority", args=[decision.pk]),
        {"text": "The York office is the only one in the region.", **fields},
    )


def test_a_yes_voter_cannot_publish_in_the_name_of_a_tendency_she_does_not_belong_to(
    client, voted, tendencies
):
    decision, yes, _no = voted
    _green, rural = tendencies
    response = _attach_page(client, yes[0], decision, tendency=rural.pk, on_behalf_of="Rural Voice")
    assert response.status_code == 302
    assert not MinorityPosition.objects.exists()
    with pytest.raises(NotPermitted):
        services.minority_position_attach(
            decision=decision, text="x", author=yes[0], tendency=rural.pk
        )


def test_a_small_tendencys_own_member_cannot_speak_for_it(client, voted, tendencies):
    decision, _yes, _no = voted
    _green, rural = tendencies
    founder = rural.founded_by
    client.force_login(founder)
    page = client.get(reverse("decisions:detail", args=[decision.pk])).content.decode()
    assert "Attach a minority position" not in page
    assert _attach_page(client, founder, decision, tendency=rural.pk).status_code == 302
    assert not MinorityPosition.objects.exists()


def test_a_recognised_tendencys_member_chooses_it_from_a_list(client, voted, tendencies):
    decision, _yes, _no = voted
    green, rural = tendencies
    speaker = green.founded_by
    client.force_login(speaker)
    form = client.get(reverse("decisions:detail", args=[decision.pk])).context["minority_form"]
    assert [label for _value, label in form.fields["tendency"].choices] == [
        "on behalf of Green Left"
    ]
    refused = _attach_page(client, speaker, decision, tendency=rural.pk)
    assert refused.status_code == 400
    assert not MinorityPosition.objects.exists()
    assert _attach_page(client, speaker, decision, tendency=green.pk).status_code == 302
    position = MinorityPosition.objects.get()
    assert (position.on_behalf_of, position.tendency_id) == ("Green Left", green.pk)


def test_the_form_is_shown_only_to_those_who_may_use_it(client, voted, make_member, org):
    decision, yes, no = voted
    for member, shown in [(no, True), (yes[0], False), (make_member(unit=org.brighton), False)]:
        client.force_login(member)
        page = client.get(reverse("decisions:detail", args=[decision.pk]))
        assert ("Attach a minority position" in page.content.decode()) is shown
        assert (page.context["minority_form"] is not None) is shown


def test_a_member_who_joined_after_the_vote_is_not_offered_the_form(
    client, voted, make_member, org
):
    decision, _yes, _no = voted
    newcomer = make_member(unit=org.york)
    client.force_login(newcomer)
    page = client.get(reverse("decisions:detail", args=[decision.pk])).content.decode()
    assert "Attach a minority position" not in page
    assert _attach_page(client, newcomer, decision).status_code == 302
    assert not MinorityPosition.objects.exists()


def test_a_five_week_old_decision_takes_no_more_minority_positions(client, voted):
    decision, _yes, no = voted
    with clock.frozen(decision.decided_at + timedelta(weeks=5)):
        client.force_login(no)
        page = client.get(reverse("decisions:detail", args=[decision.pk])).content.decode()
        assert "Attach a minority position" not in page
        assert _attach_page(client, no, decision).status_code == 302
        with pytest.raises(NotPermitted, match="until"):
            services.minority_position_attach(decision=decision, text="Late.", author=no)
    assert not MinorityPosition.objects.exists()
    with clock.frozen(decision.decided_at + timedelta(days=13)):
        services.minority_position_attach(decision=decision, text="In time.", author=no)


def test_on_a_secret_vote_only_a_recognised_tendency_speaks(client, org, make_member, tendencies):
    decision, _yes, no = _decided(org, make_member, secret=True)
    green, _rural = tendencies
    with pytest.raises(NotPermitted):
        services.minority_position_attach(decision=decision, text="I voted no.", author=no)
    with pytest.raises(Refused):
        services.minority_position_attach(decision=decision, text="Ours.", author=green.founded_by)
    position = services.minority_position_attach(
        decision=decision, text="Ours.", author=green.founded_by, tendency=green.pk
    )
    assert position.on_behalf_of == "Green Left"


def test_with_review_it_is_published_only_by_an_officer(
    client, voted, make_officer, org, run_worker
):
    set_rules(minority_positions={"review": True})
    decision, _yes, no = voted
    position = services.minority_position_attach(decision=decision, text="Hold on.", author=no)
    assert position.published_at is None
    client.force_login(no)
    assert (
        "Hold on."
        not in client.get(reverse("decisions:detail", args=[decision.pk])).content.decode()
    )
    assert client.get(f"/api/decisions/{decision.pk}").json()["minority_positions"] == []
    assert (
        "Hold on."
        not in client.post(
            reverse("decisions:minority_publish", args=[position.pk]), follow=True
        ).content.decode()
    )
    assert MinorityPosition.objects.get().published_at is None

    officer = make_officer(body=org.leadership)
    client.force_login(officer)
    page = client.get(reverse("decisions:detail", args=[decision.pk])).content.decode()
    assert "awaiting publication" in page
    client.post(reverse("decisions:minority_publish", args=[position.pk]))
    assert MinorityPosition.objects.get().published_by == officer
    client.force_login(no)
    assert (
        "Hold on." in client.get(reverse("decisions:detail", args=[decision.pk])).content.decode()
    )
    assert client.get(f"/api/decisions/{decision.pk}").json()["minority_positions"][0]["text"] == (
        "Hold on."
    )


def test_without_a_vote_a_member_in_scope_does_not_speak_alone(org, make_member, tendencies):
    decision = services.decision_record(
        kind="motion",
        title="Buses",
        text="Resolved.",
        body=org.leadership,
        rulebook_version=current().version,
    )
    green, _rural = tendencies
    with pytest.raises(NotPermitted, match="rulebook"):
        services.minority_position_attach(
            decision=decision, text="Mine.", author=make_member(unit=org.leeds)
        )
    services.minority_position_attach(
        decision=decision, text="Ours.", author=green.founded_by, tendency=green.pk
    )
    set_rules(minority_positions={"who": ["electorate"]})
    services.minority_position_attach(
        decision=decision, text="Mine.", author=make_member(unit=org.leeds)
    )


def test_one_position_per_member_and_per_tendency_on_each_decision(voted, tendencies):
    decision, _yes, no = voted
    green, _rural = tendencies
    services.minority_position_attach(decision=decision, text="Once.", author=no)
    with pytest.raises(Conflict):
        services.minority_position_attach(decision=decision, text="Twice.", author=no)
    services.minority_position_attach(
        decision=decision, text="Ours.", author=green.founded_by, tendency=green.pk
    )
    with pytest.raises(Conflict):
        services.minority_position_attach(
            decision=decision, text="Ours again.", author=green.founded_by, tendency=green.pk
        )
    assert MinorityPosition.objects.count() == 2
