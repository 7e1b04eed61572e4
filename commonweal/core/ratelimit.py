"""Abuse limits: fixed-window counters per address and per account, kept in the cache.

The counters live in Django's default cache: process memory in development, Redis in
production (`REDIS_URL`) so that every web process counts the same attempts. The client
address is the one allauth's login limits use, so both agree behind a proxy
(`ALLAUTH_TRUSTED_PROXY_COUNT`).

    @rate_limited(key="join", per_ip="10/h")            # a view: POSTs counted, 429 page
    check_rate("vote", account=member, limit="30/m")     # a service or API endpoint
"""

import functools
import math
import re
from collections.abc import Callable
from typing import Any

from allauth.core.internal.httpkit import clean_client_ip
from django.conf import settings
from django.core.cache import DEFAULT_CACHE_ALIAS, cache, caches
from django.core.cache.backends.redis import RedisCache
from django.core.exceptions import ImproperlyConfigured, PermissionDenied
from django.shortcuts import render
from django.utils.connection import ConnectionProxy
from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from . import clock
from .errors import Refused

PERIODS = {"s": 1, "m": 60, "h": 3600, "d": 86400}
RATE = re.compile(r"^(\d+)/(\d*)([smhd])$")


class RateLimited(Refused):
    """Too many attempts in the current window; `retry_after` is in seconds."""

    status = 429

    def __init__(self, message: str, *, retry_after: int, field: str | None = None) -> None:
        super().__init__(message, field=field)
        self.retry_after = retry_after


def parse_rate(rate: str) -> tuple[int, int]:
    """'10/h' → (10, 3600); '5/15m' → (5, 900)."""
    match = RATE.match(rate.strip())
    if not match:
        raise ValueError(f"Not a rate: {rate!r} (expected e.g. '10/h' or '5/15m')")
    count, multiple, unit = match.groups()
    return int(count), int(multiple or 1) * PERIODS[unit]


def _hit(cache_key: str, period: int) -> int:
    """Count one attempt in the window; atomic on Redis, per process on LocMem."""
    if cache.add(cache_key, 1, timeout=period):
        return 1
    try:
        return cache.incr(cache_key)
    except ValueError:
        # The window expired between add and incr: this attempt opens the next one.
        cache.add(cache_key, 1, timeout=period)
        return 1


def _refusal(retry_after: int) -> RateLimited:
    minutes = max(1, math.ceil(retry_after / 60))
    message = ngettext(
        "Too many attempts; try again in %(minutes)d minute.",
        "Too many attempts; try again in %(minutes)d minutes.",
        minutes,
    ) % {"minutes": minutes}
    return RateLimited(message, retry_after=retry_after)


def check_rate(key: str, *, ip: str | None = None, account: Any = None, limit: str) -> None:
    """Count one attempt at `key` for the address and the account; refuse past `limit`.

    Each of `ip` and `account` (a member or its id) has its own counter under the same
    limit; None skips it. Raises RateLimited (429) with the wait in the member's words.
    """
    refusal = check_rates(key, [(ip, account)], limit=limit)[0]
    if refusal is not None:
        raise refusal


def check_rates(
    key: str,
    attempts: list[tuple[str | None, Any]],
    *,
    limit: str | None = None,
    per_ip: str | None = None,
    per_account: str | None = None,
) -> list[RateLimited | None]:
    """`check_rate` for many (ip, account) attempts at once, for a batch of casts.

    `limit` applies to both counters; `per_ip` and `per_account` set each its own instead.
    On Redis all the counters move in one round trip; each attempt gets its refusal (with
    the longest wait among its counters past their limit) or None.
    """
    limits = {"ip": per_ip or limit, "account": per_account or limit}
    # The platform's clock, so a test can hold a whole sequence of attempts in one window.
    now = clock.now().timestamp()
    counters: list[tuple[int, str, int, int]] = []
    for i, (ip, account) in enumerate(attempts):
        for scope, who in (("ip", ip), ("account", getattr(account, "pk", account))):
            rate = limits[scope]
            if who is None or rate is None:
                continue
            allowed, period = parse_rate(rate)
            window = int(now // period)
            cache_key = f"ratelimit:{key}:{scope}:{who}:{period}:{window}"
            counters.append((i, cache_key, period, allowed))
    counts = _hit_many([(cache_key, period) for _i, cache_key, period, _a in counters])
    waits: dict[int, int] = {}
    for (i, _key, period, allowed), count in zip(counters, counts, strict=True):
        if count > allowed:
            wait = math.ceil((int(now // period) + 1) * period - now)
            waits[i] = max(wait, waits.get(i, 0))
    return [_refusal(waits[i]) if i in waits else None for i in range(len(attempts))]


# Count one attempt on each counter (KEYS, with its window in seconds in ARGV), atomically:
# one command however many counters, where a pipeline sent two commands for each.
_HIT_MANY = """
local counts = {}
for i, key in ipairs(KEYS) do
    redis.call('SET', key, 0, 'EX', ARGV[i], 'NX')
    counts[i] = redis.call('INCR', key)
end
return counts
"""


def _hit_many(counters: list[tuple[str, int]]) -> list[int]:
    """Count one attempt on each (counter, period); one round trip to Redis."""
    backend = caches[DEFAULT_CACHE_ALIAS] if isinstance(cache, ConnectionProxy) else cache
    if not isinstance(backend, RedisCache) or not counters:
        return [_hit(cache_key, period) for cache_key, period in counters]
    # Django's cache API has no batched add-or-increment; its client is the way to Redis.
    client = backend._cache.get_client(write=True)
    keys = [backend.make_and_validate_key(cache_key) for cache_key, _period in counters]
    counts = client.register_script(_HIT_MANY)(
        keys=keys, args=[period for _key, period in counters]
    )
    return [int(count) for count in counts]


def client_ip(request: Any) -> str:
    """The client's address by allauth's rule (its adapter's ``get_client_ip``), so that
    these limits and allauth's login limits count the same address.

    Read from ``request.META`` and the settings directly: allauth's own way builds the
    request's header mapping and its adapter on every call, which was a fifth of what the
    ballot box spends taking a cast. ``test_ratelimit.py`` holds the two rules equal.
    """
    meta = request.META
    trusted_header = getattr(settings, "ALLAUTH_TRUSTED_CLIENT_IP_HEADER", None)
    if trusted_header:
        ip = meta.get(_meta_name(trusted_header))
    else:
        ip = None
        proxies = getattr(settings, "ALLAUTH_TRUSTED_PROXY_COUNT", 0)
        forwarded = meta.get("HTTP_X_FORWARDED_FOR")
        if proxies > 0 and forwarded:
            hops = forwarded.split(",")
            if len(hops) < proxies:
                raise ImproperlyConfigured(
                    "ALLAUTH_TRUSTED_PROXY_COUNT does not match X-Forwarded-For"
                )
            ip = hops[-proxies]
        if not ip:
            ip = meta.get("REMOTE_ADDR")
    cleaned = clean_client_ip(ip) if ip else None
    if not cleaned:
        raise PermissionDenied("Unable to determine client IP address")
    return cleaned


def _meta_name(header: str) -> str:
    """Where a request header is in ``request.META`` (as ``request.headers`` finds it)."""
    name = header.upper().replace("-", "_")
    return name if name in ("CONTENT_TYPE", "CONTENT_LENGTH") else "HTTP_" + name


def rate_limited(
    *,
    key: str,
    per_ip: str | None = None,
    per_account: str | None = None,
    methods: tuple[str, ...] = ("POST",),
) -> Callable[[Callable[..., Any]], Callable[..., Any]]:
    """Limit a view's attempts (POSTs by default); past the limit it answers 429 with a page."""

    def decorate(view: Callable[..., Any]) -> Callable[..., Any]:
        @functools.wraps(view)
        def wrapped(request: Any, *args: Any, **kwargs: Any) -> Any:
            if request.method in methods:
                user = getattr(request, "user", None)
                account = user if user is not None and user.is_authenticated else None
                try:
                    if per_ip:
                        check_rate(key, ip=client_ip(request), limit=per_ip)
                    if per_account and account is not None:
                        check_rate(key, account=account, limit=per_account)
                except RateLimited as refusal:
                    return too_many(request, refusal)
            return view(request, *args, **kwargs)

        return wrapped

    return decorate


def too_many(request: Any, refusal: RateLimited) -> Any:
    response = render(
        request,
        "429.html",
        {"message": refusal.message, "title": _("Too many attempts")},
        status=429,
    )
    response["Retry-After"] = str(refusal.retry_after)
    return response
