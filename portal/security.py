"""Who is knocking: the real client address behind the proxy, and how long a lockout lasts.

Used by django-axes (lockouts), django-ratelimit (login and password-reset limits) and the logs,
so every defence agrees on one address.
"""

from __future__ import annotations

import ipaddress
import logging
from datetime import timedelta
from functools import lru_cache

from django.conf import settings
from django.http import HttpRequest
from django.utils import timezone
from rest_framework.throttling import UserRateThrottle

logger = logging.getLogger(__name__)


@lru_cache(maxsize=8)
def _networks(entries: tuple[str, ...]) -> tuple[ipaddress.IPv4Network | ipaddress.IPv6Network, ...]:
    return tuple(ipaddress.ip_network(entry, strict=False) for entry in entries)


def _is_trusted(address: str) -> bool:
    try:
        ip = ipaddress.ip_address(address)
    except ValueError:
        return False
    return any(ip in network for network in _networks(tuple(settings.TRUSTED_PROXIES)))


def client_ip(request: HttpRequest) -> str:
    """The address of the browser, as the province's own proxies saw it.

    X-Forwarded-For is read from the right: each trusted proxy appended the address it received
    from, so the first untrusted address from the right is the client. Entries further left were
    written by the client itself and are never believed; a request that did not come through a
    trusted proxy is judged by its own address.
    """
    remote = request.META.get("REMOTE_ADDR", "")
    if not _is_trusted(remote):
        return remote
    hops = [hop.strip() for hop in request.META.get("HTTP_X_FORWARDED_FOR", "").split(",") if hop.strip()]
    for hop in reversed(hops):
        if not _is_trusted(hop):
            try:
                return str(ipaddress.ip_address(hop))
            except ValueError:
                return remote  # a malformed hop: fall back to the proxy, never to client-written text
    return remote


def lockout_cooloff(request: HttpRequest | None = None) -> timedelta:
    """How long a (username, address) pair stays locked: doubling with each earlier lockout of the
    same pair in the last day, from AXES_COOLOFF_MINUTES up to AXES_COOLOFF_MAX_HOURS."""
    base = timedelta(minutes=settings.AXES_COOLOFF_MINUTES)
    ceiling = timedelta(hours=settings.AXES_COOLOFF_MAX_HOURS)
    if request is None:
        return base
    from axes.models import AccessFailureLog

    username = request.POST.get("username") if request.method == "POST" else None
    if not username:
        return base
    failures = AccessFailureLog.objects.filter(
        username=username,
        ip_address=client_ip(request),
        locked_out=True,
        attempt_time__gte=timezone.now() - timedelta(days=1),
    ).count()
    return min(base * 2 ** max(0, failures - 1), ceiling)


class ApiUserThrottle(UserRateThrottle):
    """The read API's per-token limit (API_RATE), open rather than broken while Redis is away:
    a leader's dashboard feed must not fail because the counter cannot be read."""

    def allow_request(self, request, view):
        try:
            return super().allow_request(request, view)
        except Exception:  # noqa: BLE001 — any cache failure; the limit is a guard, not a gate
            logger.warning("API throttle skipped: the cache is unavailable", exc_info=True)
            return True
