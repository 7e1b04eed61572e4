"""An erased member's name, email and private texts are nowhere left to find.

One member leaves traces in every app under a unique name, address and texts, is
erased through the service, and then: (a) no text column of any table holds them,
(b) the pages, API and exports that showed them to another member and to an officer
show a former member instead, (c) emails sent after the erasure (queued before it)
and the task queue's arguments do not hold them either. What deliberately stays is
docs/privacy.md's list: what they said in the organisation's processes (here a
debate contribution and a statement), shown as by a former member. The record is
scanned too: it holds ids and hashes only.
"""

import io
from datetime import timedelta

import pytest
from django.apps import apps
from django.contrib.admin.models import CHANGE, LogEntry
from django.contrib.contenttypes.models import ContentType
from django.core import mail
from django.core.management import CommandError, call_command
from django.db import models
from django.urls import reverse

from commonweal.core import clock
from commonweal.discussion import services as discussion
from commonweal.discussion.models import (
    CheckResponse,
    Contribution,
    Statement,
    StatementVote,
    TendencyMembership,
)
from commonweal.library import samples
from commonweal.library import services as library
from commonweal.library.tests.conftest import upload
from commonweal.meetings import services as meetings
from commonweal.members import services
from commonweal.members.models import Member, MembershipApplication, ProfileView
from commonweal.members.tests.factories import PASSWORD
from commonweal.news import services as news
from commonweal.notifications import services as notifications
from commonweal.notifications.models import Event
from commonweal.organisation.selectors import assembly_of
from commonweal.organisation.services import mandate_grant
from commonweal.policy import services as policy

pytestmark = pytest.mark.django_db

NAME = "Zephyrine Quillfeather"
EMAIL = "zq.erasure.7781@example.org"
PRIVATE = {
    "phone": "0113 496 7781",
    "statement": "STATEMENT-xq81 I want to join because of my landlord",
    "token": "TOKEN-xq81",
    "suspension": "SUSPENSION-xq81 shouted at the treasurer",
    "check": "CHECKREASON-xq81 I would block this",
    "gender": "GENDER-xq81",
    "notice": "NOTICE-xq81 lift to conference, ring 07700 900781",
    "skill": "SKILL-xq81",
}
KEPT_CONTRIBUTION = "KEPT-xq81 Fares should be capped at two pounds."
KEPT_STATEMENT = "KEPT-xq81 Buses before roads"
KEPT_MOTION = "KEPT-xq81 This conference caps fares."
KEPT_PROPOSAL = "KEPT-xq81 Buses free at the point of use, paid from the transport levy."
FORBIDDEN = ["Zephyrine", "Quillfeather", EMAIL, *PRIVATE.values()]
TEXT_FIELDS = (models.CharField, models.TextField, models.JSONField)


@pytest.fixture
def leeds(org, make_member, make_officer, settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path / "media"

    class Leeds:
        pass

    o = Leeds()
    o.org = org
    o.officer = make_officer(org.leeds)
    o.neighbour = make_member(unit=org.leeds)
    o.chair = make_officer(body=org.leadership, unit=org.york)
    return o


@pytest.fixture
def erased(leeds, run_worker):
    """Zephyrine joins Leeds, takes part everywhere, and asks to be erased."""
    org, officer, neighbour = leeds.org, leeds.officer, leeds.neighbour
    application = services.member_apply(
        email=EMAIL,
        full_name=NAME,
        unit=org.leeds,
        password=PASSWORD,
        statement=PRIVATE["statement"],
    )
    services.application_decide(application=application, officer=officer, accept=True)
    zeph = Member.objects.get(email=EMAIL)
    services.profile_update(member=zeph, skills=[PRIVATE["skill"]], visibility="organisation")
    services.profile_viewed(viewer=zeph, subject=neighbour)
    services.profile_viewed(viewer=neighbour, subject=zeph)
    services.api_token_create(member=zeph, name=PRIVATE["token"])
    services.member_suspend(member=zeph, officer=officer, reason=PRIVATE["suspension"])
    services.member_reinstate(member=zeph, officer=officer)
    zeph.refresh_from_db()
    mandate_grant(body=org.transport, holder=zeph, office="Treasurer")
    LogEntry.objects.create(
        user=officer,
        content_type=ContentType.objects.get_for_model(Member),
        object_id=str(zeph.pk),
        object_repr=str(zeph),
        action_flag=CHANGE,
        change_message="[]",
    )

    debate = discussion.debate_open(
        space_unit=org.leeds, question="Should fares be capped?", opened_by=officer
    )
    check = discussion.check_open(
        space_unit=org.leeds, statement="Cap fares this year", opened_by=officer
    )
    discussion.check_respond(check=check, member=zeph, choice="block", reason=PRIVATE["check"])
    opinion_map = discussion.opinion_map_open(debate=debate, opened_by=officer)
    statement = discussion.statement_add(
        opinion_map=opinion_map, author=neighbour, text="Fares first"
    )
    discussion.statement_vote(statement=statement, member=zeph, choice="agree")
    discussion.statement_add(opinion_map=opinion_map, author=zeph, text=KEPT_STATEMENT)
    first = discussion.tendency_form(name="Buses First", platform="Buses.", founded_by=neighbour)
    discussion.tendency_join(tendency=first, member=zeph)
    discussion.tendency_leave(tendency=first, member=zeph)
    second = discussion.tendency_form(name="Trams Too", platform="Trams.", founded_by=neighbour)
    discussion.tendency_join(tendency=second, member=zeph)
    discussion.discussion_profile_save(member=zeph, consent=True, gender=PRIVATE["gender"])

    news.notice_post(
        author=zeph,
        unit=org.leeds,
        title="Lift share",
        text=PRIVATE["notice"],
        expires_on=clock.now().date() + timedelta(days=30),
    )
    news.calendar_feed_renew(member=zeph)
    notifications.preferences_set(member=zeph, choices={"discussion": "immediate"})
    notifications.thread_mute(member=zeph, thread=f"discussion:{debate.pk}")
    document = library.document_add(
        body=assembly_of(org.leeds),
        title="Branch minutes",
        file=upload(samples.pdf("minutes"), "minutes.pdf"),
        uploaded_by=officer,
    )
    library.version_download(version=document.current_version, member=zeph)
    chair = leeds.chair
    conference = meetings.econference_call(
        body=org.leadership,
        title="Spring e-conference",
        opens_at=clock.now(),
        closes_at=clock.now() + timedelta(days=3),
        called_by=chair,
    )
    meetings.attendance_register(meeting=conference, member=zeph)
    item = meetings.agenda_item_add(
        meeting=conference, kind="motion", title="Bus fares", added_by=chair
    )
    meetings.speaker_request(item=item, member=zeph)
    meetings.motion_table(item=item, text=KEPT_MOTION, tabled_by=zeph)
    proposal = policy.proposal_create(
        author=zeph, section=org.transport, title="Free buses", text=KEPT_PROPOSAL
    )
    # She signed a petition before joining, with her email, postcode and phone.
    from commonweal.mobilisation import services as mobilisation

    petition = mobilisation.action_open(
        actor=officer,
        action=mobilisation.action_create(
            actor=officer, unit=org.leeds, kind="petition", title="Night bus", target="Them"
        ),
    )
    with clock.frozen(clock.now() - timedelta(minutes=1)):
        started = mobilisation.form_started()
    mobilisation.signup_sign(
        action=petition,
        name=NAME,
        email=EMAIL,
        postcode="LS6 1AA",
        phone=PRIVATE["phone"],
        purposes=["branch"],
        started=started,
    )
    mobilisation.signup_confirm(token=mobilisation.signup_token(petition.signups.get()))
    run_worker()

    # Written just before the erasure: the officer's email about it is still queued.
    notifications.preferences_set(member=officer, choices={"discussion": "immediate"})
    discussion.contribution_post(debate=debate, author=zeph, stance="for", text=KEPT_CONTRIBUTION)
    mail.outbox.clear()
    services.member_erase(member=zeph, requested_by=zeph)
    run_worker()
    zeph.refresh_from_db()
    zeph.debate, zeph.check, zeph.statement = debate, check, statement
    zeph.tendency = second
    zeph.conference, zeph.proposal = conference, proposal
    return zeph


def _leftovers() -> list[str]:
    found = []
    for model in apps.get_models(include_auto_created=True):
        for field in model._meta.concrete_fields:
            if not isinstance(field, TEXT_FIELDS):
                continue
            for text in FORBIDDEN:
                rows = model._default_manager.filter(**{f"{field.name}__icontains": text})
                if rows.exists():
                    found.append(f"{model._meta.db_table}.{field.column}: {text}")
    return found


def test_no_table_holds_the_erased_members_name_email_or_private_texts(erased):
    assert _leftovers() == []


def test_their_votes_responses_tendencies_and_views_of_others_are_gone(erased):
    assert not StatementVote.objects.filter(member=erased).exists()
    assert not CheckResponse.objects.filter(member=erased).exists()
    assert not TendencyMembership.objects.filter(member=erased).exists()
    assert not ProfileView.objects.filter(viewer=erased).exists()
    assert not ProfileView.objects.filter(subject=erased).exists()
    assert not MembershipApplication.objects.filter(applicant=erased).exclude(statement="").exists()


def test_what_they_said_in_the_debate_stays_as_by_a_former_member(erased, leeds, client):
    assert Contribution.objects.get(text=KEPT_CONTRIBUTION).author_id == erased.pk
    assert Statement.objects.get(text=KEPT_STATEMENT).author_id == erased.pk
    assert erased.conference.items.get().motions.get().text == KEPT_MOTION
    [treasurer] = erased.mandates.all()
    assert treasurer.ended_early_on == clock.now().date()
    assert erased.proposal.text == KEPT_PROPOSAL
    assert Statement.objects.get(pk=erased.statement.pk).agree_count == 0
    assert erased.tendency.memberships.count() == 1
    client.force_login(leeds.neighbour)
    page = client.get(reverse("discussion:debate", args=[erased.debate.pk])).content.decode()
    assert KEPT_CONTRIBUTION in page
    assert "former member" in page


def test_pages_api_and_exports_show_a_former_member(erased, leeds, client):
    org = leeds.org
    as_officer = [
        reverse("members:applications"),
        reverse("notifications:list"),
        "/api/notifications/",
        reverse("organisation:unit", args=[org.leeds.slug]),
        reverse("organisation:unit_members_csv", args=[org.leeds.slug]),
        reverse("organisation:body", args=[org.transport.slug]),
        reverse("members:detail", args=[erased.pk]),
        reverse("discussion:debate", args=[erased.debate.pk]),
        reverse("discussion:check", args=[erased.check.pk]),
        reverse("discussion:tendency", args=[erased.tendency.slug]),
        reverse("news:board", args=[org.leeds.pk]),
        reverse("members:export"),
        f"/meetings/{erased.conference.pk}/",
    ]
    as_member = [
        reverse("organisation:unit", args=[org.leeds.slug]),
        reverse("organisation:body", args=[org.transport.slug]),
        reverse("discussion:debate", args=[erased.debate.pk]),
        reverse("discussion:check", args=[erased.check.pk]),
        reverse("discussion:tendency", args=[erased.tendency.slug]),
        f"/api/discussion/tendencies/{erased.tendency.slug}/members",
        f"/api/discussion/debates/{erased.debate.pk}",
        reverse("news:board", args=[org.leeds.pk]),
        reverse("members:export"),
        erased.proposal.get_absolute_url(),
        f"/api/policy/proposals/{erased.proposal.pk}",
    ]
    for viewer, urls in ((leeds.officer, as_officer), (leeds.neighbour, as_member)):
        client.force_login(viewer)
        for url in urls:
            response = client.get(url)
            assert response.status_code == 200, url
            content = b"".join(response) if response.streaming else response.content
            for text in FORBIDDEN:
                assert text not in content.decode(), (viewer, url, text)


def test_the_officer_is_told_of_a_former_member_and_queued_emails_say_so(erased, leeds):
    titles = [n.event.display_title for n in leeds.officer.notifications.select_related("event")]
    assert "former member has applied to join Leeds" in titles
    assert any(t.startswith("former member wrote in") for t in titles)
    assert mail.outbox, "the contribution's email was queued before the erasure"
    for message in mail.outbox:
        whole = message.subject + message.body + str(message.alternatives)
        for text in FORBIDDEN:
            assert text not in whole
    assert any("former member" in message.subject for message in mail.outbox)


def test_an_outcome_email_queued_before_the_erasure_is_not_sent(leeds, run_worker):
    application = services.member_apply(
        email=EMAIL, full_name=NAME, unit=leeds.org.leeds, password=PASSWORD
    )
    run_worker()
    mail.outbox.clear()
    services.application_decide(
        application=application, officer=leeds.officer, accept=False, reason="No Leeds address"
    )
    services.member_erase(member=application.applicant, requested_by=application.applicant)
    run_worker()
    assert [m.to for m in mail.outbox] == []


def test_a_title_written_with_the_name_itself_before_named_titles_loses_it(leeds):
    zeph = leeds.neighbour
    name = zeph.full_name
    old = Event.objects.create(
        kind="membership.application",
        title=f"{name} has applied to join Leeds",
        member_ids=[leeds.officer.pk],
        created_at=clock.now(),
    )
    services.member_erase(member=zeph, requested_by=zeph)
    old.refresh_from_db()
    assert old.display_title == "former member has applied to join Leeds"
    assert name not in old.title


def test_an_administrator_erases_on_request_from_the_command_and_no_one_else_may(
    leeds, make_member
):
    zeph = leeds.neighbour
    with pytest.raises(CommandError, match="Refused"):
        call_command("erase_member", str(zeph.pk), "--by", leeds.officer.email)
    zeph.refresh_from_db()
    assert zeph.status == Member.Status.MEMBER
    admin = make_member(unit=leeds.org.leeds, is_superuser=True)
    out = io.StringIO()
    call_command("erase_member", str(zeph.pk), "--by", admin.email.upper(), stdout=out)
    zeph.refresh_from_db()
    assert zeph.status == Member.Status.ERASED
    assert "erased" in out.getvalue()
    with pytest.raises(CommandError, match="already been erased"):
        call_command("erase_member", str(zeph.pk), "--by", admin.email)
