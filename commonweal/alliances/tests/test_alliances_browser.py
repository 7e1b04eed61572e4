"""In a real browser at 360 px: a branch officer records an outside organisation and a
contact person (refused without consent, beside the field; then recorded with it), and
anyone reads a joint statement published in two languages."""

import pytest

from commonweal.alliances import services
from commonweal.alliances.models import ContactPerson, OutsideOrganisation

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def _check(page, axe):
    assert axe(page) == [], page.url
    overflow = page.evaluate(
        "document.documentElement.scrollWidth > document.documentElement.clientWidth"
    )
    assert not overflow, f"{page.url} is wider than the screen"


def test_an_officer_records_an_organisation_and_a_contact_with_consent(
    live_server, page, axe, sign_in, org, people
):
    base = live_server.url
    page.set_viewport_size({"width": 360, "height": 800})
    sign_in(page, base, people.leeds_officer.email)
    page.goto(f"{base}/alliances/")
    _check(page, axe)
    page.get_by_role("link", name="Record an organisation").click()
    page.wait_for_url("**/alliances/new/")
    _check(page, axe)
    page.get_by_label("Name").fill("Leeds Bus Users' Campaign")
    page.get_by_label("Kind").select_option("campaign")
    page.get_by_label("Country").fill("G1")
    page.get_by_label("Our relationship").select_option("cooperation")
    page.get_by_role("button", name="Record it").click()
    page.wait_for_load_state()
    assert "Give the country as its two-letter code" in page.inner_text("main")
    assert page.get_by_label("Country").get_attribute("aria-invalid") == "true"
    assert not OutsideOrganisation.objects.exists()
    _check(page, axe)
    page.get_by_label("Country").fill("gb")
    page.get_by_label("Website").fill("not a website")
    page.get_by_role("button", name="Record it").click()
    page.wait_for_load_state()
    assert "Give the website as an address starting https://." in page.inner_text("main")
    page.get_by_label("Website").fill("https://bususers.example")
    page.get_by_role("button", name="Record it").click()
    page.wait_for_selector('h1:has-text("Leeds Bus Users\' Campaign")')
    assert "cooperation" in page.inner_text("main")
    _check(page, axe)

    page.get_by_role("link", name="Add a contact person").click()
    page.wait_for_load_state()
    _check(page, axe)
    page.get_by_label("Name").fill("Priya Shah")
    page.get_by_label("Email address").fill("priya@bususers.example")
    page.get_by_role("button", name="Add them").click()
    page.wait_for_load_state()
    main = page.inner_text("main")
    assert "nobody's details are kept without their consent" in main
    assert "Give the date they consented." in main
    assert page.get_by_label("What they consented to").get_attribute("aria-invalid") == "true"
    assert not ContactPerson.objects.exists()
    _check(page, axe)
    page.get_by_label("What they consented to").fill("to be emailed about bus campaigns")
    page.get_by_label("Date of consent").fill("2026-12-01")
    page.get_by_role("button", name="Add them").click()
    page.wait_for_selector("text=priya@bususers.example")
    assert "to be emailed about bus campaigns" in page.inner_text("main")
    _check(page, axe)
    assert ContactPerson.objects.get().consent_recorded_by == people.leeds_officer


def test_anyone_reads_a_joint_statement_in_both_languages(
    live_server, page, axe, org, people, partner_abroad, statement_rule
):
    statement_rule(needs_vote=False)
    relationship = partner_abroad.relationships.get()
    statement = services.joint_statement_draft(
        actor=people.national_officer,
        relationship=relationship,
        texts=[
            {"language": "en", "title": "Public transport for all", "text": "Together."},
            {"language": "de", "title": "Öffentlicher Verkehr für alle", "text": "Zusammen."},
        ],
    )
    services.joint_statement_agree(
        actor=people.national_officer, statement=statement, body=org.leadership
    )
    services.joint_statement_publish(actor=people.national_officer, statement=statement)
    base = live_server.url
    page.set_viewport_size({"width": 360, "height": 800})
    page.goto(f"{base}/")
    page.get_by_role("link", name="Public transport for all").click()
    page.wait_for_url(f"**/solidarity/{statement.pk}/")
    german = page.locator('article[lang="de"]')
    assert german.locator("h2").inner_text() == "Öffentlicher Verkehr für alle"
    assert page.locator('article[lang="en"] h1').inner_text() == "Public transport for all"
    assert "Bündnis Verkehrswende" in page.inner_text("main")
    _check(page, axe)
