"""Bringing an existing membership in: an officer's list, checked, previewed, imported."""

import io
import re
from datetime import date, timedelta

import pytest
from allauth.account.models import EmailAddress
from django.core import mail
from openpyxl import Workbook

from commonweal.core import clock
from commonweal.core.errors import Conflict, Refused
from commonweal.members.models import Member, MemberImport
from commonweal.members.services import imports
from commonweal.members.tasks import sweep_member_imports
from commonweal.notifications.models import Notification
from commonweal.organisation.models import BodyMembership
from commonweal.organisation.selectors import assembly_of
from commonweal.record.models import Entry

pytestmark = pytest.mark.django_db

GOOD_AND_BAD = (
    "Name,Email,Branch,Joined,Skills\n"
    'Ada Lovelace,ADA@example.org,Leeds,2019-04-01,"writing, maths"\n'
    "Grace Hopper,grace@example.org,York,,\n"
    "No Address,,Leeds,,\n"
    ",noname@example.org,Leeds,,\n"
    "Bad Address,not-an-address,Leeds,,\n"
    "Ada Again,ada@example.org,Leeds,,\n"
    "Far Away,far@example.org,Brighton,,\n"
    '=HYPERLINK("http://evil.example"),formula@example.org,Leeds,,\n'
    "Late Joiner,late@example.org,Leeds,next week,\n"
    "Already Here,old@example.org,Leeds,,\n"
)


def _upload(officer, unit, text=GOOD_AND_BAD, name="members.csv"):
    data = text.encode() if isinstance(text, str) else text
    return imports.member_import_upload(actor=officer, unit=unit, name=name, data=data)


def _problems(member_import):
    return {(row, code) for row, _field, code, _other in member_import.problems}


def test_good_bad_and_duplicate_rows_are_shown_before_anything_is_written(
    org, make_officer, make_member
):
    officer = make_officer(org.north)
    make_member(email="old@example.org", unit=org.leeds, full_name="Already Here")
    before = Member.objects.count()
    member_import = _upload(officer, org.north)
    assert member_import.to_add == 2
    assert member_import.existing == 1
    assert _problems(member_import) == {
        (4, "email_missing"),
        (5, "name_missing"),
        (6, "email_invalid"),
        (7, "duplicate"),
        (8, "unit_unknown"),  # Brighton is not in the North
        (9, "formula"),
        (10, "joined_invalid"),
    }
    duplicate = next(p for p in member_import.problems if p[2] == "duplicate")
    assert duplicate[3] == 2  # the first row with that address
    assert Member.objects.count() == before
    assert not Entry.objects.filter(kind__startswith="members.import").exists()


def test_the_dry_run_reports_what_the_import_then_does_and_writes_nothing(
    org, make_officer, make_member, run_worker
):
    officer = make_officer(org.north)
    make_member(email="old@example.org", unit=org.leeds)
    member_import = _upload(officer, org.north)
    members, records = Member.objects.count(), Entry.objects.count()
    plan = imports.member_import_check(actor=officer, member_import=member_import)
    assert [row for row, _member in plan.to_add] == [2, 3]
    assert plan.existing == 1
    assert (Member.objects.count(), Entry.objects.count()) == (members, records)
    assert not mail.outbox

    imports.member_import_confirm(actor=officer, member_import=member_import)
    run_worker()
    member_import.refresh_from_db()
    assert member_import.status == MemberImport.Status.DONE
    assert (member_import.added, member_import.skipped) == (2, 1)
    assert member_import.rows == []  # the uploaded rows are not kept
    ada = Member.objects.get(email="ada@example.org")
    assert ada.full_name == "Ada Lovelace"
    assert ada.unit == org.leeds
    assert ada.status == Member.Status.MEMBER
    assert ada.joined_at.date() == date(2019, 4, 1)
    assert ada.skills == ["writing", "maths"]
    assert not ada.has_usable_password()
    assert EmailAddress.objects.filter(user=ada, email="ada@example.org").exists()
    assert BodyMembership.objects.filter(body=assembly_of(org.leeds), member=ada).exists()
    assert Member.objects.get(email="grace@example.org").unit == org.york
    for address in ("far@example.org", "formula@example.org", "noname@example.org"):
        assert not Member.objects.filter(email=address).exists()
    confirmed = Entry.objects.get(kind="members.import_confirmed")
    assert confirmed.payload["file_sha256"] == member_import.file_sha256
    assert confirmed.payload["to_add"] == 2
    done = Entry.objects.get(kind="members.imported")
    assert done.payload["added"] == 2
    assert "Ada" not in str(done.payload)
    assert "ada@" not in str(done.payload)
    assert Notification.objects.filter(recipient=officer, event__kind="member.import_done").exists()


def test_each_new_member_is_invited_with_a_link_that_sets_their_password(
    client, org, make_officer, run_worker
):
    officer = make_officer(org.leeds)
    member_import = _upload(officer, org.leeds, "Name,Email\nAda Lovelace,ada@example.org\n")
    imports.member_import_confirm(actor=officer, member_import=member_import)
    run_worker()
    invitations = [m for m in mail.outbox if m.to == ["ada@example.org"]]
    assert len(invitations) == 1
    link = re.search(r"http\S+/password/reset/key/\S+/", invitations[0].body).group(0)
    path = link.split("://", 1)[1].split("/", 1)[1]
    response = client.get("/" + path, follow=True)
    assert response.status_code == 200
    form_url = response.redirect_chain[-1][0] if response.redirect_chain else "/" + path
    response = client.post(
        form_url, {"password1": "a-new-long-password-7", "password2": "a-new-long-password-7"}
    )
    assert response.status_code == 302
    ada = Member.objects.get(email="ada@example.org")
    assert ada.check_password("a-new-long-password-7")
    # Used once: the same link no longer sets a password.
    again = client.get(form_url, follow=True)
    assert "a-new-long-password" not in again.content.decode()
    assert b'name="password1"' not in again.content


def test_importing_the_same_list_twice_adds_each_member_once(org, make_officer, run_worker):
    officer = make_officer(org.leeds)
    text = "Name,Email\nAda Lovelace,ada@example.org\nAlan Turing,alan@example.org\n"
    first = _upload(officer, org.leeds, text)
    imports.member_import_confirm(actor=officer, member_import=first)
    run_worker()
    invited = len(mail.outbox)
    second = _upload(officer, org.leeds, text)
    assert (second.to_add, second.existing) == (0, 2)
    with pytest.raises(Refused, match="No row"):
        imports.member_import_confirm(actor=officer, member_import=second)
    assert Member.objects.filter(email__in=["ada@example.org", "alan@example.org"]).count() == 2
    assert len(mail.outbox) == invited

    # A worker running the same import again writes nothing more.
    MemberImport.objects.filter(pk=first.pk).update(status=MemberImport.Status.QUEUED)
    imports.member_import_run(import_id=first.pk)
    assert Member.objects.filter(email__in=["ada@example.org", "alan@example.org"]).count() == 2


def test_an_xlsx_list_is_read_and_its_formulas_refused(org, make_officer):
    officer = make_officer(org.leeds)
    book = Workbook()
    sheet = book.active
    sheet.append(["Full name", "E-mail address", "Member since"])
    sheet.append(["Ada Lovelace", "ada@example.org", date(2020, 1, 2)])
    sheet.append(["Mallory", '=HYPERLINK("http://evil.example","x")', None])
    out = io.BytesIO()
    book.save(out)
    member_import = _upload(officer, org.leeds, out.getvalue(), name="list.xlsx")
    assert member_import.columns == {"full_name": 0, "email": 1, "joined": 2}
    assert member_import.to_add == 1
    assert _problems(member_import) == {(3, "formula")}


@pytest.mark.parametrize(
    ("data", "name", "message"),
    [
        ("Name,Email\nJosé,jose@example.org\n".encode("latin-1"), "a.csv", "not in UTF-8"),
        (b"PK\x03\x04 not really a zip", "a.xlsx", "damaged"),
        (b"", "a.csv", "empty"),
        (b"Name,Email\n", "a.csv", "no rows"),
        (",".join(f"c{n}" for n in range(41)).encode() + b"\nx\n", "a.csv", "at most 40"),
        (b"Name,Email\n" + b"x" * (20 * 1024 * 1024), "a.csv", "larger than 20 MB"),
        (b"\x00\x01\x02binary", "a.csv", "not a text file"),
        (b"binary", "a.xls", "save it as .xlsx"),
    ],
)
def test_a_bad_file_is_refused_with_a_clear_error(org, make_officer, data, name, message):
    officer = make_officer(org.leeds)
    with pytest.raises(Refused, match=message) as refusal:
        _upload(officer, org.leeds, data, name=name)
    assert refusal.value.field == "file"
    assert not MemberImport.objects.exists()


def test_the_columns_can_be_chosen_when_the_headings_are_not_known(org, make_officer):
    officer = make_officer(org.leeds)
    member_import = _upload(officer, org.leeds, "Vorname,Nachname,Adresse\nAda,Lovelace,a@x.org\n")
    assert member_import.columns == {}
    with pytest.raises(Refused, match="Email"):
        imports.member_import_confirm(actor=officer, member_import=member_import)
    with pytest.raises(Refused, match="both"):
        imports.member_import_columns(
            actor=officer, member_import=member_import, columns={"email": 2, "first_name": 2}
        )
    imports.member_import_columns(
        actor=officer,
        member_import=member_import,
        columns={"first_name": 0, "last_name": 1, "email": 2},
    )
    plan = imports.member_import_check(actor=officer, member_import=member_import)
    assert plan.to_add[0][1]["full_name"] == "Ada Lovelace"


def test_a_discarded_or_abandoned_upload_keeps_no_rows(org, make_officer):
    officer = make_officer(org.leeds)
    discarded = _upload(officer, org.leeds)
    imports.member_import_discard(actor=officer, member_import=discarded)
    discarded.refresh_from_db()
    assert discarded.rows == []
    assert discarded.status == MemberImport.Status.DISCARDED
    with pytest.raises(Conflict):
        imports.member_import_confirm(actor=officer, member_import=discarded)
    with clock.frozen(clock.now() - timedelta(hours=25)):
        abandoned = _upload(officer, org.leeds)
    fresh = _upload(officer, org.leeds)
    sweep_member_imports.call()
    abandoned.refresh_from_db()
    fresh.refresh_from_db()
    assert abandoned.rows == []
    assert abandoned.status == MemberImport.Status.DISCARDED
    assert fresh.rows
    assert fresh.status == MemberImport.Status.PREVIEW
