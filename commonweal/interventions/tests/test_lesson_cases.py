"""A lesson drawn from an intervention is attached to a course as case material, and a
learner sees it on the module only where they could read it among the lessons."""

import pytest
from django.urls import reverse

from commonweal.core.errors import Refused
from commonweal.interventions import services
from commonweal.interventions.cases import KIND
from commonweal.organisation.models import Body
from commonweal.organisation.services import body_create, body_membership_add
from commonweal.training import services as training

pytestmark = pytest.mark.django_db


def assessed(plan, chair, title, shared):
    intervention = plan(title=f"Intervention for {title}")
    services.intervention_start(intervention=intervention, by=chair)
    services.intervention_report(intervention=intervention, by=chair, report="Done.")
    assessment = services.intervention_assess(
        intervention=intervention,
        by=chair,
        worked="Drivers took the leaflets.",
        failed="Too few passengers.",
        why="Too late in the day.",
        lessons=[{"title": title, "text": "Go *before* the shift.", "shared": shared}],
    )
    return assessment.lessons.get()


def test_a_lesson_is_case_material_seen_only_by_who_may_read_it(
    client, org, plan, chair, make_member
):
    shared = assessed(plan, chair, "Leaflet before dawn", shared=True)
    branch_only = assessed(plan, chair, "Our branch's mistake", shared=False)
    department = body_create(name="Training Department", kind=Body.Kind.DEPARTMENT, unit=org.nation)
    body_membership_add(body=department, member=chair)
    course = training.course_create(
        actor=chair, body=department, unit=org.nation, title="Organising at work"
    )
    module = training.module_save(actor=chair, course=course, title="Leaflets", text="How.")

    stranger = make_member(unit=org.brighton)
    body_membership_add(body=department, member=stranger)
    with pytest.raises(Refused, match="no such case"):
        training.case_attach(actor=stranger, module=module, kind=KIND, object_id=branch_only.pk)
    assert not module.cases.exists()

    training.case_attach(actor=chair, module=module, kind=KIND, object_id=shared.pk)
    training.case_attach(actor=chair, module=module, kind=KIND, object_id=branch_only.pk)
    training.course_publish(actor=chair, course=course)
    course.refresh_from_db()

    url = reverse("training:module", args=[course.slug, 1])
    leeds, brighton = make_member(unit=org.leeds), make_member(unit=org.brighton)
    client.force_login(leeds)
    page = client.get(url).content.decode()
    assert "Leaflet before dawn" in page
    assert "Our branch&#x27;s mistake" in page
    assert f"#lesson-{shared.pk}" in page
    client.force_login(brighton)
    page = client.get(url).content.decode()
    assert "Leaflet before dawn" in page
    assert "Our branch" not in page
