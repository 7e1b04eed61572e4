"""The organisers' side: numbers, the CSV, attendance in batches, messages by consent."""

from datetime import timedelta

import pytest
from django.core import mail
from django.urls import reverse

from commonweal.core import clock
from commonweal.core.errors import Conflict, NotPermitted
from commonweal.mobilisation import organising
from commonweal.mobilisation.models import Signup
from commonweal.mobilisation.services import (
    action_create,
    action_open,
    consent_withdraw,
    signup_confirm,
    signup_sign,
    signup_token,
)

from .conftest import NOW


def answer(action, started, email, purposes=(), name="Ada Walker", **fields):
    signup_sign(
        action=action,
        name=name,
        email=email,
        postcode=fields.pop("postcode", "LS6 3AB"),
        ip=fields.pop("ip", f"203.0.113.{len(email)}"),
        started=started,
        purposes=list(purposes),
        **fields,
    )
    signup = Signup.objects.get(action=action, email=email)
    signup_confirm(token=signup_token(signup))
    return Signup.objects.get(pk=signup.pk)


@pytest.fixture
def demonstration(org, make_officer, pinned):
    officer = make_officer(of=org.leeds)
    action = action_create(
        actor=officer,
        unit=org.leeds,
        kind="demonstration",
        title="March for the night bus",
        place="City Square",
        starts_at=NOW + timedelta(hours=2),
    )
    action = action_open(actor=officer, action=action)
    action.officer = officer
    return action


def test_a_message_reaches_only_those_who_agreed_to_its_purpose(petition, started, run_worker):
    answer(petition, started, "keen@example.org", ["campaign"], name="Keen")
    answer(petition, started, "quiet@example.org", [], name="Quiet")
    gone = answer(petition, started, "gone@example.org", ["campaign"], name="Gone")
    consent_withdraw(token=signup_token(gone), purposes=["campaign"])
    run_worker()
    mail.outbox.clear()
    sent = organising.signers_message(
        actor=petition.officer,
        action=petition,
        purpose="campaign",
        subject="We delivered it",
        text="Thank you: 1,000 names went to the authority today.",
    )
    run_worker()
    assert sent == 1
    assert [m.to for m in mail.outbox] == [["keen@example.org"]]
    message = mail.outbox[0]
    assert "1,000 names" in message.body
    assert message.extra_headers["List-Unsubscribe-Post"] == "List-Unsubscribe=One-Click"
    assert "/mobilisation/unsubscribe/" in message.extra_headers["List-Unsubscribe"]


def test_one_click_unsubscribe_stops_that_purpose_and_a_queued_email(
    petition, started, run_worker, client
):
    keen = answer(petition, started, "keen@example.org", ["campaign", "branch"])
    run_worker()
    url = reverse("organising:unsubscribe", args=[signup_token(keen), "campaign"])
    organising.signers_message(
        actor=petition.officer, action=petition, purpose="campaign", subject="News", text="Hi"
    )
    assert client.get(url).status_code == 200
    assert keen.consents.get(purpose="campaign").withdrawn_at is None
    response = client.post(url, {"List-Unsubscribe": "One-Click"})
    assert response.status_code == 200
    mail.outbox.clear()
    run_worker()
    assert mail.outbox == []
    assert keen.consents.get(purpose="campaign").withdrawn_at is not None
    assert keen.consents.get(purpose="branch").withdrawn_at is None


def test_attendance_batch_sent_twice_marks_each_person_once(demonstration, started):
    one = answer(demonstration, started, "one@example.org")
    two = answer(demonstration, started, "two@example.org")
    officer = demonstration.officer
    ids = [one.pk, two.pk]
    assert organising.attendance_mark(actor=officer, action=demonstration, signup_ids=ids) == 2
    first = Signup.objects.get(pk=one.pk).attended_at
    with clock.frozen(NOW + timedelta(minutes=5)):
        again = organising.attendance_mark(actor=officer, action=demonstration, signup_ids=ids)
    assert again == 0
    assert Signup.objects.get(pk=one.pk).attended_at == first
    assert organising.attended_count(demonstration) == 2


def test_a_batch_cannot_mark_people_of_another_action(demonstration, petition, started):
    elsewhere = answer(petition, started, "other@example.org")
    organising.attendance_mark(
        actor=demonstration.officer, action=demonstration, signup_ids=[elsewhere.pk]
    )
    assert Signup.objects.get(pk=elsewhere.pk).attended_at is None


def test_thanks_go_to_those_present_once_the_event_began(demonstration, started, run_worker):
    came = answer(demonstration, started, "came@example.org")
    answer(demonstration, started, "stayed@example.org")
    organising.attendance_mark(
        actor=demonstration.officer, action=demonstration, signup_ids=[came.pk]
    )
    run_worker()
    mail.outbox.clear()
    with pytest.raises(Conflict):
        organising.thanks_send(
            actor=demonstration.officer, action=demonstration, subject="Thanks", text="You came"
        )
    with clock.frozen(NOW + timedelta(hours=5)):
        organising.thanks_send(
            actor=demonstration.officer, action=demonstration, subject="Thanks", text="You came"
        )
    run_worker()
    assert [m.to for m in mail.outbox] == [["came@example.org"]]


def test_the_csv_names_only_those_who_agreed_and_defuses_formulas(petition, started, client):
    answer(petition, started, "keen@example.org", ["campaign"], name="=HYPERLINK(1)")
    answer(petition, started, "quiet@example.org", [], name="Quiet Person")
    client.force_login(petition.officer)
    response = client.get(reverse("organising:export", args=[petition.pk]))
    body = b"".join(response.streaming_content).decode()
    assert "'=HYPERLINK(1)" in body
    assert "keen@example.org" in body
    assert "Quiet Person" not in body
    assert "quiet@example.org" not in body
    assert len(body.strip().splitlines()) == 3


def test_the_overview_shows_charts_and_tables(petition, started, client):
    answer(petition, started, "keen@example.org", ["campaign"])
    client.force_login(petition.officer)
    page = client.get(reverse("organising:overview", args=[petition.pk])).content.decode()
    assert 'role="img"' in page
    assert "<title" in page
    assert "<desc" in page
    assert "<table>" in page
    assert "no unit matched: 1" in page


@pytest.mark.parametrize("who", ["other_branch_officer", "suspended", "external", "member"])
def test_only_the_organisers_see_who_answered(
    petition, started, org, make_member, make_officer, who
):
    answer(petition, started, "keen@example.org", ["campaign"])
    actor = {
        "other_branch_officer": lambda: make_officer(of=org.brighton),
        "suspended": lambda: make_member(unit=org.leeds, status="suspended"),
        "external": lambda: make_member(status="external"),
        "member": lambda: make_member(unit=org.leeds),
    }[who]()
    with pytest.raises(NotPermitted):
        list(organising.visible_signups(actor, petition))
    with pytest.raises(NotPermitted):
        organising.signers_message(
            actor=actor, action=petition, purpose="campaign", subject="x", text="y"
        )


def test_an_officer_above_the_branch_sees_the_numbers(petition, started, org, make_officer):
    answer(petition, started, "keen@example.org", ["campaign"])
    regional = make_officer(of=org.north)
    assert [s.email for s in organising.visible_signups(regional, petition)] == ["keen@example.org"]
