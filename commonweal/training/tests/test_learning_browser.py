"""A learner takes a module (reflection, scored check) and their tutor answers the
reflection, in a real browser at 360 px; every page passes axe-core."""

import pytest

from commonweal.notifications.models import Event
from commonweal.training.models import Enrolment, Reflection
from commonweal.training.services import enrol

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def fits(page) -> bool:
    return page.evaluate("document.documentElement.scrollWidth <= window.innerWidth")


def test_a_learner_takes_a_module_and_the_tutor_gives_feedback(
    live_server, page, axe, sign_in, training
):
    t = training
    base = live_server.url
    page.set_viewport_size({"width": 360, "height": 780})
    enrolment = enrol(actor=t.learner, course=t.course, cohort=t.cohort)

    sign_in(page, base, t.learner.email)
    page.goto(f"{base}/training/")
    assert "Materialist dialectics" in page.inner_text("main")
    assert axe(page) == []
    assert fits(page)
    page.click("main a:has-text('Materialist dialectics')")
    page.wait_for_url(f"{base}/training/courses/{t.course.slug}/")
    assert "0 of 3 modules" in page.inner_text("main")
    assert axe(page) == []
    assert fits(page)

    page.click("main a.button:has-text('Start')")
    page.wait_for_url("**/modules/1/")
    assert "Nothing stands still" in page.inner_text("main")
    page.click("main button:has-text('go on')")
    page.wait_for_url("**/modules/2/")
    assert "1 of 3 modules" in page.inner_text("main")
    assert axe(page) == []
    assert fits(page)

    # Going on before the check is answered is refused, with the reason on the page.
    page.click("main button:has-text('go on')")
    page.wait_for_selector("text=Answer the module's check first")
    assert Enrolment.objects.get(pk=enrolment.pk).modules_done == 1

    page.fill("textarea[name=text]", "My branch wants to grow and to rest at once.")
    page.click("main button:has-text('Save my reflection')")
    page.wait_for_selector("text=Your reflection is saved")
    page.get_by_label("Contradiction", exact=True).check()
    page.get_by_label("Quality", exact=True).check()
    page.click("main button:has-text('Submit my answers')")
    page.wait_for_selector("text=You scored 2 out of 2")
    assert axe(page) == []
    assert fits(page)
    page.click("main button:has-text('go on')")
    page.wait_for_url("**/modules/3/")
    assert "2 of 3 modules" in page.inner_text("main")

    page.context.clear_cookies()
    sign_in(page, base, t.tutor.email)
    page.goto(f"{base}/training/")
    page.click("main a:has-text('Autumn cohort')")
    page.wait_for_url(f"{base}/training/cohorts/{t.cohort.pk}/")
    assert "1 written, 1 awaiting feedback" in page.inner_text("main")
    assert axe(page) == []
    assert fits(page)
    page.click("main a:has-text('Lena Learner on Contradiction')")
    page.wait_for_url("**/reflections/*/")
    assert "grow and to rest" in page.inner_text("main")
    assert axe(page) == []
    assert fits(page)
    page.fill("textarea[name=feedback]", "Which pull is stronger now?")
    page.click("main button:has-text('Send feedback')")
    page.wait_for_selector("text=Your feedback is sent")
    assert Reflection.objects.get().feedback == "Which pull is stronger now?"
    assert Event.objects.filter(kind="training.feedback").exists()

    page.context.clear_cookies()
    sign_in(page, base, t.learner.email)
    page.goto(f"{base}/training/courses/{t.course.slug}/modules/2/")
    page.wait_for_selector("text=Which pull is stronger now?")
    assert axe(page) == []
    assert fits(page)
