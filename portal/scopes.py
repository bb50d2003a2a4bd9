"""Tenant isolation in the query layer (django-scopes, as pretalx does).

The province-owned models (agencies and their groups, periods, dossiers, plans, Dân vận khéo models,
documents and document texts) use `ProvinceScopedManager`: a query on them runs only inside a scope,
and the scope filters it to one province. Every web request runs in the signed-in user's province
(`ProvinceScopeMiddleware`; the read API after DRF has authenticated the token, `ApiScopeMixin`), so a
view that forgets to filter by province still sees nothing of another province, and a query with no
scope at all raises `ScopeError` instead of reading every province.

Outside requests the code acts for the whole installation, on purpose and visibly: Celery tasks
(`portal.celery.ScopedTask`), management commands (manage.py) and the benchmark run with scopes
disabled (`scopes_disabled()`).
"""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager
from typing import TYPE_CHECKING

from django.db import models
from django_scopes import ScopedManager, scope, scopes_disabled  # noqa: F401 — re-exported

if TYPE_CHECKING:  # the models import this module for their managers
    from .models import User

# The value of the "province" dimension for someone who sees no province: an empty list filters
# every scoped query to nothing (None would mean "no filter").
NO_PROVINCE: list[int] = []


def ProvinceScopedManager(path: str = "province", manager_class: type[models.Manager] = models.Manager):  # noqa: N802
    """The default manager of a province-owned model; `path` leads from the model to its province."""
    return ScopedManager(_manager_class=manager_class, province=path)


def province_of(user: User | None) -> int | None | list[int]:
    """The scope value for `user`: every province for a superuser, theirs for an official, none else."""
    if user is None or not user.is_authenticated:
        return NO_PROVINCE
    if user.is_superuser:
        return None
    return user.province_id if user.province_id is not None else NO_PROVINCE


@contextmanager
def province_scope(user: User | None) -> Iterator[None]:
    with scope(province=province_of(user)):
        yield


class ProvinceScopeMiddleware:
    """Runs the rest of the request in the signed-in user's province (after AuthenticationMiddleware)."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        with province_scope(getattr(request, "user", None)):
            return self.get_response(request)


class ApiScopeMixin:
    """For DRF views: token-authenticated users are known only once DRF has authenticated them."""

    def initial(self, request, *args, **kwargs):
        super().initial(request, *args, **kwargs)
        # Left by the middleware's scope when the request ends, whatever happens in between.
        self._province_scope = province_scope(request.user)
        self._province_scope.__enter__()

    def finalize_response(self, request, response, *args, **kwargs):
        active = getattr(self, "_province_scope", None)
        if active is not None:
            self._province_scope = None
            active.__exit__(None, None, None)
        return super().finalize_response(request, response, *args, **kwargs)


_HELD_OPEN: list = []


def scopes_off_from_now_on() -> None:
    """For a process that acts for every province from start to end (the bench's generators).

    The context is held open by a reference: a generator-based context manager that nobody holds
    is closed by the garbage collector, which would switch the scopes back on at once.
    """
    off = scopes_disabled()
    off.__enter__()
    _HELD_OPEN.append(off)
