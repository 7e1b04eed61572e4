"""The public pages' cache generation: a number that moves on when public content changes.

The public website (the last app) caches its pages under it; the apps that publish (news,
policy) move it on. It lives here so that they need not import the website.
"""

from django.core.cache import cache

GENERATION_KEY = "website:generation"


def cache_generation() -> int:
    """Part of every public page's cache key."""
    # The stubs allow None for any default; with 1 as the default the key holds an int.
    return cache.get_or_set(GENERATION_KEY, 1, timeout=None)  # type: ignore[return-value]


def public_content_changed() -> None:
    """Move the public pages' cache generation on, so every cached fragment is rebuilt."""
    if not cache.add(GENERATION_KEY, 2, timeout=None):
        try:
            cache.incr(GENERATION_KEY)
        except ValueError:
            cache.set(GENERATION_KEY, 2, timeout=None)
