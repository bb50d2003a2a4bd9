"""The Django admin, scoped to the province of a province administrator.

A province administrator (Role.ADMIN, staff, not a superuser) manages their own province's rows
in the admin and sees nothing of another: every ModelAdmin of the portal's apps mixes in
`ProvinceScopedAdmin` and names the path from its model to the province (`province_path`); inlines
mix in `ProvinceScopedInline`. Lists, change pages, history and deletion go through the scoped
queryset (another province's object answers 404, as everywhere in the portal); foreign-key and
many-to-many choices offer only the province's rows (through the admin registered for the target
model, or `related_province_paths` for a model without one); a save of another province's object
is refused. A superuser sees and edits everything, as before.

The permission is the portal's rule `portal.access_admin_area` (the administrator role), not
Django's per-model permissions, so granting the role is all a province needs.
"""

from __future__ import annotations

from django.contrib import admin
from django.contrib.admin.utils import get_fields_from_path
from django.core.exceptions import FieldDoesNotExist, PermissionDenied
from django.db import models
from django.http import Http404

from .models import Province

# Shared by every province: the roles are groups named after Role values.
GLOBAL_MODELS = {"auth.group"}


def is_scoped(request) -> bool:
    """Whether the admin must be limited to the user's province (everyone but superusers)."""
    return not request.user.is_superuser


def may_administer(request) -> bool:
    return request.user.is_active and request.user.is_staff and request.user.has_perm("portal.access_admin_area")


def province_id_of(obj, path: str) -> int | None:
    """The province of `obj` found along `path` ("agency__province" → obj.agency.province_id)."""
    if path == "pk":
        return obj.pk
    *hops, last = path.split("__")
    for hop in hops:
        obj = getattr(obj, hop, None)
        if obj is None:
            return None
    return getattr(obj, f"{last}_id", None)


def scoped(queryset: models.QuerySet, path: str | None, request) -> models.QuerySet:
    """`queryset` limited to the user's province along `path` (nothing when there is no path)."""
    if path is None or request.user.province_id is None:
        return queryset.none()
    return queryset.filter(**{path: request.user.province_id})


class _Scoping:
    """What model admins and inlines share: permission by role, choices limited to the province."""

    # Paths to the province of related models that have no admin of their own: {"app.model": path}.
    related_province_paths: dict[str, str] = {}

    def province_path_of(self, model: type[models.Model]) -> str | None:
        """How rows of `model` reach their province; None when they do not (a global model)."""
        if model is Province:
            return "pk"
        registered = self.admin_site._registry.get(model)
        path = getattr(registered, "province_path", None)
        if path:
            return path
        label = model._meta.label_lower
        if label in self.related_province_paths:
            return self.related_province_paths[label]
        try:
            model._meta.get_field("province")
        except FieldDoesNotExist:
            return None
        return "province"

    def scoped_choices(self, request, model: type[models.Model], queryset: models.QuerySet) -> models.QuerySet:
        if model._meta.label_lower in GLOBAL_MODELS:
            return queryset
        # An unknown related model offers nothing rather than every province's rows.
        return scoped(queryset, self.province_path_of(model), request)

    def _choices_for(self, db_field, request, kwargs):
        if not is_scoped(request):
            return kwargs
        model = db_field.remote_field.model
        queryset = kwargs.get("queryset")
        if queryset is None:
            queryset = self.get_field_queryset(None, db_field, request)
        if queryset is None:
            queryset = model._default_manager.all()
        return {**kwargs, "queryset": self.scoped_choices(request, model, queryset)}

    def formfield_for_foreignkey(self, db_field, request, **kwargs):
        return super().formfield_for_foreignkey(db_field, request, **self._choices_for(db_field, request, kwargs))

    def formfield_for_manytomany(self, db_field, request, **kwargs):
        return super().formfield_for_manytomany(db_field, request, **self._choices_for(db_field, request, kwargs))


class ProvinceScopedAdmin(_Scoping, admin.ModelAdmin):
    """A model admin a province administrator uses for their province only."""

    province_path = "province"

    def in_scope(self, request, obj) -> bool:
        if obj is None or not is_scoped(request):
            return True
        province_id = province_id_of(obj, self.province_path)
        return province_id is not None and province_id == request.user.province_id

    def get_queryset(self, request):
        queryset = super().get_queryset(request)
        return scoped(queryset, self.province_path, request) if is_scoped(request) else queryset

    def get_object(self, request, object_id, from_field=None):
        # Another province's object is one that does not exist: 404, not the admin's redirect.
        obj = super().get_object(request, object_id, from_field)
        if obj is None:
            raise Http404
        return obj

    # --- permissions: the administrator role, within the province -----------------------------
    def has_module_permission(self, request):
        return may_administer(request) or super().has_module_permission(request)

    def has_view_permission(self, request, obj=None):
        allowed = may_administer(request) or super().has_view_permission(request, obj)
        return allowed and self.in_scope(request, obj)

    def has_add_permission(self, request):
        return may_administer(request) or super().has_add_permission(request)

    def has_change_permission(self, request, obj=None):
        allowed = may_administer(request) or super().has_change_permission(request, obj)
        return allowed and self.in_scope(request, obj)

    def has_delete_permission(self, request, obj=None):
        allowed = may_administer(request) or super().has_delete_permission(request, obj)
        return allowed and self.in_scope(request, obj)

    # --- lists: no filter naming other provinces or their rows ----------------------------------
    def get_list_filter(self, request):
        filters = super().get_list_filter(request)
        if not is_scoped(request):
            return filters
        kept = []
        for item in filters:
            if isinstance(item, str):
                if item == "province" or item.endswith("__province"):
                    continue
                if get_fields_from_path(self.model, item)[-1].is_relation:
                    item = (item, admin.RelatedOnlyFieldListFilter)
            kept.append(item)
        return kept

    # --- forms and saves ----------------------------------------------------------------------
    def get_changeform_initial_data(self, request):
        initial = super().get_changeform_initial_data(request)
        if is_scoped(request) and self.province_path == "province":
            initial.setdefault("province", request.user.province_id)
        return initial

    def save_model(self, request, obj, form, change):
        if is_scoped(request):
            if self.province_path == "province" and obj.province_id is None:
                obj.province_id = request.user.province_id
            if not self.in_scope(request, obj):
                raise PermissionDenied
        super().save_model(request, obj, form, change)


class ProvinceScopedInline(_Scoping):
    """Mixed into an inline of a scoped admin: the administrator role edits it, choices are scoped."""

    def has_view_permission(self, request, obj=None):
        return may_administer(request) or super().has_view_permission(request, obj)

    def has_add_permission(self, request, obj):
        return may_administer(request) or super().has_add_permission(request, obj)

    def has_change_permission(self, request, obj=None):
        return may_administer(request) or super().has_change_permission(request, obj)

    def has_delete_permission(self, request, obj=None):
        return may_administer(request) or super().has_delete_permission(request, obj)
