"""An officer imports a small members list on a phone, in a real browser."""

import pytest
from django.core import mail

from commonweal.members.models import Member

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

LIST = (
    "Name,Email,Joined\n"
    "Ada Lovelace,ada@example.org,2019-04-01\n"
    "Grace Hopper,grace@example.org,\n"
    "Ada Twice,ada@example.org,\n"
    '"=HYPERLINK(""http://evil.example"")",mallory@example.org,\n'
)


def test_an_officer_imports_a_members_list_at_360_pixels(
    live_server, page, axe, org, make_officer, run_worker, sign_in
):
    base = live_server.url
    officer = make_officer(org.leeds, email="secretary@leeds.example")
    page.set_viewport_size({"width": 360, "height": 800})
    sign_in(page, base, officer.email)

    page.goto(f"{base}/organisation/units/{org.leeds.slug}/")
    page.click("text=Import members into this unit")
    page.wait_for_url("**/members/import/?unit=*")
    assert axe(page) == []
    page.set_input_files(
        "input[name=file]",
        files=[{"name": "members.csv", "mimeType": "text/csv", "buffer": LIST.encode()}],
    )
    page.click("main button:has-text('Upload and check')")
    page.wait_for_selector("text=What importing would do")
    text = page.inner_text("main")
    assert "2 new members would be added" in text
    assert "the same address as row 2" in text
    assert "starts like a spreadsheet formula" in text
    assert axe(page) == []
    assert page.evaluate("document.documentElement.scrollWidth") <= 360

    page.click("button:has-text('dry run')")
    page.wait_for_selector("text=Dry run, nothing written")
    assert not Member.objects.filter(email="ada@example.org").exists()

    page.check("#confirm-import")
    page.click("main button:has-text('Import')")
    page.wait_for_selector("text=0 of 2 members written")
    assert axe(page) == []
    # In a hidden tab the page asks nothing: each poll is dropped before it leaves.
    page.evaluate(
        """() => {
            window.polls = 0;
            document.addEventListener("htmx:beforeRequest", (e) => {
                if (e.detail.elt.id === "import-progress") window.polls += 1;
            });
            Object.defineProperty(document, "hidden", {value: true, configurable: true});
        }"""
    )
    page.wait_for_function("() => window.polls >= 1")
    run_worker()
    # Two polls after the work is done: had the first gone out, its answer would be shown.
    page.wait_for_function("() => window.polls >= 3", timeout=10_000)
    assert "0 of 2 members written" in page.inner_text("main")
    # Shown again, it catches up at once, then shows the end without a reload.
    page.evaluate(
        """() => {
            Object.defineProperty(document, "hidden", {value: false, configurable: true});
            document.dispatchEvent(new Event("visibilitychange"));
        }"""
    )
    page.wait_for_selector("text=Done: 2 members added.", timeout=15_000)
    assert Member.objects.get(email="ada@example.org").unit == org.leeds
    assert not Member.objects.filter(email="mallory@example.org").exists()
    assert {m.to[0] for m in mail.outbox} >= {"ada@example.org", "grace@example.org"}
