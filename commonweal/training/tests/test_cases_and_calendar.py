"""Case material registered by a higher app shows on a module only to who may read it, and a
cohort's sessions appear in its learners' and tutor's calendar feeds."""

from datetime import timedelta

import pytest
from django.urls import reverse

from commonweal.core import clock
from commonweal.core.errors import Conflict, Refused
from commonweal.news.services import calendar_feed_renew
from commonweal.training import cases, services

pytestmark = pytest.mark.django_db

LESSONS = {
    7: cases.Case(title="What the rent strike taught us", summary="Start small.", url="/l/7/"),
    8: cases.Case(title="Secret post-mortem", summary="Officers only.", url="/l/8/"),
}


@pytest.fixture
def lessons():
    """A kind of case as an app above training would register it: lesson 8 is readable by
    the course's author only."""
    authors = set()
    kind = cases.CaseKind(
        key="test.lesson",
        label="lesson",
        fetch=lambda ids: {pk: LESSONS[pk] for pk in ids if pk in LESSONS},
        visible=lambda member, ids: {pk for pk in ids if pk != 8 or member.pk in authors},
    )
    cases.register(kind)
    yield authors
    cases.unregister("test.lesson")


def test_case_material_is_attached_to_a_draft_and_shown_to_those_who_may_read_it(
    client, training, lessons
):
    t = training
    lessons.add(t.author.pk)
    with pytest.raises(Conflict, match="attached to the draft"):
        services.case_attach(actor=t.author, module=t.m1, kind="test.lesson", object_id=7)
    services.course_draft(actor=t.author, course=t.course)
    module = t.course.versions.get(status="draft").modules.get(position=1)
    with pytest.raises(Refused, match="no such kind"):
        services.case_attach(actor=t.author, module=module, kind="nope", object_id=7)
    with pytest.raises(Refused, match="no such case"):
        services.case_attach(actor=t.author, module=module, kind="test.lesson", object_id=99)
    services.case_attach(actor=t.author, module=module, kind="test.lesson", object_id=7)
    services.case_attach(actor=t.author, module=module, kind="test.lesson", object_id=8)
    services.course_publish(actor=t.author, course=t.course)

    url = reverse("training:module", args=[t.course.slug, 1])
    client.force_login(t.learner)
    page = client.get(url).content.decode()
    assert "What the rent strike taught us" in page
    assert "Secret post-mortem" not in page
    client.force_login(t.author)
    assert "Secret post-mortem" in client.get(url).content.decode()


def test_cohort_sessions_are_in_the_calendar_feed_of_its_learners_and_tutor(client, training):
    t = training
    services.enrol(actor=t.learner, course=t.course, cohort=t.cohort)
    starts = clock.now() + timedelta(days=3)
    services.session_schedule(
        actor=t.tutor,
        cohort=t.cohort,
        title="Session on contradiction",
        starts_at=starts,
        ends_at=starts + timedelta(hours=1),
        module=t.m2,
    )
    with pytest.raises(Refused, match="ends after it starts"):
        services.session_schedule(
            actor=t.tutor,
            cohort=t.cohort,
            title="Backwards",
            starts_at=starts,
            ends_at=starts - timedelta(hours=1),
        )
    for person, sees in ((t.learner, True), (t.tutor, True), (t.neighbour, False)):
        _feed, secret = calendar_feed_renew(member=person)
        feed = client.get(reverse("news:calendar_ics", args=[secret])).content.decode()
        assert ("SUMMARY:Session on contradiction" in feed) is sees
