"""A branch secretary records, on a phone, a decision the branch took at a meeting held in a
back room, from the branch assembly's page."""

from datetime import timedelta

import pytest
from django.utils.formats import date_format

from commonweal.core import clock
from commonweal.decisions.models import Decision
from commonweal.organisation.selectors import assembly_of

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def test_a_secretary_records_an_offline_decision_at_phone_width(
    live_server, page, axe, sign_in, org, make_officer
):
    secretary = make_officer(org.leeds, role="secretary", full_name="Sam Secretary")
    assembly = assembly_of(org.leeds)
    base = live_server.url
    page.set_viewport_size({"width": 360, "height": 780})
    sign_in(page, base, secretary.email)

    page.goto(f"{base}/organisation/bodies/{assembly.slug}/")
    page.click("text=Record a decision taken outside the platform")
    page.wait_for_url(f"{base}/decisions/record/?body={assembly.pk}")
    assert axe(page) == []
    page.fill("input[name=title]", "Stall at the summer fair")
    page.fill("textarea[name=text]", "We run a stall at the fair.")
    tomorrow = clock.now().date() + timedelta(days=1)
    page.fill("input[name=taken_on]", tomorrow.isoformat())
    page.check("input[name=basis][value=meeting]")
    page.click("main button[type=submit]")
    # The date is refused beside its field, and nothing is recorded.
    page.locator("text=not a future date").wait_for()
    assert axe(page) == []
    assert not Decision.objects.exists()

    taken = clock.now().date() - timedelta(days=3)
    page.fill("input[name=taken_on]", taken.isoformat())
    page.click("main button[type=submit]")
    page.locator("text=The decision is in the register").wait_for()
    main = page.inner_text("main")
    assert f"on {date_format(taken)}, at a meeting held outside the platform" in main
    assert "Sam Secretary" in main
    assert axe(page) == []
