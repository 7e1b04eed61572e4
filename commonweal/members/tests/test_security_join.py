"""The join form does not tell whether an address already has an account.

Finding "Trust II" 9: it answered "An account with this email address already exists",
so anyone could find out who belongs to the organisation. Now both answers are the same
page, and the owner of the existing account is emailed instead.
"""

import re

import pytest
from django.core import mail
from django.urls import reverse

from commonweal.members.models import Member, MembershipApplication
from commonweal.members.tests.factories import PASSWORD

pytestmark = pytest.mark.django_db
CSRF = re.compile(r'"X-CSRFToken": "[^"]*"|name="csrfmiddlewaretoken" value="[^"]*"')


def join(client, org, email: str):
    response = client.post(
        reverse("members:join"),
        {"full_name": "Someone", "email": email, "unit": org.leeds.pk, "password": PASSWORD},
    )
    return response.status_code, CSRF.sub("", response.content.decode())


def test_a_known_and_an_unknown_address_get_the_same_answer(client, org, make_member, run_worker):
    existing = make_member(unit=org.leeds, email="known@example.org")
    before = Member.objects.count()

    known = join(client, org, "Known@Example.org")
    unknown = join(client, org, "new@example.org")

    assert known == unknown
    assert known[0] == 200
    assert "already" not in known[1].split("If this address already has an account")[0]
    assert Member.objects.count() == before + 1
    assert not MembershipApplication.objects.filter(applicant=existing).exists()
    run_worker()
    (letter,) = mail.outbox
    assert letter.to == [existing.email]
    assert "already has an account" in letter.body
    assert "/accounts/password/reset/" in letter.body


def test_a_weak_password_is_refused_for_both_alike(client, org, make_member):
    make_member(unit=org.leeds, email="known@example.org")
    for email in ("known@example.org", "new@example.org"):
        response = client.post(
            reverse("members:join"),
            {"full_name": "Someone", "email": email, "unit": org.leeds.pk, "password": "12345678"},
        )
        assert "too common" in response.content.decode()
