"""Object access in views: what a person may not see is a 404 (exactly like something that does
not exist, so nothing leaks); what they may see but not do is a 403."""

from __future__ import annotations

from django.core.exceptions import PermissionDenied
from django.http import Http404


def require_access(user, obj, *, view_perm: str, perm: str | None = None, check_obj=None):
    """Returns `obj` if `user` may see it (`view_perm`) and, if given, act on it (`perm`).

    `check_obj` is what the permissions are asked about when it is not `obj` itself.
    """
    target = obj if check_obj is None else check_obj
    if obj is None or not user.has_perm(view_perm, target):
        raise Http404
    if perm and perm != view_perm and not user.has_perm(perm, target):
        raise PermissionDenied
    return obj
