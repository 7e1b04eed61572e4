"""The import pages: upload, preview with the rows' problems, columns, dry run, progress."""

import io

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from openpyxl import load_workbook

from commonweal.members.models import Member, MemberImport
from commonweal.members.services import imports

pytestmark = pytest.mark.django_db

LIST = (
    "Name,Email,Branch\n"
    "Ada Lovelace,ada@example.org,Leeds\n"
    "Alan Turing,alan@example.org,York\n"
    "Ada Twice,ADA@example.org,Leeds\n"
    "Nobody,not-an-address,Leeds\n"
)


def _upload(client, unit, text=LIST, name="members.csv"):
    data = text.encode() if isinstance(text, str) else text
    return client.post(
        reverse("members:import_new"),
        {"unit": unit.pk, "file": SimpleUploadedFile(name, data, content_type="text/csv")},
    )


def test_an_officer_uploads_previews_dry_runs_and_imports(client, org, make_officer, run_worker):
    officer = make_officer(org.north)
    client.force_login(officer)
    unit_page = client.get(reverse("organisation:unit", args=[org.north.slug])).content.decode()
    assert reverse("members:import_new") in unit_page

    response = _upload(client, org.north)
    member_import = MemberImport.objects.get()
    assert response.url == reverse("members:import_detail", args=[member_import.pk])
    page = client.get(response.url).content.decode()
    assert "2 new members would be added" in page
    assert "the same address as row 2" in page
    assert "not a valid email address" in page
    assert "not-an-address" in page  # the cell as the file has it, to find and correct it

    response = client.post(reverse("members:import_check", args=[member_import.pk]), follow=True)
    assert (
        "Dry run, nothing written: importing now would add 2 members" in response.content.decode()
    )
    assert not Member.objects.filter(email="ada@example.org").exists()

    # Without the box ticked nothing starts.
    client.post(reverse("members:import_confirm", args=[member_import.pk]))
    member_import.refresh_from_db()
    assert member_import.status == MemberImport.Status.PREVIEW

    response = client.post(
        reverse("members:import_confirm", args=[member_import.pk]), {"confirm": "on"}, follow=True
    )
    page = response.content.decode()
    assert "0 of 2 members written" in page
    assert reverse("members:import_progress", args=[member_import.pk]) in page  # htmx polls it
    run_worker()
    progress = client.get(reverse("members:import_progress", args=[member_import.pk]))
    assert "Done: 2 members added." in progress.content.decode()
    assert "hx-trigger" not in progress.content.decode()  # finished: the polling stops
    assert Member.objects.get(email="alan@example.org").unit == org.york


def test_a_bad_file_is_refused_beside_the_file_field(client, org, make_officer):
    client.force_login(make_officer(org.leeds))
    response = _upload(client, org.leeds, "Name,Email\nJosé,j@example.org\n".encode("latin-1"))
    assert response.status_code == 200
    assert "not in UTF-8" in response.content.decode()
    assert not MemberImport.objects.exists()


def test_columns_with_unknown_headings_are_chosen_on_the_preview(client, org, make_officer):
    client.force_login(make_officer(org.leeds))
    _upload(client, org.leeds, "Wer,Adresse\nAda Lovelace,ada@example.org\n")
    member_import = MemberImport.objects.get()
    page = client.get(reverse("members:import_detail", args=[member_import.pk])).content.decode()
    assert "0 new members would be added" in page
    response = client.post(
        reverse("members:import_columns", args=[member_import.pk]),
        {"full_name": "0", "email": "1"},
        follow=True,
    )
    assert "1 new member would be added" in response.content.decode()


def test_another_officers_upload_is_not_there_for_them(client, org, make_officer):
    owner = make_officer(org.leeds)
    member_import = imports.member_import_upload(
        actor=owner, unit=org.leeds, name="m.csv", data=LIST.replace("York", "Leeds").encode()
    )
    client.force_login(make_officer(org.leeds))
    for name in ("import_detail", "import_progress"):
        assert client.get(reverse(f"members:{name}", args=[member_import.pk])).status_code == 404
    for name in ("import_confirm", "import_discard", "import_check", "import_columns"):
        response = client.post(
            reverse(f"members:{name}", args=[member_import.pk]), {"confirm": "on"}
        )
        assert response.status_code == 404
    member_import.refresh_from_db()
    assert member_import.status == MemberImport.Status.PREVIEW


def test_the_members_list_downloads_as_a_workbook_an_import_reads(
    client, org, make_officer, make_member
):
    officer = make_officer(org.leeds)
    make_member(
        unit=org.leeds,
        full_name='=HYPERLINK("http://evil.example","x")',
        email="shown@example.org",
        show_email=True,
    )
    client.force_login(officer)
    response = client.get(reverse("organisation:unit_members_xlsx", args=[org.leeds.slug]))
    assert response["Content-Type"].startswith("application/vnd.openxmlformats")
    sheet = load_workbook(io.BytesIO(response.content)).active
    rows = [[cell.value for cell in row] for row in sheet.iter_rows()]
    assert rows[0][:2] == ["Name", "Email"]
    names = [row[0] for row in rows[1:]]
    assert '\'=HYPERLINK("http://evil.example","x")' in names  # text, never a formula
    assert all(cell.data_type != "f" for row in sheet.iter_rows() for cell in row)
    # The same columns come back in: an import recognises every heading it needs.
    member_import = imports.member_import_upload(
        actor=officer, unit=org.leeds, name="back.xlsx", data=response.content
    )
    assert {"full_name", "email", "joined", "skills"} <= set(member_import.columns)
