"""An author writes a course with a module and a check and publishes it, and a learner then
finds it, in a real browser at 360 px; every page passes axe-core."""

import pytest

from commonweal.training.models import Course

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def fits(page) -> bool:
    return page.evaluate("document.documentElement.scrollWidth <= window.innerWidth")


def test_an_author_writes_and_publishes_a_course_and_a_learner_finds_it(
    live_server, page, axe, sign_in, training, org
):
    t = training
    base = live_server.url
    page.set_viewport_size({"width": 360, "height": 780})

    sign_in(page, base, t.author.email)
    page.goto(f"{base}/training/")
    page.click("main a:has-text('Write a course')")
    page.wait_for_url(f"{base}/training/write/")
    assert axe(page) == []
    assert fits(page)
    page.fill("input[name=title]", "Organising a branch")
    page.fill("textarea[name=summary]", "How a branch *works*.")
    page.select_option("select[name=unit]", str(org.north.pk))
    page.get_by_label("every module taken and every check passed").check()
    page.click("main button:has-text('Write the course')")
    page.wait_for_selector("text=now add its modules")
    assert axe(page) == []
    assert fits(page)

    page.click("main a:has-text('Add a module')")
    page.wait_for_url("**/draft/modules/new/")
    page.fill("input[name=title]", "Meetings")
    page.fill("textarea[name=text]", "A branch *meets* every month.")
    page.click("main button:has-text('Preview the text')")
    page.wait_for_selector("#preview em:has-text('meets')")
    assert axe(page) == []
    assert fits(page)
    page.fill("input[name=q1_prompt]", "How often does a branch meet?")
    page.fill("textarea[name=q1_choices]", "Every month\nNever")
    # Saved without its right choice: refused, with the reason beside the form.
    page.click("main button:has-text('Save the module')")
    page.wait_for_selector("text=needs its right choice marked")
    assert axe(page) == []
    page.fill("input[name=q1_right]", "1")
    page.click("main button:has-text('Save the module')")
    page.wait_for_selector("text=The module Meetings is saved")
    assert axe(page) == []
    assert fits(page)

    page.click("main a:has-text('Publish version 1')")
    page.wait_for_url("**/publish/")
    assert axe(page) == []
    assert fits(page)
    page.fill("input[name=note]", "First version")
    page.check("#confirm")
    page.click("main button:has-text('Publish')")
    page.wait_for_selector("text=Version 1 of Organising a branch is published")
    course = Course.objects.get(title="Organising a branch")
    assert course.current_version.number == 1
    assert course.completion == "checks"

    page.context.clear_cookies()
    sign_in(page, base, t.learner.email)
    page.goto(f"{base}/training/")
    page.click("main a:has-text('Organising a branch')")
    page.wait_for_url(f"{base}/training/courses/{course.slug}/")
    page.click("main button:has-text('Start at my own pace')")
    page.wait_for_selector("text=You are taking Organising a branch")
    page.click("main a.button:has-text('Start')")
    page.wait_for_url("**/modules/1/")
    assert "A branch meets every month." in page.inner_text("main")
    assert "How often does a branch meet?" in page.inner_text("main")
    assert axe(page) == []
    assert fits(page)
