"""Courses, reflections and progress asked by those who should not reach them: another
branch's member outside the scope, a suspended member, an external invitee, an API token
(a read token writing, a token reaching another member's enrolment), a non-tutor reading a
reflection. Each gets a 404 (or the API's refusal) and nothing changes."""

import json

import pytest
from allauth.mfa.totp.internal.auth import TOTP
from django.test import Client
from django.urls import reverse

from commonweal.core.errors import NotPermitted
from commonweal.members import services as members
from commonweal.members.models import Member
from commonweal.training import services
from commonweal.training.models import CheckAnswer, Enrolment, Reflection
from conftest import TOTP_SECRET

pytestmark = pytest.mark.django_db


@pytest.fixture
def taking(training):
    """The learner in the cohort, at module 2, with a reflection written there."""
    t = training
    t.enrolment = services.enrol(actor=t.learner, course=t.course, cohort=t.cohort)
    services.module_done(actor=t.learner, enrolment=t.enrolment, module=t.m1)
    t.reflection = services.reflection_write(
        actor=t.learner, enrolment=t.enrolment, module=t.m2, text="PRIVATE-rx7 I chair badly."
    )
    return t


def api(client, method: str, path: str, key: str, body=None):
    headers = {"HTTP_AUTHORIZATION": f"Token {key}"}
    if method == "get":
        return client.get(f"/api/training{path}", **headers)
    return client.post(
        f"/api/training{path}", json.dumps(body or {}), content_type="application/json", **headers
    )


def state():
    return (
        list(Enrolment.objects.values_list("pk", "status", "modules_done").order_by("pk")),
        list(Reflection.objects.values_list("pk", "text", "feedback").order_by("pk")),
        CheckAnswer.objects.count(),
    )


def test_another_branchs_member_outside_the_scope_sees_nothing(client, taking):
    t = taking
    before = state()
    client.force_login(t.outsider)
    for url in (
        reverse("training:course", args=[t.course.slug]),
        reverse("training:module", args=[t.course.slug, 1]),
        reverse("training:cohort", args=[t.cohort.pk]),
        reverse("training:reflection", args=[t.reflection.pk]),
        reverse("training:progress", args=[t.course.slug]),
    ):
        response = client.get(url)
        assert response.status_code == 404, url
        assert b"PRIVATE-rx7" not in response.content
    assert client.post(reverse("training:enrol", args=[t.course.slug])).status_code == 404
    assert t.course.title not in client.get(reverse("training:list")).content.decode()
    with pytest.raises(NotPermitted):
        services.enrol(actor=t.outsider, course=t.course)
    assert state() == before


def test_a_suspended_learner_can_no_longer_learn(client, taking, make_officer, org):
    t = taking
    officer = make_officer(org.leeds)
    _token, key = members.api_token_create(member=t.learner, name="app", scope="write")
    members.member_suspend(member=t.learner, officer=officer, reason="Under investigation")
    learner = Member.objects.get(pk=t.learner.pk)
    before = state()
    client.force_login(learner)
    assert client.get(reverse("training:course", args=[t.course.slug])).status_code == 404
    assert client.get(reverse("training:reflection", args=[t.reflection.pk])).status_code == 404
    with pytest.raises(NotPermitted):
        services.check_answer(actor=learner, enrolment=t.enrolment, module=t.m2, answers=[0, 1])
    # Suspension revoked the token.
    answer = api(
        Client(), "post", f"/enrolments/{t.enrolment.pk}/modules/2/check", key, {"answers": [0, 1]}
    )
    assert answer.status_code == 401
    assert state() == before


def test_an_external_invitee_sees_no_course(client, taking, make_member):
    t = taking
    external = make_member(unit=None, status=Member.Status.EXTERNAL)
    _token, key = members.api_token_create(member=external, name="app", scope="write")
    client.force_login(external)
    assert client.get(reverse("training:list")).status_code == 404
    assert client.get(reverse("training:course", args=[t.course.slug])).status_code == 404
    assert api(client, "get", "/courses", key).json() == []
    assert api(client, "post", f"/courses/{t.course.slug}/enrol", key).status_code == 404
    assert not Enrolment.objects.filter(member=external).exists()


def test_tokens_act_only_as_their_member_and_a_read_token_does_not_write(client, taking):
    t = taking
    _t, read_key = members.api_token_create(member=t.neighbour, name="read", scope="read")
    _t, write_key = members.api_token_create(member=t.neighbour, name="write", scope="write")
    before = state()
    assert api(client, "post", f"/courses/{t.course.slug}/enrol", read_key).status_code == 403
    # Another member's enrolment is not found, whatever the token may do.
    for path, body in (
        (f"/enrolments/{t.enrolment.pk}", None),
        (f"/enrolments/{t.enrolment.pk}/modules/2/check", {"answers": [0, 1]}),
        (f"/enrolments/{t.enrolment.pk}/modules/2/reflection", {"text": "Mine now"}),
        (f"/enrolments/{t.enrolment.pk}/modules/2/done", None),
    ):
        method = "get" if body is None and path.endswith(str(t.enrolment.pk)) else "post"
        assert api(client, method, path, write_key, body).status_code == 404, path
    assert state() == before
    assert api(client, "post", f"/courses/{t.course.slug}/enrol", write_key).status_code == 201


def test_a_non_tutor_reading_or_answering_a_reflection_gets_a_404(client, taking, make_member):
    t = taking
    before = state()
    admin = make_member(is_staff=True, is_superuser=True)
    TOTP.activate(admin, TOTP_SECRET)
    for who in (t.author, t.neighbour, admin):
        client.force_login(who)
        url = reverse("training:reflection", args=[t.reflection.pk])
        response = client.get(url)
        assert response.status_code == 404
        assert b"PRIVATE-rx7" not in response.content
        assert client.post(url, {"feedback": "Hijacked"}).status_code == 404
        cohort = client.get(reverse("training:cohort", args=[t.cohort.pk]))
        assert b"PRIVATE-rx7" not in cohort.content
    with pytest.raises(NotPermitted):
        services.reflection_feedback(actor=t.author, reflection=t.reflection, feedback="Hijacked")
    assert state() == before
    client.force_login(t.tutor)
    own = client.get(reverse("training:reflection", args=[t.reflection.pk]))
    assert b"PRIVATE-rx7" in own.content
