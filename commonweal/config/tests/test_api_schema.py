"""The OpenAPI document describes what each endpoint really takes and returns.

It names each schema by its class name alone, so two apps' different schemas with the
same name show as one: an endpoint would be documented with another's body (found when
POST /api/votes/ was documented as taking a statement's `choice`).
"""

import importlib
import inspect
import pkgutil
from collections import defaultdict

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
