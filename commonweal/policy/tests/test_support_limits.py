"""Supporting is rate-limited per account and per address, on the page and over the API."""

import pytest

from commonweal.policy import services
from commonweal.policy.models import Support

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("one_rate_window")]

PER_ACCOUNT = 30
PER_ADDRESS = 300


def test_the_limits_are_the_ones_tested_here():
    assert f"{PER_ACCOUNT}/10m" == services.SUPPORT_RATE_PER_ACCOUNT
    assert f"{PER_ADDRESS}/h" == services.SUPPORT_RATE_PER_ADDRESS


def _toggle(client, url, n):
    """n support/withdraw clicks, alternating, starting with support."""
    for i in range(n):
        data = {"withdraw": "1"} if i % 2 else {}
        assert client.post(url, data).status_code == 302


def test_a_member_flipping_support_is_stopped_with_a_clear_page_and_api_answer(
    client, propose, org, make_member
):
    proposal = propose()
    member = make_member(unit=org.york)
    client.force_login(member)
    url = f"/policy/{proposal.pk}/support/"
    _toggle(client, url, PER_ACCOUNT)
    assert not Support.objects.filter(proposal=proposal, member=member, withdrawn_at=None).exists()

    response = client.post(url, REMOTE_ADDR="198.51.100.9")
    assert response.status_code == 429
    assert "Too many attempts; try again in" in response.content.decode()
    assert int(response["Retry-After"]) > 0
    assert not Support.objects.filter(proposal=proposal, member=member, withdrawn_at=None).exists()

    api = client.post(f"/api/policy/proposals/{proposal.pk}/support")
    assert api.status_code == 429
    assert api.json()["detail"].startswith("Too many attempts; try again in")
    assert client.delete(f"/api/policy/proposals/{proposal.pk}/support").status_code == 429
    assert Support.objects.filter(proposal=proposal, member=member).count() == PER_ACCOUNT // 2

    other = make_member(unit=org.york)
    client.force_login(other)
    assert client.post(url).status_code == 302
    assert Support.objects.filter(proposal=proposal, member=other, withdrawn_at=None).exists()


def test_one_address_driving_many_accounts_is_stopped(client, propose, org, make_member):
    proposal = propose()
    url = f"/api/policy/proposals/{proposal.pk}/support"
    for _ in range(PER_ADDRESS // PER_ACCOUNT):
        client.force_login(make_member(unit=org.leeds))
        for i in range(PER_ACCOUNT):
            response = client.delete(url) if i % 2 else client.post(url)
            assert response.status_code == 200, response.content
    client.force_login(make_member(unit=org.leeds))
    refused = client.post(url)
    assert refused.status_code == 429
    assert "Too many attempts" in refused.json()["detail"]
    assert not Support.objects.filter(proposal=proposal, withdrawn_at=None).exists()
    elsewhere = client.post(url, REMOTE_ADDR="198.51.100.20")
    assert elsewhere.status_code == 200
    assert elsewhere.json()["support_count"] == 1
