"""The database connection lost in the middle of a request: a clear page, nothing half-written.

A member applies to join; the connection goes after the application and its record entry
were written but before the transaction commits. The member sees the 500 page (no stack
trace) and the database holds nothing of the attempt.
"""

import psycopg
import pytest
from django.core.cache import cache
from django.db import OperationalError, connection
from django.urls import reverse

from commonweal.members import services
from commonweal.members.models import Member, MembershipApplication
from commonweal.record.models import Entry

pytestmark = pytest.mark.django_db(transaction=True)


@pytest.fixture(autouse=True)
def _connection_restored():
    cache.clear()
    yield
    connection.execute_wrappers.clear()


def rows() -> tuple[int, int, int]:
    return Member.objects.count(), MembershipApplication.objects.count(), Entry.objects.count()


def lose_the_connection_on_next_query() -> None:
    def fail(execute, sql, params, many, context):
        raise OperationalError("server closed the connection unexpectedly")

    connection.execute_wrappers.append(fail)


def terminate_the_backend() -> None:
    """Kill this connection's PostgreSQL backend from a second connection."""
    db = connection.settings_dict
    pid = connection.connection.info.backend_pid
    with psycopg.connect(
        host=db["HOST"] or "127.0.0.1",
        port=db["PORT"] or 5432,
        user=db["USER"],
        password=db["PASSWORD"] or None,
        dbname=db["NAME"],
        autocommit=True,
    ) as killer:
        killer.execute("SELECT pg_terminate_backend(%s)", [pid])


def apply_while_the_connection_drops(client, monkeypatch, org, drop) -> object:
    append = services.record_append

    def append_then_drop(**kwargs):
        entry = append(**kwargs)
        drop()
        return entry

    monkeypatch.setattr(services, "record_append", append_then_drop)
    client.raise_request_exception = False
    return client.post(
        reverse("members:join"),
        {
            "full_name": "Ana Costa",
            "email": "ana@example.org",
            "unit": org.leeds.pk,
            "password": "correct horse battery",
        },
    )


def assert_clear_error_and_nothing_written(response, before) -> None:
    connection.execute_wrappers.clear()
    assert response.status_code == 500
    page = response.content.decode()
    assert "Something went wrong on our side" in page
    assert "Your last action was not saved" in page
    assert '<html lang="en">' in page
    assert "<h1>" in page
    for leak in ("Traceback", "OperationalError", "psycopg", "SELECT", "INSERT"):
        assert leak not in page
    assert rows() == before
    assert not Member.objects.filter(email="ana@example.org").exists()


def test_a_dropped_connection_shows_the_error_page_and_writes_nothing(client, org, monkeypatch):
    before = rows()
    response = apply_while_the_connection_drops(
        client, monkeypatch, org, lose_the_connection_on_next_query
    )
    assert_clear_error_and_nothing_written(response, before)


@pytest.mark.postgres
def test_a_terminated_postgres_backend_shows_the_error_page_and_writes_nothing(
    client, org, monkeypatch
):
    if connection.vendor != "postgresql":
        pytest.skip("needs PostgreSQL")
    before = rows()
    response = apply_while_the_connection_drops(client, monkeypatch, org, terminate_the_backend)
    assert_clear_error_and_nothing_written(response, before)
    # The next request gets a fresh connection and works.
    assert client.get(reverse("members:join")).status_code == 200
