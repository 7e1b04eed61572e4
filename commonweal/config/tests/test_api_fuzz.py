"""Schema-driven fuzzing of the whole API: whatever a client sends, the answer is the one
the published schema promises, and never a server error.

Schemathesis generates requests from the project's own /api/openapi.json; each goes
through the real WSGI application anonymously or with the API token of an officer, a
member, an applicant or an administrator, half of them naming the world's real objects (so
they reach past "not found"). Every answer is checked against the schema: no 5xx, a
status the operation declares, a declared content type and a body that matches the
declared schema for that status. Each request runs in a savepoint that is rolled back, so
a refused or broken one can leave nothing behind.
"""

import json
import os

import pytest
import schemathesis
from django.core.signals import request_finished, request_started
from django.core.wsgi import get_wsgi_application
from django.db import close_old_connections, transaction
from django.test import Client
from hypothesis import HealthCheck, Phase, given, settings
from hypothesis import strategies as st
from schemathesis import GenerationMode
from schemathesis.checks import not_a_server_error
from schemathesis.core import NotSet
from schemathesis.core.failures import FailureGroup
from schemathesis.specs.openapi.checks import (
    content_type_conformance,
    response_headers_conformance,
    response_schema_conformance,
    status_code_conformance,
)

from .test_authorisation_matrix import read_table, resolve_params

pytestmark = pytest.mark.django_db

# Per operation (117 of them), spread over valid, real-object and invalid requests and the
# roles: enough to get past the refusals, and about half a minute on SQLite. Set
# API_FUZZ_EXAMPLES for a deeper run by hand.
EXAMPLES = int(os.environ.get("API_FUZZ_EXAMPLES", "8"))
ROLES = ["anonymous", "officer", "member", "applicant", "admin"]
CHECKS = [
    not_a_server_error,
    status_code_conformance,
    content_type_conformance,
    response_headers_conformance,
    response_schema_conformance,
]
# A real server always tells the application the client's address; werkzeug's test client
# does not, and without one the rate-limited operations refuse before doing anything.
ENVIRON = {"REMOTE_ADDR": "192.0.2.10"}


@pytest.fixture
def connections_kept_open():
    """What Django's test client does: a request must not close the test's connection."""
    request_started.disconnect(close_old_connections)
    request_finished.disconnect(close_old_connections)
    yield
    request_started.connect(close_old_connections)
    request_finished.connect(close_old_connections)


@pytest.mark.usefixtures("connections_kept_open")
def test_every_generated_request_gets_the_answer_the_schema_promises(world):
    schema = schemathesis.openapi.from_wsgi("/api/openapi.json", get_wsgi_application())
    table = read_table()
    errors = []

    def real_objects(case):
        row = table.get((case.operation.path, case.method.upper()))
        if row and case.path_parameters:
            case.path_parameters = resolve_params(world, row[0])
        return case

    for result in schema.get_all_operations():
        operation = result.ok()
        generated = operation.as_strategy()
        cases = st.one_of(generated, generated.map(real_objects))
        if operation.path_parameters or operation.query or operation.body:
            # Invalid parameters and bodies too, so that the 422s are checked as well.
            cases |= operation.as_strategy(GenerationMode.NEGATIVE)

        @settings(
            max_examples=EXAMPLES,
            deadline=None,
            database=None,
            derandomize=True,
            phases=[Phase.explicit, Phase.generate],
            suppress_health_check=list(HealthCheck),
        )
        @given(
            case=cases,
            role=st.sampled_from(ROLES),
        )
        def fuzz(case, role):
            token = world.tokens.get(role)
            headers = {"Authorization": f"Token {token}"} if token else {}
            with transaction.atomic():
                response = case.call(headers=headers, environ_overrides=ENVIRON)
                transaction.set_rollback(True)
            try:
                case.validate_response(response, checks=CHECKS, headers=headers)
            except FailureGroup as group:
                # A BaseExceptionGroup: made an AssertionError so hypothesis reports it here.
                found = "; ".join(sorted({f.title for f in group.exceptions}))
                body = "" if isinstance(case.body, NotSet) else f" body={case.body!r}"
                content_type = response.headers.get("content-type", ["-"])[0]
                raise AssertionError(
                    f"{case.method} {case.formatted_path} as {role} query={case.query}{body} "
                    f"→ {response.status_code} {content_type}: {found}: {response.text[:200]}"
                ) from None

        try:
            fuzz()
        except AssertionError as failure:
            errors.append(str(failure).splitlines()[0])
    assert not errors, "Answers the schema does not promise:\n" + "\n".join(errors)


@pytest.mark.parametrize("cite", [2**63, 2**70, -(2**63) - 1])
def test_an_id_no_column_can_hold_is_refused_as_unknown(world, client, cite):
    """Found by the fuzzing: a citation id past 64 bits was a server error, not a refusal."""
    client.force_login(world.roles["officer"])
    url = f"/api/policy/proposals/{world.proposal.pk}/drafts"
    drafts = world.proposal.drafts.count()
    body = {"paragraphs": [{"text": "Fares are free.", "cites": [cite]}]}
    response = client.post(url, body, content_type="application/json")
    assert response.status_code == 400
    assert f"#{cite}" in response.json()["detail"]
    assert world.proposal.drafts.count() == drafts


@pytest.mark.parametrize(
    "url",
    [
        "/api/news/?offset=19261060884436826980352",
        "/api/news/?limit=56728228676747304978350080",
        "/api/news/public/policies?offset=-1",
        "/api/organisation/units?limit=0",
    ],
)
def test_list_bounds_a_database_cannot_hold_are_refused(world, client, url):
    """Found by the fuzzing: an offset or limit past 64 bits was a server error."""
    client.force_login(world.roles["member"])
    assert client.get(url).status_code == 422


@pytest.mark.parametrize(
    "url",
    [
        "/api/library/bodies/{slug}/documents?offset=1180591620717411303424",
        "/api/decisions/?page=7315832662114895360550588383232",
    ],
)
def test_a_page_past_any_offset_is_empty(world, client, url):
    """Found by the fuzzing: the decision register's page past 64 bits was a server error."""
    client.force_login(world.roles["member"])
    response = client.get(url.format(slug=world.body.slug))
    assert response.status_code == 200
    assert response.json() == []


@pytest.mark.parametrize(
    ("method", "url", "body"),
    [
        ("POST", "/api/notifications/mutes", {"thread": "news\x00:1"}),
        ("POST", "/api/notifications/mutes", {"thread\x00": "news:1"}),
        ("GET", "/api/discussion/positions?subject=policy.proposal%3A1%00", None),
    ],
)
def test_the_nul_character_is_refused_before_it_reaches_the_database(
    world, client, method, url, body
):
    """Found by the fuzzing on PostgreSQL, which cannot store NUL in text: a server error."""
    from commonweal.notifications.models import Mute

    client.force_login(world.roles["member"])
    before = Mute.objects.count()
    if body is None:
        response = client.get(url)
    else:
        response = client.generic(method, url, json.dumps(body), content_type="application/json")
    assert response.status_code == 400
    assert Mute.objects.count() == before


def test_a_request_without_any_credential_is_unauthorised_not_a_csrf_failure(world):
    """Found by the schema fuzzing: ninja checked the CSRF token before it looked for a
    session, so a POST with no credential was a 403 where a GET was a 401."""
    anonymous = Client(enforce_csrf_checks=True)
    response = anonymous.post("/api/news/", "{}", content_type="application/json")
    assert response.status_code == 401
    assert response.json() == {"detail": "Unauthorized"}


def test_a_client_whose_address_is_unknown_is_refused_in_json(world):
    """Found by the schema fuzzing: without REMOTE_ADDR the rate limits cannot count, and
    allauth's refusal was the site's HTML page in the middle of the API."""
    member = Client(headers={"Authorization": f"Token {world.tokens['member']}"})
    url = f"/api/policy/proposals/{world.proposal.pk}/support"
    response = member.post(url, REMOTE_ADDR="")
    assert response.status_code == 403
    assert response["Content-Type"].startswith("application/json")
    assert response.json()["detail"]
