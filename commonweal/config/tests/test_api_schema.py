"""The OpenAPI document describes what each endpoint really takes and returns.

It names each schema by its class name alone, so two apps' different schemas with the
same name show as one: an endpoint would be documented with another's body (found when
POST /api/votes/ was documented as taking a statement's `choice`).
"""

import importlib
import inspect
import pkgutil
from collections import defaultdict

import pytest
from pydantic import BaseModel

import commonweal


def api_schemas() -> dict[str, list[type[BaseModel]]]:
    by_name = defaultdict(list)
    for found in pkgutil.walk_packages(commonweal.__path__, "commonweal."):
        if ".tests" in found.name or not found.name.endswith((".api", ".schemas")):
            continue
        module = importlib.import_module(found.name)
        for obj in vars(module).values():
            if (
                inspect.isclass(obj)
                and issubclass(obj, BaseModel)
                and obj.__module__ == module.__name__
            ):
                by_name[obj.__name__].append(obj)
    return by_name


def test_schemas_that_share_a_name_are_the_same_shape():
    clashes = []
    for name, models in sorted(api_schemas().items()):
        shapes = {repr(model.model_json_schema()) for model in models}
        if len(shapes) > 1:
            clashes.append(f"{name}: {', '.join(m.__module__ for m in models)}")
    assert not clashes, "Rename one of each (the OpenAPI document shows only one):\n" + "\n".join(
        clashes
    )


def test_the_documented_vote_body_is_the_one_the_endpoint_takes():
    from commonweal.config.api import api

    schema = api.get_openapi_schema()
    ref = schema["paths"]["/api/votes/"]["post"]["requestBody"]["content"]["application/json"]
    name = ref["schema"]["$ref"].rsplit("/", 1)[1]
    assert "method" in schema["components"]["schemas"][name]["properties"]


def test_every_rate_limited_operation_promises_when_to_retry():
    from commonweal.config.api import api

    limited = [
        (path, method, answers["429"])
        for path, operations in api.get_openapi_schema()["paths"].items()
        for method, operation in operations.items()
        for answers in [{str(code): answer for code, answer in operation["responses"].items()}]
        if "429" in answers
    ]
    assert ("/api/votes/{pk}/cast", "post") in {(path, method) for path, method, _ in limited}
    assert all(answer["headers"]["Retry-After"]["required"] for _, _, answer in limited)


def test_api_lists_paginate_with_the_bounded_paginator():
    """ninja's own limit/offset is unbounded: an offset past 64 bits reaches the database."""
    from pathlib import Path

    offenders = [
        str(path)
        for path in Path(commonweal.__path__[0]).glob("*/api.py")
        if "from ninja.pagination import LimitOffsetPagination" in path.read_text()
        or "ninja.pagination.LimitOffsetPagination" in path.read_text()
        or "LimitOffsetPagination, paginate" in path.read_text()
    ]
    assert offenders == [], "use commonweal.core.pagination.LimitOffsetPagination"


@pytest.mark.django_db
def test_answers_the_fuzzing_world_does_not_reach_have_the_documented_shape(
    world, client, org, make_member
):
    """ninja checks every answer against its declared schema (a mismatch is a server error),
    so these fill in what the world leaves empty: a computed opinion map, a debate's voice
    by group, the receipts of a closed secret vote."""
    from commonweal.core import clock
    from commonweal.discussion import services as discussion
    from commonweal.organisation.services import body_membership_add
    from commonweal.voting import services as voting
    from commonweal.voting.models import Vote

    statement = world.statement
    opinion_map = statement.opinion_map
    # The shape `discussion.services.opinion_map_recompute` stores.
    opinion_map.results = {
        "participants": 5,
        "groups": [{"label": "A", "size": 5, "distinctive": [statement.pk]}],
        "common": [statement.pk],
        "divisive": [],
        "figures": {str(statement.pk): [{"label": "A", "agree": 0.8, "disagree": 0.2, "seen": 5}]},
    }
    opinion_map.computed_at = clock.now()
    opinion_map.save()
    for n in range(5):
        voice = make_member(unit=org.leeds, full_name=f"Voice {n}")
        body_membership_add(body=world.body, member=voice)
        discussion.discussion_profile_save(member=voice, consent=True, region="Leeds")
        discussion.contribution_post(
            debate=world.debate, author=voice, stance="for", text=f"Reason {n}."
        )
    secret = Vote.objects.get(secret=True)  # the recall's
    voting.ballot_cast(vote=secret, voter=world.roles["member"], ranking=["yes"])
    voting.vote_close(vote=secret)

    client.force_login(world.roles["officer"])
    opinion = client.get(f"/api/discussion/debates/{world.debate.pk}/map")
    assert opinion.status_code == 200
    assert opinion.json()["groups"][0]["distinctive"][0]["groups"][0]["agree"] == 0.8
    debate = client.get(f"/api/discussion/debates/{world.debate.pk}")
    assert debate.status_code == 200
    assert debate.json()["voice_by_group"]["region"][0]["contributors"] == 5
    receipts = client.get(f"/api/votes/{secret.pk}/receipts")
    assert receipts.status_code == 200
    assert receipts.json()[0]["ranking"] == ["yes"]
