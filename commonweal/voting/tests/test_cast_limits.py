"""Casting is rate-limited per account and per address; retries are recognised by their key."""

import pytest
from django.urls import reverse

from commonweal.voting import services
from commonweal.voting.models import OpenBallot, SecretBallot, VoterRoll

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("one_rate_window")]

PER_ACCOUNT = 30
PER_ADDRESS = 1200


def test_the_limits_are_the_ones_tested_here():
    assert f"{PER_ACCOUNT}/10m" == services.CAST_RATE_PER_ACCOUNT
    assert f"{PER_ADDRESS}/10m" == services.CAST_RATE_PER_ADDRESS


def test_a_member_casting_over_and_over_is_stopped_on_the_page_and_the_api(
    client, make_vote, voters
):
    vote = make_vote("majority")
    member = voters["leeds"][0]
    client.force_login(member)
    url = reverse("voting:cast", args=[vote.pk])
    for i in range(PER_ACCOUNT):
        response = client.post(url, {"choice": ["yes", "no"][i % 2]})
        assert response.status_code == 200
    assert OpenBallot.objects.get(vote=vote, voter=member).ranking == "1"

    refused = client.post(url, {"choice": "yes"}, REMOTE_ADDR="198.51.100.9")
    assert refused.status_code == 429
    assert "Too many attempts; try again in" in refused.content.decode()
    assert int(refused["Retry-After"]) > 0
    api = client.post(
        f"/api/votes/{vote.pk}/cast", {"ranking": ["yes"]}, content_type="application/json"
    )
    assert api.status_code == 429
    assert api.json()["detail"].startswith("Too many attempts; try again in")
    assert int(api["Retry-After"]) > 0
    assert OpenBallot.objects.get(vote=vote, voter=member).ranking == "1"

    other = voters["leeds"][1]
    client.force_login(other)
    assert client.post(url, {"choice": "yes"}).status_code == 200
    assert OpenBallot.objects.filter(vote=vote).count() == 2


def test_one_address_driving_many_accounts_is_stopped(client, make_vote, org, make_member):
    vote = make_vote("majority")
    url = f"/api/votes/{vote.pk}/cast"
    # The test client's address: each of 40 accounts uses its whole allowance from it.
    for _ in range(PER_ADDRESS // PER_ACCOUNT):
        member = make_member(unit=org.york)
        for _ in range(PER_ACCOUNT):
            services.cast_rate_check(member=member, ip="127.0.0.1")
    client.force_login(make_member(unit=org.york))
    refused = client.post(url, {"ranking": ["yes"]}, content_type="application/json")
    assert refused.status_code == 429
    assert "Too many attempts" in refused.json()["detail"]
    assert not OpenBallot.objects.filter(vote=vote).exists()
    elsewhere = client.post(
        url, {"ranking": ["yes"]}, content_type="application/json", REMOTE_ADDR="198.51.100.20"
    )
    assert elsewhere.status_code == 200
    assert OpenBallot.objects.filter(vote=vote).count() == 1


def test_an_unanswered_api_ballot_retried_with_its_idempotency_key_counts_once(
    client, make_vote, voters
):
    vote = make_vote("majority", secret=True)
    client.force_login(voters["leeds"][0])
    url = f"/api/votes/{vote.pk}/cast"
    headers = {"Idempotency-Key": "a3f9c1d2e8b7a6c5d4e3f2a1"}
    first = client.post(url, {"ranking": ["no"]}, content_type="application/json", headers=headers)
    again = client.post(url, {"ranking": ["no"]}, content_type="application/json", headers=headers)
    assert first.status_code == again.status_code == 200
    assert first.json()["receipt"] == again.json()["receipt"]
    assert SecretBallot.objects.filter(vote=vote).count() == 1
    assert VoterRoll.objects.filter(vote=vote).count() == 1
    without_key = client.post(url, {"ranking": ["no"]}, content_type="application/json")
    assert without_key.status_code == 409
    assert "receipt code" in without_key.json()["detail"]
    assert SecretBallot.objects.filter(vote=vote).count() == 1
