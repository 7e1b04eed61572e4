"""Script and event-handler markup in every text field the API takes never reaches a page.

Every write operation in the API schema is sent, by an officer and by a member, with
markup in each of its string fields, against the world's real objects. Whatever was
stored is then looked at through every page and every read of the API: pages may show
the markup as text, never as HTML; the API never answers with HTML.
"""

import json
import re

import pytest
from django.test import Client
from django.urls import reverse

from .test_authorisation_matrix import (
    example,
    page_routes,
    read_table,
    resolve_params,
    with_objects,
)

pytestmark = pytest.mark.django_db

SCRIPT = '<script>alert("xss")</script>'
HANDLER = '<img src=x onerror="alert(1)">'
MARKUP = f"Hello {SCRIPT} {HANDLER} there"
LIVE = re.compile(r"<script>alert|<img[^>]*\sonerror\s*=", re.I)


def with_markup(schema: dict, components: dict):
    """Every string field, required or not, filled with markup; the rest as `example`."""
    if "$ref" in schema:
        return with_markup(components[schema["$ref"].rsplit("/", 1)[1]], components)
    if schema.get("type", "object") == "object" and "properties" in schema:
        body = example(schema, components)
        for name, field in schema["properties"].items():
            target = field
            if "$ref" in field:
                target = components[field["$ref"].rsplit("/", 1)[1]]
            options = target.get("anyOf", [target])
            if any(
                o.get("type") == "string" and not ({"enum", "format"} & set(o)) for o in options
            ):
                body[name] = MARKUP
            elif any(
                o.get("type") == "array" and o.get("items", {}).get("type") == "string"
                for o in options
            ):
                body[name] = [MARKUP]
        return body
    return example(schema, components)


def test_markup_sent_to_every_write_never_reaches_a_page_as_html(world):
    from commonweal.config.api import api

    schema = api.get_openapi_schema()
    components = schema.get("components", {}).get("schemas", {})
    table = read_table()
    people = {
        role: Client(headers={"Authorization": f"Token {world.tokens[role]}"})
        for role in ("officer", "member")
    }
    stored = 0
    reads = []
    for path, methods in sorted(schema["paths"].items()):
        row = table.get((path, "GET"))
        if "GET" in {m.upper() for m in methods} and row:
            reads.append(_fill(path, resolve_params(world, row[0])))
        for method, operation in methods.items():
            content = operation.get("requestBody", {}).get("content", {})
            if "application/json" not in content:
                continue
            row = table.get((path, method.upper()))
            url = _fill(path, resolve_params(world, row[0]) if row else {})
            fields = with_markup(content["application/json"]["schema"], components)
            body = json.dumps(with_objects(fields, world))
            for client in people.values():
                response = client.generic(
                    method.upper(), url, body, content_type="application/json"
                )
                assert response.status_code < 500, f"{method} {url}: {response.status_code}"
                stored += response.status_code in (200, 201)
    assert stored > 20, "too few writes went through for the sweep to mean anything"

    shown = []
    for role in ("officer", "member", "admin"):
        client = Client()
        client.force_login(world.roles[role])
        for name in page_routes():
            row = table.get((name, "GET"))
            if row is None or "=?" in row[0]:
                continue
            response = client.get(reverse(name, kwargs=resolve_params(world, row[0])))
            html = response.get("Content-Type", "").startswith("text/html")
            if response.status_code != 200 or response.streaming or not html:
                continue
            if LIVE.search(response.content.decode(errors="replace")):
                shown.append(f"{name} as {role}")
        for url in reads:
            response = people.get(role, people["officer"]).get(url)
            if response.status_code == 200:
                assert not response["Content-Type"].startswith("text/html"), url
    assert not shown, "Markup shown as HTML on:\n" + "\n".join(shown)


def _fill(path: str, values: dict[str, str]) -> str:
    for name, value in values.items():
        path = path.replace("{" + name + "}", value)
    return path
