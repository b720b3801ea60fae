"""Counting requests per key in the cache (production: the Redis cache every process shares,
``CACHE_URL``, as the API's throttles use), for forms that DRF's throttles do not reach.

A fixed window per key: the first hit starts a window of ``seconds``; hits past ``limit`` inside
it are refused until it ends. ``cache.add`` then ``cache.incr`` is atomic on Redis, so parallel
requests cannot both slip under the limit. Keys are hashed: no address or e-mail lands in the
cache in clear.
"""

from __future__ import annotations

import hashlib

from django.core.cache import cache


def _key(scope: str, ident: str) -> str:
    digest = hashlib.sha256(ident.encode("utf-8")).hexdigest()[:32]
    return f"ratelimit:{scope}:{digest}"


def hit(scope: str, ident: str, *, limit: int, seconds: int) -> bool:
    """Count one request of ``ident`` in ``scope``; False once it is over ``limit`` in the
    current window (the request should then be refused)."""
    key = _key(scope, ident)
    if cache.add(key, 1, timeout=seconds):
        return limit >= 1
    try:
        count = cache.incr(key)
    except ValueError:  # the window ended between add() and incr()
        cache.add(key, 1, timeout=seconds)
        count = 1
    return count <= limit


def parse_rate(rate: str) -> tuple[int, int]:
    """``"5/hour"`` → ``(5, 3600)``; the same notation as DRF's throttle rates."""
    count, _, period = rate.partition("/")
    seconds = {"s": 1, "m": 60, "h": 3600, "d": 86400}[period.strip()[:1].lower()]
    return int(count), seconds
