"""The authors' services and pages: writing, editing, publishing and withdrawing a course,
starting and closing cohorts. Every refusal changes nothing."""

from datetime import date

import pytest
from django.urls import reverse

from commonweal.core.errors import Conflict, NotPermitted, Refused
from commonweal.notifications.models import Event
from commonweal.training import services
from commonweal.training.models import Cohort, Course, CourseVersion, Enrolment, Module

from .conftest import fresh

pytestmark = pytest.mark.django_db


def test_publishing_an_empty_draft_is_refused_and_changes_nothing(training, org):
    t = training
    course = services.course_create(
        actor=t.author, body=t.department, unit=org.north, title="Empty"
    )
    with pytest.raises(Refused, match="at least one module"):
        services.course_publish(actor=t.author, course=course)
    course = fresh(course)
    assert course.current_version is None
    assert course.versions.get().status == CourseVersion.Status.DRAFT


def test_a_check_without_its_right_answer_is_refused_and_changes_nothing(training):
    t = training
    draft = services.course_draft(actor=t.author, course=t.course)
    before = list(draft.modules.values_list("title", flat=True))
    question = {"prompt": "Which?", "choices": ["A", "B"], "correct": None}
    with pytest.raises(Refused, match="right choice marked"):
        services.module_save(actor=t.author, course=t.course, title="New", check=[question])
    assert list(draft.modules.values_list("title", flat=True)) == before


def test_a_module_moves_up_and_down_in_the_draft_only(training):
    t = training
    draft = services.course_draft(actor=t.author, course=t.course)
    third = draft.modules.get(position=3)
    services.module_move(actor=t.author, module=third, by=-1)
    assert list(draft.modules.order_by("position").values_list("title", flat=True)) == [
        "Everything changes",
        "Leaps",
        "Contradiction",
    ]
    # At the top it stays where it is.
    first = draft.modules.get(position=1)
    services.module_move(actor=t.author, module=first, by=-1)
    assert draft.modules.get(position=1).pk == first.pk
    with pytest.raises(Conflict, match="published versions stay"):
        services.module_move(actor=t.author, module=t.m1, by=1)
    with pytest.raises(NotPermitted):
        services.module_move(actor=t.learner, module=third, by=1)
    assert list(t.v1.modules.order_by("position").values_list("pk", flat=True)) == [
        t.m1.pk,
        t.m2.pk,
        t.m3.pk,
    ]


def test_a_tutor_who_is_not_a_member_in_good_standing_is_refused(training, make_member, org):
    t = training
    suspended = make_member(unit=org.leeds, status="suspended")
    with pytest.raises(Refused, match="member in good standing"):
        services.cohort_create(
            actor=t.author,
            course=t.course,
            name="Spring",
            tutor=suspended,
            starts_on=date(2027, 3, 1),
        )
    assert not Cohort.objects.filter(name="Spring").exists()


def test_closing_a_cohort_stops_its_learners_keeps_completions_and_tells_them(
    training, make_member, org
):
    t = training
    under_way = services.enrol(actor=t.learner, course=t.course, cohort=t.cohort)
    done = services.enrol(actor=t.neighbour, course=t.course, cohort=t.cohort)
    services.module_done(actor=t.neighbour, enrolment=done, module=t.m1)
    services.check_answer(actor=t.neighbour, enrolment=done, module=t.m2, answers=[0, 1])
    services.module_done(actor=t.neighbour, enrolment=done, module=t.m2)
    services.module_done(actor=t.neighbour, enrolment=done, module=t.m3)

    with pytest.raises(NotPermitted):
        services.cohort_close(actor=t.tutor, cohort=t.cohort)
    services.cohort_close(actor=t.author, cohort=t.cohort)

    assert Enrolment.objects.get(pk=done.pk).status == Enrolment.Status.COMPLETED
    under_way = Enrolment.objects.get(pk=under_way.pk)
    assert under_way.status == Enrolment.Status.LEFT
    event = Event.objects.get(kind="training.cohort_closed")
    assert set(event.member_ids) == {t.learner.pk, t.neighbour.pk, t.tutor.pk}
    with pytest.raises(Conflict, match="cohort is closed"):
        services.module_done(actor=t.learner, enrolment=under_way, module=t.m1)
    newcomer = make_member(unit=org.york)
    with pytest.raises(Refused, match="cohort is closed"):
        services.enrol(actor=newcomer, course=t.course, cohort=t.cohort)
    closed_at = Cohort.objects.get(pk=t.cohort.pk).closed_at
    with pytest.raises(Conflict, match="already closed"):
        services.cohort_close(actor=t.author, cohort=t.cohort)
    assert Cohort.objects.get(pk=t.cohort.pk).closed_at == closed_at
    assert Event.objects.filter(kind="training.cohort_closed").count() == 1
    # The learner stopped may start again, in another cohort or alone.
    services.enrol(actor=t.learner, course=t.course)


# --- pages ----------------------------------------------------------------------------------


def author_pages(t, cohort=None):
    slug = t.course.slug
    return [
        reverse("training:write"),
        reverse("training:draft", args=[slug]),
        reverse("training:module_add", args=[slug]),
        reverse("training:module_edit", args=[slug, 1]),
        reverse("training:module_remove", args=[slug, 1]),
        reverse("training:publish", args=[slug]),
        reverse("training:withdraw", args=[slug]),
        reverse("training:cohort_add", args=[slug]),
        reverse("training:cohort_close", args=[t.cohort.pk]),
    ]


def test_every_author_page_is_a_404_to_a_non_author(training, client):
    t = training
    services.course_draft(actor=t.author, course=t.course)
    for member in (t.learner, t.tutor, t.outsider):
        client.force_login(member)
        for url in author_pages(t):
            assert client.get(url).status_code == 404, (member, url)
            assert client.post(url, {"confirm": "1", "title": "X"}).status_code == 404
    assert fresh(t.course).withdrawn_at is None
    assert Cohort.objects.get(pk=t.cohort.pk).closed_at is None
    client.force_login(t.author)
    for url in author_pages(t):
        assert client.get(url).status_code == 200, url


def test_an_author_writes_a_course_with_a_module_and_a_check_and_publishes_it(
    training, client, org
):
    t = training
    client.force_login(t.author)
    response = client.post(
        reverse("training:write"),
        {
            "title": "Organising a branch",
            "kind": "course",
            "body": t.department.pk,
            "unit": org.north.pk,
            "self_paced": "1",
            "completion": "checks",
            "pass_mark": "50",
        },
    )
    course = Course.objects.get(title="Organising a branch")
    assert response.url == reverse("training:draft", args=[course.slug])
    assert course.self_paced
    assert course.completion == "checks"
    assert course.pass_mark == 50

    module_url = reverse("training:module_add", args=[course.slug])
    preview = client.post(
        module_url, {"title": "Meetings", "text": "A *branch* meets.", "preview": "1"}
    )
    assert "<em>branch</em>" in preview.content.decode()
    assert not Module.objects.filter(version__course=course).exists()
    data = {
        "title": "Meetings",
        "text": "A *branch* meets.",
        "q1_prompt": "How often?",
        "q1_choices": "Monthly\nNever",
    }
    page = client.post(module_url, data)
    assert "right choice marked" in page.content.decode()
    assert not Module.objects.filter(version__course=course).exists()
    client.post(module_url, {**data, "q1_right": "1"})
    module = Module.objects.get(version__course=course)
    assert [(q.prompt, q.choices, q.correct) for q in module.check_questions.all()] == [
        ("How often?", ["Monthly", "Never"], 0)
    ]

    publish_url = reverse("training:publish", args=[course.slug])
    client.post(publish_url, {"note": "First"})
    assert fresh(course).current_version is None  # not confirmed: nothing happens
    client.post(publish_url, {"note": "First", "confirm": "1"})
    course = fresh(course)
    assert course.current_version.number == 1
    assert course.current_version.note == "First"

    client.force_login(t.learner)
    page = client.get(reverse("training:list"))
    assert "Organising a branch" in page.content.decode()


def test_an_author_starts_a_cohort_naming_the_tutor_by_email(training, client):
    t = training
    client.force_login(t.author)
    url = reverse("training:cohort_add", args=[t.course.slug])
    page = client.post(
        url,
        {
            "name": "Winter",
            "tutor_email": "nobody@example.org",
            "starts_on": "2027-01-10",
            "places": "12",
        },
    )
    assert "member in good standing" in page.content.decode()
    assert not Cohort.objects.filter(name="Winter").exists()
    response = client.post(
        url,
        {
            "name": "Winter",
            "tutor_email": t.tutor.email.upper(),
            "starts_on": "2027-01-10",
            "places": "12",
        },
    )
    cohort = Cohort.objects.get(name="Winter")
    assert response.url == reverse("training:cohort", args=[cohort.pk])
    assert cohort.tutor == t.tutor
    assert cohort.places == 12


def test_a_learner_reads_the_version_they_completed_as_it_was(training, client):
    t = training
    enrolment = services.enrol(actor=t.learner, course=t.course)
    services.module_done(actor=t.learner, enrolment=enrolment, module=t.m1)
    services.check_answer(actor=t.learner, enrolment=enrolment, module=t.m2, answers=[0, 1])
    services.module_done(actor=t.learner, enrolment=enrolment, module=t.m2)
    services.module_done(actor=t.learner, enrolment=enrolment, module=t.m3)
    draft = services.course_draft(actor=t.author, course=t.course)
    services.module_save(
        actor=t.author,
        course=t.course,
        module=draft.modules.get(position=1),
        title="Everything changes, always",
        text="Rewritten.",
    )
    services.course_publish(actor=t.author, course=t.course, note="clearer")

    client.force_login(t.learner)
    page = client.get(reverse("training:course", args=[t.course.slug])).content.decode()
    assert "read version 1 as it was" in page
    old = client.get(reverse("training:version_module", args=[t.course.slug, 1, 1]))
    assert "Nothing <em>stands still</em>" in old.content.decode()
    assert "Rewritten" not in old.content.decode()
    # A version they never took, and a draft, are not theirs to read.
    assert client.get(reverse("training:version", args=[t.course.slug, 2])).status_code == 404
    client.force_login(t.neighbour)
    assert client.get(reverse("training:version", args=[t.course.slug, 1])).status_code == 404
    client.force_login(t.author)
    assert client.get(reverse("training:version", args=[t.course.slug, 2])).status_code == 200
