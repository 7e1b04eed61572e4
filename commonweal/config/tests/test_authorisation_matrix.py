"""Every page and API operation, asked by every role, answers as `authorisation.txt` says.

The routes come from the URL configuration and the API's OpenAPI schema, so a new page
or endpoint without a line in the table fails here with the line to add. Each request
runs in a savepoint that is rolled back, so state-changing requests leave nothing
behind for the next role; for every role the table refuses, the test also checks that
the refused request wrote nothing at all.
"""

import csv
import io
import json
import re
from dataclasses import dataclass
from pathlib import Path

import pytest
from django.apps import apps
from django.conf import settings
from django.contrib.messages import ERROR
from django.db import connection, transaction
from django.forms import BaseForm
from django.http import StreamingHttpResponse
from django.shortcuts import resolve_url
from django.test import Client
from django.urls import URLPattern, URLResolver, get_resolver, reverse

from .world import INTERNAL, ROLES

pytestmark = pytest.mark.django_db

TABLE = Path(__file__).with_name("authorisation.txt")
HEADER = ["route", "method", "params", *ROLES]
REFUSALS = {"login", "refused", "invalid", "400", "401", "403", "404", "405", "409", "422"}
# Who must never see what only members see, and the pages that open by a secret in their
# address (an invitation, a calendar feed, an unsubscribe link) rather than by role.
OUTSIDERS = {"anonymous", "applicant", "external"}
FORMULA_START = ("=", "+", "-", "@", "\t", "\r")
# A cell a spreadsheet reads as a plain number ("-3", "1.5", "-1E+2"): what the exports
# write for real numbers, which the neutraliser leaves alone so sums still add up.
NUMBER = re.compile(r"[+-]?(\d+(\.\d*)?|\.\d+)([eE][+-]?\d+)?")
# How much of a streamed download is read: the world's fits, a runaway export is cut off.
STREAM_READ_LIMIT = 64 * 1024
BY_SECRET = {
    "policy:external",
    "news:calendar_ics",
    "notifications:unsubscribe",
    "act:confirm",
    "act:manage",
}
# Django's own admin and allauth's account pages are theirs, not ours, to authorise.
NOT_OURS = ("admin:", "account_", "mfa_", "api:")
PAGE_METHODS = ("GET", "POST")
UNTOUCHED = {"django_session"}


@dataclass(frozen=True)
class Route:
    name: str
    method: str
    params: str
    path: str = ""


# Forms a role may open although it may not act through them: posted filled in, so the
# refusal is the service's own and not the form's "this field is required".
FORM_DATA = {
    "policy:draft_edit": {"text": "Fares are free for everyone.", "note": ""},
    "meetings:close": {"confirm": "1"},
    "meetings:open": {"confirm": "1"},
    "discussion:check_close": {"confirm": "1"},
    "meetings:recall_start": {"reason": "Missed every meeting this year."},
    "meetings:minutes": {"text": "We met and agreed."},
    "meetings:report": {"text": "What I did this year."},
    "members:suspend": {"reason": "Abusive messages."},
    "library:withdraw": {"reason": "Out of date."},
    "news:notice_take_down": {"reason": "Not about the branch."},
}


def read_table() -> dict[tuple[str, str], list[str]]:
    rows: dict[tuple[str, str], list[str]] = {}
    for number, line in enumerate(TABLE.read_text().splitlines(), 1):
        if not line.strip() or line.lstrip().startswith("#"):
            continue
        cells = line.split()
        assert len(cells) == len(HEADER), f"authorisation.txt line {number}: {len(cells)} cells"
        rows[(cells[0], cells[1])] = cells[2:]
    return rows


def page_routes() -> dict[str, list[str]]:
    """URL name → its parameters, for every named page outside the API, admin and allauth."""

    def walk(patterns, namespace=""):
        for pattern in patterns:
            if isinstance(pattern, URLResolver):
                inner = pattern.namespace or ""
                yield from walk(
                    pattern.url_patterns,
                    f"{namespace}:{inner}".strip(":") if inner else namespace,
                )
            elif isinstance(pattern, URLPattern) and pattern.name:
                yield (
                    f"{namespace}:{pattern.name}".strip(":"),
                    list(pattern.pattern.regex.groupindex),
                )

    found = dict(walk(get_resolver().url_patterns))
    return {name: found[name] for name in sorted(found) if not name.startswith(NOT_OURS)}


def api_operations() -> list[tuple[str, str, dict]]:
    from commonweal.config.api import api

    schema = api.get_openapi_schema()
    return [
        (method.upper(), path, operation)
        for path, methods in sorted(schema["paths"].items())
        for method, operation in methods.items()
    ]


def read_content(response) -> bytes:
    """The answer's body; of a streamed CSV download, its first STREAM_READ_LIMIT bytes.

    Called while the request's savepoint is still open, as a download may write (the
    members list audits each chunk as it goes out), so that is rolled back and counted
    too. Other streamed answers (files) are not read.
    """
    if not response.streaming:
        return response.content
    content = b""
    if response.get("Content-Type", "").startswith("text/csv"):
        for chunk in response.streaming_content:
            content += chunk
            if len(content) >= STREAM_READ_LIMIT:
                break
    # Ends the request as the test client does once a stream is read to its end;
    # `response.close()` would also send request_finished, which closes the test's
    # database connection.
    response._iterator.close()
    return content


def spreadsheet_formulas(response, content: bytes) -> list[str]:
    """Cells of a CSV answer that a spreadsheet would run (the world carries some).

    A cut-off download's last row may be cut too, so it is left out; a cell that reads
    as a number is a number, not a formula.
    """
    if not response.get("Content-Type", "").startswith("text/csv"):
        return []
    text = content.decode("utf-8-sig", errors="replace")
    rows = list(csv.reader(io.StringIO(text, newline="")))
    if len(content) >= STREAM_READ_LIMIT:
        rows = rows[:-1]
    return [
        cell
        for row in rows
        for cell in row
        if cell.lstrip().startswith(FORMULA_START) and not NUMBER.fullmatch(cell)
    ]


def fingerprint() -> tuple:
    """Rows in every table (sessions aside) and the newest record entry, in one query."""
    tables = sorted(
        model._meta.db_table
        for model in apps.get_models()
        if model._meta.managed and model._meta.db_table not in UNTOUCHED
    )
    quote = connection.ops.quote_name
    counts = ", ".join(f"(SELECT COUNT(*) FROM {quote(t)})" for t in tables)  # noqa: S608
    sql = f"SELECT {counts}"
    with connection.cursor() as cursor:
        cursor.execute(sql)
        return tuple(zip(tables, cursor.fetchone(), strict=True))


def has_form_errors(response) -> bool:
    contexts = response.context or []
    if not isinstance(contexts, list):
        contexts = [contexts]
    return any(
        isinstance(value, BaseForm) and value.is_bound and bool(value.errors)
        for context in contexts
        for value in context.flatten().values()
    )


def outcome(response) -> str:
    """The status, with redirects told apart (to sign in, refused with a message, or on) and
    a form shown again with its errors ("invalid") apart from a page simply shown."""
    if response.status_code in (301, 302, 303):
        location = response["Location"]
        queued = getattr(response.wsgi_request, "_messages", None)
        if location.startswith(resolve_url(settings.LOGIN_URL)):
            return "login"
        if location.startswith(reverse("mfa_activate_totp")):
            return "2fa"
        if queued and any(m.level >= ERROR for m in queued._queued_messages):
            return "refused"
        return "302"
    if response.status_code == 200 and response.request["REQUEST_METHOD"] != "GET":
        return "invalid" if has_form_errors(response) else "200"
    return str(response.status_code)


def resolve_params(world, params: str) -> dict[str, str]:
    """`pk=proposal,number=draft_number` → the objects' keys from the world."""
    if params == "-":
        return {}
    values = {}
    for pair in params.split(","):
        name, _, attr = pair.partition("=")
        value = getattr(world, attr)
        if name == "slug" and hasattr(value, "slug"):
            value = value.slug
        elif hasattr(value, "pk"):
            value = value.pk
        values[name] = str(value)
    return values


def clients(world, api: bool) -> dict[str, Client]:
    result = {}
    for role in ROLES:
        person = world.roles[role]
        if api:
            headers = {"Authorization": f"Token {world.tokens[role]}"} if person else {}
            result[role] = Client(headers=headers)
        else:
            client = Client()
            if person is not None:
                client.force_login(person)
            result[role] = client
    return result


def ask(client: Client, method: str, url: str, data, refused: bool) -> tuple[str, bool, bytes]:
    """The outcome, whether the database changed, the content; nothing is kept either way."""
    with transaction.atomic():
        before = fingerprint() if refused else None
        if method == "GET":
            response = client.get(url)
        elif data is None:
            response = client.generic(method, url)
        elif isinstance(data, dict) and method == "POST" and not url.startswith("/api/"):
            response = client.post(url, data)
        else:
            response = client.generic(method, url, data, content_type="application/json")
        content = read_content(response)
        changed = refused and fingerprint() != before
        transaction.set_rollback(True)
    formulas = spreadsheet_formulas(response, content)
    assert not formulas, f"{url}: CSV cells a spreadsheet would run: {formulas}"
    return outcome(response), changed, content


def check(routes, table, world, api: bool, url_for, data_for) -> None:
    people = clients(world, api)
    missing, wrong, written, leaked = [], [], [], []
    for route in routes:
        expected = table.get((route.name, route.method))
        if expected is None and route.params != "-":
            missing.append(f"{route.name}  {route.method}  {route.params}  ?")
            continue
        params = expected[0] if expected else route.params
        url = url_for(route, resolve_params(world, params))
        observed = []
        for index, role in enumerate(ROLES):
            want = expected[index + 1] if expected else None
            writes = route.method != "GET" and want in REFUSALS - {"405"}
            got, changed, content = ask(people[role], route.method, url, data_for(route), writes)
            observed.append(got)
            if role in OUTSIDERS and route.name not in BY_SECRET and INTERNAL.encode() in content:
                leaked.append(f"{route.method} {url} as {role}")
            if changed:
                written.append(f"{route.method} {url} as {role}: refused ({got}) but wrote")
        line = "  ".join([route.name, route.method, params, *observed])
        if expected is None:
            missing.append(line)
        elif observed != expected[1:]:
            wrong.append(
                f"{route.method} {url}\n    table: {' '.join(expected[1:])}\n"
                f"    seen:  {' '.join(observed)}\n    line:  {line}"
            )
    message = []
    if missing:
        message.append(
            "These routes have no line in authorisation.txt; check each outcome is what the "
            "role should get, then add the line (name the world's object for each URL "
            "parameter, e.g. pk=proposal):\n" + "\n".join(missing)
        )
    if wrong:
        message.append("These routes answer differently from the table:\n" + "\n".join(wrong))
    if leaked:
        message.append("Members-only content shown to outsiders:\n" + "\n".join(leaked))
    if written:
        message.append("Refused requests that changed the database:\n" + "\n".join(written))
    assert not message, "\n\n".join(message)


def streamed_csv(lines):
    return StreamingHttpResponse((line for line in lines), content_type="text/csv; charset=utf-8")


def test_the_csv_check_reads_a_download_and_tells_numbers_from_formulas():
    response = streamed_csv(
        [
            "\ufeffName,Votes,Share\r\n",
            "Ann,-3,1.5\r\n",
            "'=1+1,-1E+2,.5\r\n",
            '"  =HYPERLINK(""x"")",-2+3,@SUM(A1)\r\n',
        ]
    )
    content = read_content(response)
    assert content.startswith(b"\xef\xbb\xbfName,")
    assert spreadsheet_formulas(response, content) == ['  =HYPERLINK("x")', "-2+3", "@SUM(A1)"]


def test_only_the_start_of_a_download_is_read():
    sent = []

    def endless():
        try:
            while True:
                sent.append(1)
                yield "=1+1," + "x" * 1000 + "\r\n"
        finally:
            sent.append("closed")

    response = streamed_csv(endless())
    content = read_content(response)
    assert STREAM_READ_LIMIT <= len(content) < STREAM_READ_LIMIT + 1100
    assert sent[-1] == "closed"
    assert len(spreadsheet_formulas(response, content)) == len(sent) - 2  # the cut row left out


def test_every_page_answers_every_role_as_the_table_says(world):
    table = read_table()
    routes = [
        Route(name, method, ",".join(f"{p}=?" for p in params) or "-")
        for name, params in page_routes().items()
        for method in PAGE_METHODS
    ]
    stale = {key for key in table if not key[0].startswith("/api/")} - {
        (r.name, r.method) for r in routes
    }
    assert not stale, f"authorisation.txt names routes that no longer exist: {sorted(stale)}"
    check(
        routes,
        table,
        world,
        api=False,
        url_for=lambda route, kwargs: reverse(route.name, kwargs=kwargs),
        data_for=lambda route: FORM_DATA.get(route.name, {"matrix": "1"}),
    )


def example(schema: dict, components: dict):
    """The smallest body the schema accepts: each required field with a plain value."""
    if "$ref" in schema:
        return example(components[schema["$ref"].rsplit("/", 1)[1]], components)
    for key in ("anyOf", "oneOf", "allOf"):
        if key in schema:
            options = [s for s in schema[key] if s.get("type") != "null"]
            return example(options[0], components)
    if "enum" in schema:
        return schema["enum"][0]
    if "default" in schema:
        return schema["default"]
    kind = schema.get("type", "object")
    if kind == "object":
        properties = schema.get("properties", {})
        return {name: example(properties[name], components) for name in schema.get("required", [])}
    if kind == "array":
        return []
    if kind == "string":
        return {"date-time": "2030-01-01T10:00:00Z", "date": "2030-01-01"}.get(
            schema.get("format", ""), "Matrix text"
        )
    return {"integer": 1, "number": 1, "boolean": False}[kind]


# Fields of request bodies that name another object: filled with the world's, so that the
# outcome does not depend on which ids the database happens to hand out.
BODY_OBJECTS = {
    "section_id": "section",
    "paragraph_id": "paragraph",
    "tendency_id": "tendency",
    "decision_id": "decision",
    "unit_id": "unit",
    "body": "body",
    "member_id": "profile",
    "mentor_id": "mentor",
    "meeting": "meeting",
}


# Secrets that travel in a request body rather than in a URL: filled with the world's.
BODY_SECRETS = {"token": "external_token"}


def with_objects(body, world):
    if isinstance(body, dict):
        for key, attr in BODY_OBJECTS.items():
            if key in body:
                obj = getattr(world, attr)
                body[key] = obj.slug if isinstance(body[key], str) else obj.pk
        for key, attr in BODY_SECRETS.items():
            if key in body:
                body[key] = getattr(world, attr)
    return body


def test_every_api_operation_answers_every_role_as_the_table_says(world):
    from commonweal.config.api import api

    schema = api.get_openapi_schema()
    components = schema.get("components", {}).get("schemas", {})
    table = read_table()
    routes, bodies = [], {}
    for path, methods in sorted(schema["paths"].items()):
        for method, operation in methods.items():
            names = [p["name"] for p in operation.get("parameters", []) if p["in"] == "path"]
            route = Route(path, method.upper(), ",".join(f"{n}=?" for n in names) or "-")
            routes.append(route)
            content = operation.get("requestBody", {}).get("content", {})
            if "application/json" in content:
                body = example(content["application/json"]["schema"], components)
                bodies[route] = json.dumps(with_objects(body, world))
    stale = {key for key in table if key[0].startswith("/api/")} - {
        (r.name, r.method) for r in routes
    }
    assert not stale, f"authorisation.txt names operations that no longer exist: {sorted(stale)}"

    def url_for(route: Route, kwargs: dict[str, str]) -> str:
        path = route.name
        for name, value in kwargs.items():
            path = path.replace("{" + name + "}", value)
        return path

    check(
        routes,
        table,
        world,
        api=True,
        url_for=url_for,
        data_for=lambda route: bodies.get(route) if route.method != "GET" else None,
    )
