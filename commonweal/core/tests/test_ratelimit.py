import uuid

import pytest
from allauth.account.adapter import get_adapter
from django.core.cache import cache
from django.core.exceptions import ImproperlyConfigured, PermissionDenied
from django.test import RequestFactory, override_settings
from django.urls import reverse
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from commonweal.core import clock
from commonweal.core.ratelimit import RateLimited, check_rate, check_rates, client_ip, parse_rate
from commonweal.members.models import Member
from commonweal.members.tests.factories import PASSWORD

REDIS = "redis://127.0.0.1:6379/0"


def window() -> int:
    return int(clock.now().timestamp() // 60)


@pytest.fixture(autouse=True)
def _fresh_counters(one_rate_window):
    cache.clear()
    yield
    cache.clear()


def test_rates_read_as_count_per_period():
    assert parse_rate("10/h") == (10, 3600)
    assert parse_rate("5/15m") == (5, 900)
    with pytest.raises(ValueError, match="Not a rate"):
        parse_rate("ten a day")


def test_past_the_limit_the_refusal_says_how_long_to_wait():
    for _ in range(3):
        check_rate("support", ip="203.0.113.7", limit="3/h")
    with pytest.raises(RateLimited, match=r"Too many attempts; try again in \d+ minutes?") as exc:
        check_rate("support", ip="203.0.113.7", limit="3/h")
    assert exc.value.status == 429
    assert 0 < exc.value.retry_after <= 3600


def test_addresses_accounts_and_keys_are_counted_apart():
    check_rate("vote", ip="203.0.113.7", account=41, limit="1/m")
    check_rate("vote", ip="203.0.113.8", account=42, limit="1/m")
    check_rate("support", ip="203.0.113.7", account=41, limit="1/m")
    with pytest.raises(RateLimited):
        check_rate("vote", account=41, limit="1/m")
    with pytest.raises(RateLimited):
        check_rate("vote", ip="203.0.113.8", limit="1/m")


def test_a_batch_is_counted_as_its_attempts_one_by_one():
    check_rate("vote", ip="203.0.113.7", limit="2/m")
    refusals = check_rates(
        "vote",
        [("203.0.113.7", None), ("203.0.113.7", 41), ("203.0.113.9", 41), (None, 41)],
        limit="2/m",
    )
    assert [type(r).__name__ if r else None for r in refusals] == [
        None,
        "RateLimited",
        None,
        "RateLimited",
    ]
    assert "Too many attempts" in refusals[1].message
    with pytest.raises(RateLimited):
        check_rate("vote", account=41, limit="2/m")


def test_a_batch_may_limit_addresses_and_accounts_differently():
    refusals = check_rates(
        "vote",
        [("203.0.113.7", 41), ("203.0.113.7", 42), ("203.0.113.7", 41)],
        per_ip="3/m",
        per_account="1/m",
    )
    assert [bool(r) for r in refusals] == [False, False, True]
    with pytest.raises(RateLimited):
        check_rate("vote", ip="203.0.113.7", limit="3/m")
    check_rate("vote", account=42, limit="2/m")


def join_data(org, n):
    return {
        "full_name": "Flood Tester",
        "email": f"flood{n}@example.org",
        "unit": org.leeds.pk,
        "password": "correct horse battery",
    }


def test_join_is_limited_per_address_with_a_clear_page(client, org):
    for n in range(10):
        assert client.post(reverse("members:join"), join_data(org, n)).status_code == 200
    assert Member.objects.count() == 10
    response = client.post(reverse("members:join"), join_data(org, 10))
    assert response.status_code == 429
    assert "Too many attempts; try again in" in response.content.decode()
    assert int(response["Retry-After"]) > 0
    assert Member.objects.count() == 10
    other = client.post(reverse("members:join"), join_data(org, 11), REMOTE_ADDR="198.51.100.9")
    assert other.status_code == 200
    assert client.get(reverse("members:join")).status_code == 200


def test_repeated_failed_logins_lock_the_account_for_a_while(client, make_member):
    member = make_member()
    url = reverse("account_login")
    for _ in range(5):
        response = client.post(url, {"login": member.email, "password": "wrong-password"})
        assert "Too many failed login attempts" not in response.content.decode()
    # Even the right password is refused until the lockout passes, from any address.
    response = client.post(
        url, {"login": member.email, "password": PASSWORD}, REMOTE_ADDR="198.51.100.9"
    )
    assert "Too many failed login attempts. Try again later." in response.content.decode()
    assert "_auth_user_id" not in client.session
    cache.clear()
    response = client.post(url, {"login": member.email, "password": PASSWORD})
    assert response.status_code == 302
    assert client.session["_auth_user_id"] == str(member.pk)


def test_counters_work_on_redis_as_production_configures_them(monkeypatch):
    """Production sets REDIS_URL so every web process counts the same attempts.

    A cache of its own (never the default one, whose clear() would flush Redis) with its
    own key prefix; its counters expire within the minute.
    """
    redis = pytest.importorskip("redis")
    try:
        redis.Redis.from_url(REDIS, socket_connect_timeout=1).ping()
    except redis.exceptions.ConnectionError:
        pytest.skip(f"no Redis at {REDIS}")
    from django.core.cache.backends.redis import RedisCache

    from commonweal.core import ratelimit

    shared = RedisCache(REDIS, {"KEY_PREFIX": f"test-{uuid.uuid4().hex}"})
    monkeypatch.setattr(ratelimit, "cache", shared)
    check_rate("support", ip="203.0.113.7", limit="2/m")
    check_rate("support", ip="203.0.113.7", limit="2/m")
    with pytest.raises(RateLimited):
        check_rate("support", ip="203.0.113.7", limit="2/m")
    # A batch moves the same counters in one pipeline, and they expire like the others.
    refusals = check_rates(
        "support",
        [("203.0.113.7", None), ("203.0.113.8", None), ("203.0.113.8", None)],
        limit="2/m",
    )
    assert [bool(r) for r in refusals] == [True, False, False]
    with pytest.raises(RateLimited):
        check_rate("support", ip="203.0.113.8", limit="2/m")
    stored = shared.make_and_validate_key("ratelimit:support:ip:203.0.113.8:60:" + str(window()))
    assert 0 < shared._cache.get_client().ttl(stored) <= 60


ADDRESSES = st.one_of(
    st.ip_addresses().map(str),
    st.sampled_from(["", " ", "unknown", "203.0.113.9:4321", "[2001:db8::1]:443", "::1", "a,b"]),
    st.text(max_size=12),
)


def _allauth_rule(request):
    try:
        return get_adapter(request).get_client_ip(request)
    except (PermissionDenied, ImproperlyConfigured) as refusal:
        return type(refusal)


def _our_rule(request):
    try:
        return client_ip(request)
    except (PermissionDenied, ImproperlyConfigured) as refusal:
        return type(refusal)


@settings(deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(
    forwarded=st.none() | st.lists(ADDRESSES, max_size=4).map(",".join),
    remote=st.none() | ADDRESSES,
    real_ip=st.none() | ADDRESSES,
    proxies=st.integers(0, 3),
    trusted_header=st.sampled_from([None, "X-Real-IP"]),
)
def test_limits_count_the_address_allauths_login_limits_count(
    forwarded, remote, real_ip, proxies, trusted_header
):
    """Whatever a client or proxy puts in the headers, a member is counted at the address
    allauth's login limits read (or refused the same way), behind any number of proxies."""
    meta = {}
    if forwarded is not None:
        meta["HTTP_X_FORWARDED_FOR"] = forwarded
    if real_ip is not None:
        meta["HTTP_X_REAL_IP"] = real_ip
    request = RequestFactory().post("/api/votes/1/cast", **meta)
    if remote is None:
        del request.META["REMOTE_ADDR"]
    else:
        request.META["REMOTE_ADDR"] = remote
    with override_settings(
        ALLAUTH_TRUSTED_PROXY_COUNT=proxies, ALLAUTH_TRUSTED_CLIENT_IP_HEADER=trusted_header
    ):
        assert _our_rule(request) == _allauth_rule(request)
