"""Versions uploaded at the same moment get distinct numbers (real threads on PostgreSQL)."""

import threading

import pytest
from django.db import connection, connections

from commonweal.library import samples, services

from .conftest import upload

pytestmark = [pytest.mark.postgres, pytest.mark.django_db(transaction=True)]


@pytest.fixture(autouse=True)
def _postgres_only():
    if connection.vendor != "postgresql":
        pytest.skip("real concurrency needs PostgreSQL")


def test_parallel_new_versions_are_numbered_one_after_another(library):
    document = library.add()
    n = 5
    barrier = threading.Barrier(n)
    errors = []

    def run(i):
        try:
            barrier.wait()
            services.version_add(
                document=document,
                file=upload(samples.pdf(f"parallel {i}"), f"v{i}.pdf"),
                uploaded_by=library.member,
            )
        except Exception as exc:
            errors.append(exc)
        finally:
            connections.close_all()

    threads = [threading.Thread(target=run, args=(i,)) for i in range(n)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    assert errors == []
    document.refresh_from_db()
    assert sorted(document.versions.values_list("number", flat=True)) == [1, 2, 3, 4, 5, 6]
    assert document.version_count == 6
    assert document.current_version.number == 6
