"""The decision register as CSV: the page's search and visibility, every match, safe cells."""

import csv
import io

import pytest
from django.urls import reverse
from django.utils import timezone

from commonweal.core import clock
from commonweal.decisions import selectors, services
from commonweal.decisions.models import Decision, MinorityPosition
from commonweal.members.models import Member

pytestmark = pytest.mark.django_db

HOSTILE = ['=HYPERLINK("http://evil","x")', "+1+1", "@SUM(A1)", "-2+3"]


@pytest.fixture
def chair(org, make_officer):
    return make_officer(body=org.leadership)


@pytest.fixture
def member(client, org, make_member):
    person = make_member(unit=org.leeds)
    client.force_login(person)
    return person


def make_decisions(org, n, title="Decision", author=None):
    made = []
    for i in range(n):
        d = Decision.objects.create(
            kind="motion",
            title=f"{title} {i}",
            text="We agreed.",
            body=org.transport if i % 2 else org.leadership,
            decided_at=clock.now(),
            rulebook_version=1,
        )
        if author is not None:
            MinorityPosition.objects.create(
                decision=d,
                text="No.",
                author=author,
                attached_at=clock.now(),
                published_at=clock.now(),
            )
        made.append(d)
    return made


def download(client, **query) -> list[dict[str, str]]:
    response = client.get(reverse("decisions:register_csv"), query)
    assert response.status_code == 200
    assert response["Content-Type"] == "text/csv; charset=utf-8"
    assert 'filename="decisions-' in response["Content-Disposition"]
    raw = b"".join(response.streaming_content)
    assert raw.startswith(b"\xef\xbb\xbf")
    return list(csv.DictReader(io.StringIO(raw.decode("utf-8-sig"), newline="")))


def test_every_matching_decision_in_the_order_and_with_the_filters_of_the_page(
    client, org, member, monkeypatch
):
    monkeypatch.setattr(selectors, "CSV_CHUNK", 7)  # several chunks, one boundary mid-second
    make_decisions(org, 40)
    Decision.objects.create(
        kind="policy",
        title="Bus fares",
        text="A flat fare.",
        body=org.transport,
        decided_at=clock.now(),
        rulebook_version=1,
        link="/votes/1/result/",
    )
    rows = download(client)
    expected = list(selectors.register().values_list("pk", flat=True))
    assert len(rows) == 41 > 25  # more than the page shows
    assert [row["Page"] for row in rows] == [
        f"http://testserver{reverse('decisions:detail', args=[pk])}" for pk in expected
    ]
    first = rows[0]
    assert first["Title"] == "Bus fares"
    assert first["Body"] == "Transport Section"
    assert first["Unit"] == "Nation"
    assert first["Outcome"] == "policy approved"
    assert first["Date"] == timezone.localdate(clock.now()).isoformat()
    assert first["See also"] == "http://testserver/votes/1/result/"

    searched = download(client, body=org.transport.pk, q="fares")
    assert [row["Title"] for row in searched] == ["Bus fares"]
    assert download(client, body=org.leadership.pk, q="fares") == []
    assert download(client, unit=org.south.pk) == []


def test_the_page_links_to_the_download_of_its_own_search(client, org, member):
    page = client.get(reverse("decisions:register"), {"q": "fares", "page": "2"})
    html = page.content.decode()
    assert f'href="{reverse("decisions:register_csv")}?q=fares"' in html
    assert "Download as CSV" in html


def test_titles_a_spreadsheet_would_run_come_out_as_text(client, org, chair, member):
    for title in HOSTILE:
        services.decision_record(
            kind="motion",
            title=title,
            text=title,
            subject=title,
            body=org.leadership,
            rulebook_version=1,
            recorded_by=chair,
        )
    rows = download(client)
    assert sorted(row["Title"] for row in rows) == sorted("'" + t for t in HOSTILE)
    for row in rows:
        assert row["Text"] == row["Subject"] == row["Title"]
        assert row["Minority positions"] == "0"


def test_those_who_may_not_see_the_register_may_not_download_it(client, org, make_member):
    make_decisions(org, 2)
    url = reverse("decisions:register_csv")
    anonymous = client.get(url)
    assert anonymous.status_code == 302
    assert anonymous["Location"].startswith(reverse("account_login"))
    applicant = make_member(unit=org.leeds, status=Member.Status.APPLICANT)
    client.force_login(applicant)
    assert client.get(url).status_code == 404


def test_queries_do_not_grow_with_the_decisions(
    client, org, member, make_member, django_assert_max_num_queries
):
    author = make_member(unit=org.leeds)
    make_decisions(org, 3, author=author)
    with django_assert_max_num_queries(6):
        small = download(client)
    make_decisions(org, 60, title="More", author=author)
    with django_assert_max_num_queries(6):
        big = download(client)
    assert (len(small), len(big)) == (3, 63)
    assert {row["Minority positions"] for row in big} == {"1"}


def test_an_invalid_search_downloads_nothing_and_says_which_fields_are_wrong(client, org, member):
    make_decisions(org, 3, title="Kept")
    query = {"q": "Kept", "date_from": "last tuesday", "body": "999999"}
    response = client.get(reverse("decisions:register_csv"), query)
    assert response.status_code == 400
    assert response["Content-Type"] == "text/plain; charset=utf-8"
    assert "Content-Disposition" not in response
    message = response.content.decode()
    assert message.startswith("The search is not valid, so nothing was downloaded.")
    assert "From: Enter a valid date." in message
    assert "Body: Select a valid choice." in message
    assert "Words" not in message  # the valid field is not blamed
    assert "Kept" not in message

    page = client.get(reverse("decisions:register"), query)
    assert page.status_code == 200
    assert page.context["form"].errors.keys() == {"date_from", "body"}
    assert "Enter a valid date." in page.content.decode()


def test_the_page_offers_the_download_only_for_a_valid_search(client, org, member):
    make_decisions(org, 2, title="Kept")
    csv_url = reverse("decisions:register_csv")

    page = client.get(reverse("decisions:register"), {"q": "Kept"}).content.decode()
    assert "Download as CSV" in page
    assert f'href="{csv_url}?q=Kept"' in page

    invalid = {"q": "Kept", "date_from": "last tuesday"}
    page = client.get(reverse("decisions:register"), invalid).content.decode()
    assert "Enter a valid date." in page
    assert "Download as CSV" not in page
    assert csv_url not in page
    assert "Correct the search above to download its decisions as CSV." in page
