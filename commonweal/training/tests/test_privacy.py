"""A learner's export holds their learning; erasure deletes their reflections and answers
and keeps the enrolment (as a former member's) for the organisation's counts."""

import json

import pytest
from django.urls import reverse

from commonweal.members.services import member_erase
from commonweal.training import services
from commonweal.training.models import CheckAnswer, Enrolment, Reflection

pytestmark = pytest.mark.django_db


def test_export_then_erasure_of_a_learner(client, training):
    t = training
    enrolment = services.enrol(actor=t.learner, course=t.course, cohort=t.cohort)
    services.module_done(actor=t.learner, enrolment=enrolment, module=t.m1)
    reflection = services.reflection_write(
        actor=t.learner, enrolment=enrolment, module=t.m2, text="REFLECT-qq9 we avoid conflict"
    )
    services.reflection_feedback(actor=t.tutor, reflection=reflection, feedback="FEEDBACK-qq9")
    services.check_answer(actor=t.learner, enrolment=enrolment, module=t.m2, answers=[0, 0])

    client.force_login(t.learner)
    export = client.get(reverse("members:export"))
    data = json.loads(b"".join(export.streaming_content) if export.streaming else export.content)
    (learning,) = data["training"]["enrolments"]
    assert learning["course"] == "Materialist dialectics"
    assert learning["reflections"][0]["text"] == "REFLECT-qq9 we avoid conflict"
    assert learning["reflections"][0]["feedback"] == "FEEDBACK-qq9"
    assert learning["checks"][0]["score"] == 1

    member_erase(member=t.learner, requested_by=t.learner)
    assert not Reflection.objects.filter(enrolment=enrolment).exists()
    assert not CheckAnswer.objects.filter(enrolment=enrolment).exists()
    assert Enrolment.objects.get(pk=enrolment.pk).modules_done == 1
    client.force_login(t.tutor)
    cohort = client.get(reverse("training:cohort", args=[t.cohort.pk])).content.decode()
    assert "former member" in cohort
    assert "Lena" not in cohort
    assert "REFLECT-qq9" not in cohort
