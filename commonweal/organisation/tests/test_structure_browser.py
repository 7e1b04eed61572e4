"""A national officer restructures a region on a phone: adds a branch, renames it, merges
another branch into it, sets up a department and fills an office outside an election."""

import pytest

from commonweal.organisation.models import Body, Mandate, Unit

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def test_a_national_officer_restructures_a_region_at_phone_width(
    live_server, page, axe, sign_in, org, make_officer, make_member
):
    national = make_officer(body=org.leadership, unit=org.leeds, full_name="Nia National")
    york_member = make_member(unit=org.york, full_name="Yas York", email="yas@example.org")
    base = live_server.url
    page.set_viewport_size({"width": 360, "height": 780})
    sign_in(page, base, national.email)

    page.goto(f"{base}/organisation/units/{org.north.slug}/")
    assert axe(page) == []
    page.click("text=Add a unit below this one")
    page.fill("input[name=name]", "Harrogate")
    page.select_option("select[name=kind]", "branch")
    assert axe(page) == []
    page.click("main button[type=submit]")
    page.wait_for_url(f"{base}/organisation/units/harrogate/")
    assert "The unit has been created." in page.inner_text("main")

    page.click("text=Rename this unit")
    page.fill("input[name=name]", "Harrogate and Knaresborough")
    page.click("main button[type=submit]")
    page.wait_for_url(f"{base}/organisation/units/harrogate/")
    assert "Harrogate and Knaresborough" in page.inner_text("h1")

    # York merges into it: asked to tick the box first, then done.
    page.goto(f"{base}/organisation/units/{org.york.slug}/merge/")
    assert axe(page) == []
    page.select_option("select[name=members_to]", label="Harrogate and Knaresborough")
    page.click("main button[type=submit]")
    # The browser holds the form back until the box is ticked (the server asks too).
    assert page.locator("input[name=confirm]:invalid").count() == 1
    assert page.url.endswith("/merge/")
    assert Unit.objects.get(pk=org.york.pk).closed_on is None
    page.check("input[name=confirm]")
    page.click("main button[type=submit]")
    page.wait_for_url(f"{base}/organisation/units/harrogate/")
    assert "The units have been merged." in page.inner_text("main")
    york_member.refresh_from_db()
    assert york_member.unit.slug == "harrogate"

    page.goto(f"{base}/organisation/units/{org.north.slug}/")
    page.click("text=Create a body in this unit")
    page.fill("input[name=name]", "Northern women")
    page.select_option("select[name=kind]", "department")
    page.click("main button[type=submit]")
    page.wait_for_url(f"{base}/organisation/bodies/northern-women/")
    assert axe(page) == []

    page.click("text=Fill an office outside an election")
    page.fill("input[name=member]", "yas@example.org")
    page.fill("input[name=office]", "Convenor")
    page.check("input[value=interim]")
    page.fill("input[name=reason]", "Nobody has stood yet.")
    assert axe(page) == []
    page.click("main button[type=submit]")
    page.wait_for_url(f"{base}/organisation/bodies/northern-women/")
    assert "Convenor" in page.inner_text("#mandates ~ ul")
    assert "interim appointment" in page.inner_text("main")
    assert axe(page) == []
    mandate = Mandate.objects.get(body=Body.objects.get(slug="northern-women"))
    assert (mandate.holder, mandate.granted_as) == (york_member, "interim")
    # Nothing scrolls sideways on a 360 px phone.
    assert page.evaluate("document.documentElement.scrollWidth") <= 360
