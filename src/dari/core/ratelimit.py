"""Rate limits on ``/api/``: per API token (or signed-in user) and per client address for anonymous
callers, counted in fixed one-minute windows in Django's cache; over the limit, 429 with Retry-After.

The counters live in Django's cache: with ``DARI_CACHE_URL`` (Redis) every web process and host
counts together, and the increment is atomic there; without it, each process counts on its own (a
caller may then reach the limit once per process). The limits are against runaway scripts and
scraping, not exact quotas.
"""

from __future__ import annotations

import hashlib
import time

from django.conf import settings
from django.core.cache import cache
from django.http import JsonResponse
from django.utils.translation import gettext

WINDOW_SECONDS = 60


def client_address(request) -> str:
    """The caller's address: behind the HTTPS proxy (``DARI_HTTPS``), the one nginx wrote into
    X-Forwarded-For (it overwrites the header, deploy/nginx/dari.conf); else the connection's peer."""
    if settings.HTTPS:
        forwarded = request.META.get("HTTP_X_FORWARDED_FOR", "")
        if forwarded.strip():
            return forwarded.split(",")[-1].strip()
    return request.META.get("REMOTE_ADDR", "")


def caller(request) -> tuple[str, int]:
    """The counter's key and the limit per minute that applies to this request's caller."""
    scheme, _sep, credentials = request.META.get("HTTP_AUTHORIZATION", "").partition(" ")
    if scheme.lower() == "bearer" and request.user.is_authenticated:
        # The token's digest, never the token, names the counter.
        digest = hashlib.sha256(credentials.strip().encode()).hexdigest()[:32]
        return f"token:{digest}", settings.API_RATE_LIMIT_PER_TOKEN
    if request.user.is_authenticated:
        return f"user:{request.user.pk}", settings.API_RATE_LIMIT_PER_TOKEN
    return f"address:{client_address(request)}", settings.API_RATE_LIMIT_PER_ADDRESS


class ApiRateLimitMiddleware:
    """After ``ApiBasicAuthMiddleware``, which has named the caller. A limit of 0 turns it off."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        if not request.path.startswith("/api/"):
            return self.get_response(request)
        name, limit = caller(request)
        if limit < 1:
            return self.get_response(request)
        now = time.time()
        window = int(now // WINDOW_SECONDS)
        key = f"dari:api-rate:{name}:{window}"
        cache.add(key, 0, timeout=WINDOW_SECONDS + 5)
        try:
            count = cache.incr(key)
        except ValueError:  # expired between add and incr
            cache.set(key, 1, timeout=WINDOW_SECONDS + 5)
            count = 1
        if count > limit:
            retry_after = max(1, int((window + 1) * WINDOW_SECONDS - now) + 1)
            response = JsonResponse(
                {
                    "detail": gettext(
                        "Too many requests: at most %(limit)s a minute. Try again in %(seconds)s s."
                    )
                    % {"limit": limit, "seconds": retry_after}
                },
                status=429,
            )
            response["Retry-After"] = str(retry_after)
            return response
        return self.get_response(request)
