"""A unit's members list as CSV: its officers only, as the profiles show them, audited."""

import csv
import io

import pytest
from django.urls import reverse

from commonweal.core import csv_export
from commonweal.members.models import Member, ProfileView
from commonweal.members.selectors import member_data_export
from commonweal.members.services import LIST_EXPORT
from commonweal.organisation import selectors
from commonweal.record.models import Entry

pytestmark = pytest.mark.django_db

HOSTILE = ['=HYPERLINK("http://evil","x")', "+1+1", "@SUM(A1)", "-2+3"]


@pytest.fixture
def officer(client, org, make_officer):
    person = make_officer(org.leeds, full_name="Olu Officer")
    client.force_login(person)
    return person


def url(unit) -> str:
    return reverse("organisation:unit_members_csv", args=[unit.slug])


def download(client, unit) -> list[dict[str, str]]:
    response = client.get(url(unit))
    assert response.status_code == 200
    assert response["Content-Type"] == "text/csv; charset=utf-8"
    assert f'filename="members-{unit.slug}-' in response["Content-Disposition"]
    raw = b"".join(response.streaming_content)
    assert raw.startswith(b"\xef\xbb\xbf")
    return list(csv.DictReader(io.StringIO(raw.decode("utf-8-sig"), newline="")))


def exported(officer) -> set[int]:
    return set(
        ProfileView.objects.filter(viewer=officer, what=LIST_EXPORT).values_list(
            "subject_id", flat=True
        )
    )


def test_officers_get_every_member_of_the_unit_as_their_profiles_show_them(
    client, org, officer, make_member, monkeypatch
):
    monkeypatch.setattr(selectors, "ROSTER_CHUNK", 2)  # several chunks, names tied across one
    shown = make_member(
        unit=org.leeds,
        full_name="Ann Shown",
        show_email=True,
        visibility=Member.Visibility.OFFICERS,
        capacities=["treasurer", "driver"],
        skills=["accounts"],
    )
    hidden = make_member(unit=org.leeds, full_name="Ann Hidden", show_email=False)
    twins = [make_member(unit=org.leeds, full_name="Bo Twin") for _ in range(2)]
    make_member(unit=org.york, full_name="York Member")
    make_member(unit=org.leeds, full_name="Ada Applicant", status=Member.Status.APPLICANT)
    make_member(unit=org.leeds, full_name="Sam Suspended", status=Member.Status.SUSPENDED)

    rows = download(client, org.leeds)
    assert [row["Name"] for row in rows] == [
        "Ann Hidden",
        "Ann Shown",
        "Bo Twin",
        "Bo Twin",
        "Olu Officer",
    ]
    by_name = {row["Name"]: row for row in rows}
    assert by_name["Ann Shown"]["Email"] == shown.email
    assert by_name["Ann Shown"]["Capacities"] == "treasurer, driver"
    assert by_name["Ann Shown"]["Skills"] == "accounts"
    assert by_name["Ann Hidden"]["Email"] == ""  # she chose not to show it, to officers too
    assert by_name["Ann Hidden"]["Profile"] == (
        f"http://testserver{reverse('members:detail', args=[hidden.pk])}"
    )
    listed = Member.objects.filter(pk__in=exported(officer))
    assert set(listed) == {shown, hidden, *twins}  # one's own line is not audited
    assert all(officer.has_perm("members.view_profile", m) for m in listed)


def test_the_page_offers_the_download_to_its_officers_only(client, org, officer, make_member):
    member = make_member(unit=org.leeds)
    page = client.get(reverse("organisation:unit", args=[org.leeds.slug])).content.decode()
    assert f'href="{url(org.leeds)}"' in page
    client.force_login(member)
    page = client.get(reverse("organisation:unit", args=[org.leeds.slug])).content.decode()
    assert url(org.leeds) not in page


def test_names_a_spreadsheet_would_run_come_out_as_text(client, org, officer, make_member):
    for name in HOSTILE:
        make_member(unit=org.leeds, full_name=name, capacities=[name], show_email=True)
    rows = [row for row in download(client, org.leeds) if row["Name"] != "Olu Officer"]
    assert sorted(row["Name"] for row in rows) == sorted("'" + name for name in HOSTILE)
    assert all(row["Capacities"] == row["Name"] for row in rows)


def test_who_exported_which_list_when_is_in_the_record_and_each_members_data(
    client, org, officer, make_member
):
    member = make_member(unit=org.leeds)
    download(client, org.leeds)
    entry = Entry.objects.get(kind="unit.members_exported")
    assert (entry.actor_id, entry.subject) == (officer.pk, f"organisation.unit:{org.leeds.pk}")
    seen = member_data_export(member)["who_saw_my_profile"]
    assert [(v["viewer"], v["what"]) for v in seen] == [(officer.pk, LIST_EXPORT)]


def test_a_download_cut_short_audits_only_what_was_sent(
    client, org, officer, make_member, monkeypatch
):
    monkeypatch.setattr(selectors, "ROSTER_CHUNK", 2)
    monkeypatch.setattr(csv_export, "ROWS_PER_WRITE", 2)
    for name in ["A", "B", "C", "D"]:
        make_member(unit=org.leeds, full_name=name)
    response = client.get(url(org.leeds))
    assert exported(officer) == set()
    chunks = iter(response.streaming_content)
    next(chunks)  # the header
    next(chunks)  # the first chunk of members; the client goes no further
    assert {m.full_name for m in Member.objects.filter(pk__in=exported(officer))} == {"A", "B"}


@pytest.mark.parametrize("who", ["member", "officer_elsewhere", "regional_member"])
def test_anyone_but_the_units_officers_is_refused_and_nothing_is_audited(
    client, org, make_member, make_officer, who
):
    make_member(unit=org.leeds, full_name="Ann Member")
    person = {
        "member": lambda: make_member(unit=org.leeds),
        "officer_elsewhere": lambda: make_officer(org.brighton),
        "regional_member": lambda: make_member(unit=org.north),
    }[who]()
    client.force_login(person)
    assert client.get(url(org.leeds)).status_code == 404
    assert not ProfileView.objects.exists()
    assert not Entry.objects.filter(kind="unit.members_exported").exists()


def test_anonymous_visitors_are_sent_to_sign_in(client, org):
    response = client.get(url(org.leeds))
    assert response.status_code == 302
    assert response["Location"].startswith(reverse("account_login"))


def test_officers_of_a_unit_above_may_download_it(client, org, make_officer, make_member):
    make_member(unit=org.leeds, full_name="Ann Member")
    client.force_login(make_officer(org.north))
    assert [row["Name"] for row in download(client, org.leeds)] == ["Ann Member"]


def test_queries_do_not_grow_with_the_members(
    client, org, officer, make_member, django_assert_max_num_queries
):
    for _ in range(3):
        make_member(unit=org.leeds, capacities=["driver"])
    with django_assert_max_num_queries(16):
        small = download(client, org.leeds)
    for _ in range(40):
        make_member(unit=org.leeds, capacities=["driver"])
    with django_assert_max_num_queries(16):
        big = download(client, org.leeds)
    assert (len(small), len(big)) == (4, 44)
