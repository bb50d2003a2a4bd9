"""Authentication backends: who may log in, the user every request runs as, and where Django's own
model permissions apply."""

from functools import cache

from django.apps import apps
from django.contrib.auth.backends import ModelBackend

from .selectors import signed_in_user


@cache
def model_permissions() -> frozenset[str]:
    """Every permission Django's model backend could grant: the models' default and declared ones
    (what `create_permissions` writes to the database after a migration)."""
    names = set()
    for model in apps.get_models():
        opts = model._meta
        names.update(f"{opts.app_label}.{action}_{opts.model_name}" for action in opts.default_permissions)
        names.update(f"{opts.app_label}.{codename}" for codename, _name in opts.permissions)
    return frozenset(names)


class StaffModelBackend(ModelBackend):
    """Django's password login, with its model permissions for staff only.

    Every permission of the portal is a rules predicate (ObjectPermissionBackend, asked first);
    Django's model permissions matter only in the admin, which only staff (administrators) enter.
    Asking them for everyone else cost two queries on every page for an answer that is always no;
    asking them for a rule's name (the menu's "portal.access_agency_area") cost an administrator
    the same two queries for an answer the database cannot give.
    """

    def get_user(self, user_id):
        # The session's user with their roles and the bell's count: one query instead of three.
        user = signed_in_user(user_id)
        return user if user is not None and self.user_can_authenticate(user) else None

    def has_perm(self, user_obj, perm, obj=None):
        if not (user_obj.is_active and user_obj.is_staff) or perm not in model_permissions():
            return False
        return super().has_perm(user_obj, perm, obj)

    def has_module_perms(self, user_obj, app_label):
        return bool(user_obj.is_active and user_obj.is_staff) and super().has_module_perms(user_obj, app_label)
