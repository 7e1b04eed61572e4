"""Process windows hold: circulation, the wider consultation and the amendments run to their
deadline unless an officer the rulebook names ends them early, with a reason, after a
confirmation; the consultation and the amendments have minimums nobody may cut; invited
outside groups are told when their invitation is cut short. Tried as each attacker."""

import re
from datetime import timedelta

import pytest
from django.core import mail
from django.test import Client
from django.urls import reverse

from commonweal.core import clock
from commonweal.core.errors import Conflict, NotPermitted, Refused
from commonweal.members.models import Member
from commonweal.members.services import api_token_create
from commonweal.organisation.models import Body, BodyMembership
from commonweal.organisation.services import body_create, body_membership_add
from commonweal.policy import services
from commonweal.policy.models import Approval, EarlyEnd, Stage
from commonweal.record.models import Entry

pytestmark = pytest.mark.django_db

REASON = "The regional conference is brought forward to next month."


@pytest.fixture
def section_member(org, make_member):
    """A plain member of the transport section: no office in it."""
    member = make_member(unit=org.leeds, full_name="Priya Shah")
    body_membership_add(body=org.transport, member=member, role=BodyMembership.Role.MEMBER)
    return member


@pytest.fixture
def other_chair(org, make_member):
    """The chair of another policy section."""
    health = body_create(name="Health Section", kind=Body.Kind.POLICY_SECTION, unit=org.nation)
    member = make_member(unit=org.york, full_name="Omar Haddad")
    body_membership_add(body=health, member=member, role=BodyMembership.Role.CHAIR)
    return member


@pytest.fixture
def suspended_chair(org, make_member):
    """Chairs the transport section but is suspended."""
    member = make_member(unit=org.york, full_name="Lee Dunn")
    body_membership_add(body=org.transport, member=member, role=BodyMembership.Role.CHAIR)
    Member.objects.filter(pk=member.pk).update(status=Member.Status.SUSPENDED)
    member.refresh_from_db()
    return member


def _attackers(author, section_member, other_chair, suspended_chair):
    return {
        "the proposer": author,
        "a plain section member": section_member,
        "another section's chair": other_chair,
        "a suspended chair": suspended_chair,
    }


def test_before_its_deadline_only_the_chair_closes_circulation_and_says_why(
    circulating, chair, author, section_member, other_chair, suspended_chair
):
    for who, member in _attackers(author, section_member, other_chair, suspended_chair).items():
        with pytest.raises(NotPermitted):
            services.drafting_start(proposal=circulating, by=member, reason=REASON)
        circulating.refresh_from_db()
        assert circulating.stage == Stage.CIRCULATION, who
    with pytest.raises(Refused, match="Say why the circulation ends") as unsaid:
        services.drafting_start(proposal=circulating, by=chair)
    assert unsaid.value.field == "reason"
    assert not EarlyEnd.objects.exists()

    services.drafting_start(proposal=circulating, by=chair, reason=REASON)
    early = EarlyEnd.objects.get()
    assert (early.stage, early.by, early.reason) == (Stage.CIRCULATION, chair, REASON)
    assert early.cut_off["silent"] == circulating.circulations.count()
    entry = Entry.objects.get(kind="policy.ended_early")
    assert REASON not in str(entry.payload)
    assert entry.payload["early_end"] == early.pk


def test_after_the_deadline_any_section_member_closes_circulation_without_a_reason(
    circulating, section_member, author
):
    with clock.frozen(circulating.stage_deadline + timedelta(minutes=1)):
        with pytest.raises(NotPermitted):
            services.drafting_start(proposal=circulating, by=author)
        services.drafting_start(proposal=circulating, by=section_member)
    circulating.refresh_from_db()
    assert circulating.stage == Stage.DRAFTING
    assert not EarlyEnd.objects.exists()


def test_nobody_cuts_the_consultation_below_its_minimum(consulting, chair, days_pass):
    with pytest.raises(Conflict, match="at least 14 days"):
        services.final_draft(proposal=consulting, by=chair, reason=REASON)
    days_pass(13)
    with pytest.raises(Conflict, match="nobody may end it sooner"):
        services.final_draft(proposal=consulting, by=chair, reason=REASON)
    consulting.refresh_from_db()
    assert consulting.stage == Stage.CONSULTATION
    days_pass(1)
    services.final_draft(proposal=consulting, by=chair, reason=REASON)
    consulting.refresh_from_db()
    assert consulting.stage == Stage.APPROVAL


def test_before_the_consultation_deadline_only_the_chair_declares_the_final_draft(
    consulting, chair, author, section_member, other_chair, suspended_chair, days_pass
):
    days_pass(15)
    for who, member in _attackers(author, section_member, other_chair, suspended_chair).items():
        with pytest.raises(NotPermitted):
            services.final_draft(proposal=consulting, by=member, reason=REASON)
        consulting.refresh_from_db()
        assert consulting.stage == Stage.CONSULTATION, who
    days_pass(7)
    services.final_draft(proposal=consulting, by=section_member)
    consulting.refresh_from_db()
    assert consulting.stage == Stage.APPROVAL


def test_the_econference_leaves_members_the_minimum_time_to_amend(
    final, chair, author, section_member, other_chair, suspended_chair, days_pass
):
    def call(by, **kw):
        return services.approval_call(
            proposal=final.proposal, by=by, closes_at=clock.now() + timedelta(days=7), **kw
        )

    with pytest.raises(Conflict, match="time for amendments stays open at least 7 days"):
        call(chair, reason=REASON)
    days_pass(8)
    for who, member in _attackers(author, section_member, other_chair, suspended_chair).items():
        with pytest.raises(NotPermitted):
            call(member, reason=REASON)
        assert not Approval.objects.exists(), who
    with pytest.raises(Refused, match="Say why the time for amendments ends"):
        call(chair)
    call(chair, reason=REASON)
    assert Approval.objects.get().called_by == chair


def test_the_rulebook_can_let_the_secretary_end_steps_early_instead_of_the_chair(
    circulating, chair, org, make_member, set_rules
):
    secretary = make_member(unit=org.york)
    body_membership_add(body=org.transport, member=secretary, role=BodyMembership.Role.SECRETARY)
    set_rules(end_early_by=["secretary"])
    with pytest.raises(NotPermitted, match="the section's secretary"):
        services.drafting_start(proposal=circulating, by=chair, reason=REASON)
    services.drafting_start(proposal=circulating, by=secretary, reason=REASON)


def test_the_rulebook_refuses_a_minimum_longer_than_the_step(set_rules):
    from commonweal.rulebook.schema import RulebookInvalid

    with pytest.raises(RulebookInvalid, match="consultation_min_days: must not be longer"):
        set_rules(consultation_min_days=30)


def _invited(consulting, chair, run_worker):
    services.external_invite(
        proposal=consulting, by=chair, name="Better Buses", email="hello@betterbuses.example"
    )
    run_worker()
    return re.search(r"/policy/external/([^/\s]+)/", mail.outbox[-1].body).group(1)


def test_an_invitee_cut_short_is_emailed_and_their_link_says_when_and_why(
    consulting, chair, run_worker, days_pass
):
    token = _invited(consulting, chair, run_worker)
    link = reverse("policy:external", args=[token])
    days_pass(15)
    services.final_draft(proposal=consulting, by=chair, reason=REASON)
    run_worker()
    [told] = [m for m in mail.outbox if "closed early" in m.subject]
    assert told.to == ["hello@betterbuses.example"]
    assert REASON in told.body
    run_worker()
    assert len([m for m in mail.outbox if "closed early" in m.subject]) == 1

    page = Client().get(link)
    assert page.status_code == 200
    text = page.content.decode()
    assert "The consultation has closed" in text
    assert REASON in text
    assert "before" in text
    with pytest.raises(NotPermitted, match="closed on"):
        services.external_access(token)
    answer = Client().post(
        "/api/policy/external/comments",
        {
            "token": token,
            "paragraph_id": consulting.drafts.get().paragraphs.first().pk,
            "text": "x",
        },
        content_type="application/json",
    )
    assert answer.status_code == 403
    assert REASON in answer.json()["detail"]


def test_an_invitation_that_ran_its_course_says_so_and_nobody_is_emailed(
    consulting, chair, section_member, run_worker, days_pass
):
    token = _invited(consulting, chair, run_worker)
    days_pass(22)
    services.final_draft(proposal=consulting, by=section_member)
    run_worker()
    assert not [m for m in mail.outbox if "closed early" in m.subject]
    text = Client().get(reverse("policy:external", args=[token])).content.decode()
    assert "as your invitation said" in text


def test_an_external_invitee_cannot_end_a_step(consulting, chair, run_worker, days_pass):
    token = _invited(consulting, chair, run_worker)
    days_pass(15)
    anonymous = Client()
    for name in ("final_draft", "approval_call"):
        answer = anonymous.post(
            reverse(f"policy:{name}", args=[consulting.pk]), {"confirm": "on", "token": token}
        )
        assert answer.status_code == 302
        assert "/accounts/login/" in answer["Location"] or "login" in answer["Location"]
    consulting.refresh_from_db()
    assert consulting.stage == Stage.CONSULTATION


def test_an_api_token_has_the_same_checks(
    circulating, chair, section_member, no_two_factor, days_pass
):
    def post(member, path, body=None):
        token = api_token_create(member=member, name="script", scope="write")[1]
        return Client().post(
            f"/api/policy/proposals/{circulating.pk}/{path}",
            body or {},
            content_type="application/json",
            secure=True,
            HTTP_AUTHORIZATION=f"Token {token}",
        )

    assert post(section_member, "drafting", {"reason": REASON}).status_code == 403
    unsaid = post(chair, "drafting")
    assert unsaid.status_code == 400
    assert unsaid.json()["field"] == "reason"
    assert post(chair, "drafting", {"reason": REASON}).status_code == 200
    assert EarlyEnd.objects.get().by == chair


def test_the_buttons_are_shown_only_to_who_may_use_them(
    circulating, chair, author, section_member, client_of
):
    page = reverse("policy:proposal", args=[circulating.pk])
    button = "Close circulation and start drafting"
    assert button in client_of(chair).get(page).content.decode()
    for member in (author, section_member):
        assert button not in client_of(member).get(page).content.decode()
    with clock.frozen(circulating.stage_deadline + timedelta(minutes=1)):
        assert button in client_of(section_member).get(page).content.decode()
        assert button not in client_of(author).get(page).content.decode()


def test_closing_circulation_asks_first_and_names_who_is_cut_off(circulating, chair, client_of):
    url = reverse("policy:drafting_start", args=[circulating.pk])
    section = client_of(chair)
    asked = section.post(url).content.decode()
    circulating.refresh_from_db()
    assert circulating.stage == Stage.CIRCULATION
    assert "units and sections have not reported yet" in asked
    assert "Leeds" in asked
    unticked = section.post(url, {"asked": "1", "reason": REASON}).content.decode()
    assert "This field is required." in unticked
    unsaid = section.post(url, {"asked": "1", "confirm": "on"}).content.decode()
    assert "Say why the circulation ends before its deadline" in unsaid
    circulating.refresh_from_db()
    assert circulating.stage == Stage.CIRCULATION
    done = section.post(url, {"asked": "1", "confirm": "on", "reason": REASON})
    assert done.status_code == 302
    circulating.refresh_from_db()
    assert circulating.stage == Stage.DRAFTING


def test_a_chair_whose_term_has_ended_may_no_longer_end_a_step_early(circulating, chair):
    yesterday = clock.now().date() - timedelta(days=1)
    BodyMembership.objects.filter(member=chair, role=BodyMembership.Role.CHAIR).update(
        role_until=yesterday
    )
    with pytest.raises(NotPermitted):
        services.drafting_start(proposal=circulating, by=chair, reason=REASON)
    circulating.refresh_from_db()
    assert circulating.stage == Stage.CIRCULATION
