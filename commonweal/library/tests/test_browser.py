"""Uploading through the real page in a real browser, and the pages pass axe-core."""

import pytest

from commonweal.library import samples
from commonweal.library.models import Document

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def test_a_body_member_uploads_a_file_and_downloads_it(live_server, page, axe, library, sign_in):
    base = live_server.url
    sign_in(page, base, library.member.email)

    page.goto(f"{base}/library/")
    assert library.body.name in page.inner_text("main")
    assert axe(page) == []
    page.click(f"text={library.body.name}")
    assert axe(page) == []
    page.click("text=Add a document")
    assert "20.0\xa0MB" in page.inner_text("#limits")
    assert axe(page) == []

    page.fill("input[name=title]", "Bus campaign leaflet")
    page.set_input_files(
        "input[name=file]",
        files=[{"name": "leaflet.html", "mimeType": "text/html", "buffer": b"<html>x</html>"}],
    )
    page.click("main button[type=submit]")
    assert "HTML and SVG files are not accepted" in page.inner_text("main")
    assert not Document.objects.exists()
    assert axe(page) == []

    content = samples.pdf("Better buses now")
    page.set_input_files(
        "input[name=file]",
        files=[{"name": "../../leaflet.pdf", "mimeType": "application/pdf", "buffer": content}],
    )
    page.click("main button[type=submit]")
    page.wait_for_url(f"{base}/library/documents/*/")
    assert "has been added" in page.inner_text("main")
    assert axe(page) == []

    with page.expect_download() as info:
        page.click("main a.button:has-text('Download')")
    download = info.value
    assert download.suggested_filename == "leaflet.pdf"
    with open(download.path(), "rb") as f:
        assert f.read() == content
    assert Document.objects.get().downloads.count() == 1
