"""The voting pages and API without JavaScript: list, cast, result, downloads."""

import hashlib
import json

import pytest
from django.urls import reverse

from commonweal.members.tests.factories import PASSWORD
from commonweal.voting import services
from commonweal.voting.models import OpenBallot, SecretBallot

pytestmark = pytest.mark.django_db


@pytest.fixture
def signed_in(client, voters):
    member = voters["leeds"][0]
    client.login(email=member.email, password=PASSWORD)
    return member


def test_vote_list_runs_constant_queries(
    client, signed_in, make_vote, django_assert_max_num_queries
):
    make_vote("majority")
    with django_assert_max_num_queries(12):
        assert client.get(reverse("voting:list")).status_code == 200
    for _ in range(12):
        make_vote("approval", candidates=["A", "B"])
    with django_assert_max_num_queries(12):
        response = client.get(reverse("voting:list"))
    assert len(response.context["page_obj"]) == 13


def test_cast_without_javascript_and_see_the_roll_call(client, signed_in, make_vote, voters):
    vote = make_vote("majority")
    response = client.post(reverse("voting:cast", args=[vote.pk]), {"choice": "no"})
    assert response.status_code == 200
    assert "Your vote has been recorded" in response.content.decode()
    assert OpenBallot.objects.get(vote=vote, voter=signed_in).ranking == "1"
    services.vote_close(vote=vote)
    page = client.get(reverse("voting:result", args=[vote.pk])).content.decode()
    assert signed_in.display_name in page
    assert "yes &gt; base / 2" in page


def test_cast_refusal_is_shown_and_nothing_changes(client, signed_in, make_vote):
    vote = make_vote("stv", secret=True, candidates=["A", "B", "C"], seats=1)
    response = client.post(reverse("voting:cast", args=[vote.pk]), {"rank_0": "1", "rank_1": "1"})
    assert response.status_code == 400
    assert "more than one candidate" in response.content.decode()
    response = client.post(reverse("voting:cast", args=[vote.pk]), {"rank_0": "x"})
    assert response.status_code == 400
    assert not SecretBallot.objects.filter(vote=vote).exists()


def test_member_outside_the_electorate_sees_no_ballot_form(client, voters, make_vote):
    client.login(email=voters["brighton"].email, password=PASSWORD)
    vote = make_vote("majority")
    page = client.get(reverse("voting:detail", args=[vote.pk])).content.decode()
    assert "not in this vote's electorate" in page
    assert client.post(reverse("voting:cast", args=[vote.pk]), {"choice": "yes"}).status_code == 403
    assert not OpenBallot.objects.filter(vote=vote).exists()


def test_secret_result_page_stv_and_downloads(client, signed_in, make_vote, voters):
    vote = make_vote("stv", secret=True, candidates=["Ann", "Bob", "Cat"], seats=1)
    receipt = client.post(
        reverse("voting:cast", args=[vote.pk]), {"rank_0": "2", "rank_1": "1"}
    ).context["receipt"]
    services.ballot_cast(vote=vote, voter=voters["leeds"][1], ranking=["Cat"])
    services.ballot_cast(vote=vote, voter=voters["leeds"][2], ranking=["Ann", "Bob"])
    services.vote_close(vote=vote)
    page = client.post(reverse("voting:result", args=[vote.pk]), {"receipt": receipt})
    html = page.content.decode()
    assert "Quota: 2" in html
    assert "excluded" in html
    assert "Your ballot is in the count: <strong>Bob, Ann</strong>" in html
    download = client.get(reverse("voting:ballots", args=[vote.pk]))
    assert hashlib.sha256(download.content).hexdigest() == page.context["vote"].ballots_sha256
    receipts = json.loads(client.get(reverse("voting:receipts", args=[vote.pk])).content)
    assert len(receipts) == 3


def test_ballots_are_not_published_before_the_close(client, signed_in, make_vote):
    vote = make_vote("majority", secret=True)
    assert client.get(reverse("voting:ballots", args=[vote.pk])).status_code == 404
    assert client.get(reverse("voting:receipts", args=[vote.pk])).status_code == 404


def test_api_cast_and_result(client, signed_in, make_vote):
    vote = make_vote("approval", secret=True, candidates=["A", "B", "C"])
    url = f"/api/votes/{vote.pk}/cast"
    bad = client.post(url, {"ranking": ["A", "Z"]}, content_type="application/json")
    assert bad.status_code == 400
    assert bad.json()["field"] == "ranking"
    ok = client.post(url, {"ranking": ["A", "B"]}, content_type="application/json")
    assert ok.status_code == 200
    assert "receipt" in ok.json()
    assert client.post(f"/api/votes/{vote.pk}/close").status_code == 403
    services.vote_close(vote=vote)
    result = client.get(f"/api/votes/{vote.pk}/result").json()
    assert result["rounds"][0]["approvals"] == {"A": 1, "B": 1, "C": 0}
    assert len(result["winners"]) == 1
    assert client.get(f"/api/votes/{vote.pk}/ballots").json()["ballots"] == [
        {"count": 1, "ranking": ["A", "B"]}
    ]


def test_the_bodys_officer_opens_and_closes_a_vote_from_its_page(
    client, org, make_officer, make_vote, voters
):
    from commonweal.voting.models import Vote

    vote = make_vote("majority", open_it=False)
    member = voters["leeds"][0]
    client.force_login(member)
    assert client.post(reverse("voting:open", args=[vote.pk])).status_code == 404  # a draft
    assert Vote.objects.get(pk=vote.pk).state == Vote.State.DRAFT

    client.force_login(make_officer(body=org.leadership))
    opened = client.post(reverse("voting:open", args=[vote.pk]), follow=True)
    assert "The vote is open." in opened.content.decode()
    services.ballot_cast(vote=vote, voter=member, ranking=["yes"])
    closed = client.post(reverse("voting:close", args=[vote.pk]), follow=True)
    assert closed.redirect_chain[-1][0] == reverse("voting:result", args=[vote.pk])
    assert "The vote is closed and counted." in closed.content.decode()
    again = client.post(reverse("voting:close", args=[vote.pk]), follow=True)
    assert again.redirect_chain[-1][0] == reverse("voting:detail", args=[vote.pk])
    assert "This vote is already closed." in again.content.decode()
