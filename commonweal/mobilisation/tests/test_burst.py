"""A burst of answers from many processes' worth of connections at once, on PostgreSQL:
every answer acknowledged is stored and counted exactly once."""

from concurrent.futures import ThreadPoolExecutor
from datetime import UTC, datetime, timedelta

import pytest
from django.db import connection, connections

from commonweal.core import clock

THREADS = 8
EACH = 6


@pytest.mark.postgres
@pytest.mark.django_db(transaction=True)
def test_a_burst_of_concurrent_answers_is_counted_exactly(org, make_officer):
    if connection.vendor != "postgresql":
        pytest.skip("needs PostgreSQL")
    from commonweal.mobilisation.models import Signup
    from commonweal.mobilisation.selectors import recount
    from commonweal.mobilisation.services import (
        action_create,
        action_open,
        form_started,
        signup_confirm,
        signup_sign,
        signup_token,
    )

    now = datetime(2026, 5, 1, 12, 0, tzinfo=UTC)
    with clock.frozen(now):
        officer = make_officer(of=org.leeds)
        action = action_open(
            actor=officer,
            action=action_create(
                actor=officer, unit=org.leeds, kind="petition", title="Burst", target="Them"
            ),
        )
    with clock.frozen(now - timedelta(minutes=1)):
        started = form_started()

    def one_thread(t: int) -> int:
        acknowledged = 0
        try:
            with clock.frozen(now):
                for i in range(EACH):
                    email = f"p{t}-{i}@example.org"
                    signup_sign(
                        action=action,
                        name=f"Person {t}-{i}",
                        email=email,
                        postcode="LS6 3AB",
                        ip=f"198.51.{t}.{i}",
                        started=started,
                        purposes=[],
                    )
                    signup = Signup.objects.get(action=action, email=email)
                    # Confirmed twice, as a double click would: counted once.
                    signup_confirm(token=signup_token(signup))
                    signup_confirm(token=signup_token(signup))
                    acknowledged += 1
        finally:
            connections.close_all()
        return acknowledged

    with ThreadPoolExecutor(THREADS) as pool:
        acknowledged = sum(pool.map(one_thread, range(THREADS)))
    action.refresh_from_db()
    assert acknowledged == THREADS * EACH
    assert action.confirmed_count == acknowledged == recount(action)
