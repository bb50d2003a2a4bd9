from django.contrib import admin
from django.contrib.auth.admin import UserAdmin as DjangoUserAdmin
from django.contrib.auth.models import Group
from django.utils.translation import gettext_lazy as _
from simple_history.admin import SimpleHistoryAdmin

from .admin_scope import ProvinceScopedAdmin, ProvinceScopedInline, is_scoped
from .models import Agency, AgencyGroup, AgencyLineage, AgencyVersion, Notification, Province, Role, User
from .services import user_sync_staff


@admin.register(Province)
class ProvinceAdmin(ProvinceScopedAdmin):
    list_display = ["name", "code", "place_name"]
    province_path = "pk"

    # Provinces are created and removed by the system's superuser; an administrator edits their own.
    def has_add_permission(self, request):
        return not is_scoped(request) and super().has_add_permission(request)

    def has_delete_permission(self, request, obj=None):
        return not is_scoped(request) and super().has_delete_permission(request, obj)

    def get_readonly_fields(self, request, obj=None):
        return ["code"] if is_scoped(request) else []


@admin.register(AgencyGroup)
class AgencyGroupAdmin(ProvinceScopedAdmin):
    list_display = ["name", "code", "province", "order"]
    list_filter = ["province"]


class AgencyVersionInline(ProvinceScopedInline, admin.TabularInline):
    model = AgencyVersion
    fk_name = "agency"
    extra = 0
    fields = ["name", "short_name", "kind", "parent", "group", "valid_from", "valid_to", "legal_basis"]
    autocomplete_fields = ["parent"]


@admin.register(Agency)
class AgencyAdmin(ProvinceScopedAdmin):
    list_display = ["code", "__str__", "province"]
    list_filter = ["province"]
    search_fields = ["code", "versions__name", "versions__short_name"]
    inlines = [AgencyVersionInline]


@admin.register(AgencyVersion)
class AgencyVersionAdmin(ProvinceScopedAdmin, SimpleHistoryAdmin):
    province_path = "agency__province"
    list_display = ["name", "kind", "group", "valid_from", "valid_to"]
    list_filter = ["kind", "group", "agency__province"]
    search_fields = ["name", "short_name", "agency__code"]
    autocomplete_fields = ["agency", "parent"]


@admin.register(AgencyLineage)
class AgencyLineageAdmin(ProvinceScopedAdmin):
    province_path = "predecessor__agency__province"
    list_display = ["predecessor", "kind", "successor", "effective_on", "legal_basis"]
    list_filter = ["kind"]
    autocomplete_fields = ["predecessor", "successor"]


@admin.register(User)
class UserAdmin(ProvinceScopedAdmin, DjangoUserAdmin):
    list_display = ["username", "full_name", "agency", "is_active"]
    list_filter = ["province", "groups", "is_active"]
    search_fields = ["username", "full_name", "email"]
    fieldsets = DjangoUserAdmin.fieldsets + (
        (
            _("Agency and reminders"),
            {"fields": ["full_name", "position", "province", "agency", "email_reminders", "reminder_digest"]},
        ),
    )
    autocomplete_fields = ["agency"]
    # What only the system's superuser grants: Django's own permissions and the superuser flag.
    # (Staff follows the administrator role.)
    SUPERUSER_FIELDS = ("is_superuser", "is_staff", "user_permissions")

    def get_queryset(self, request):
        queryset = super().get_queryset(request)
        return queryset.filter(is_superuser=False) if is_scoped(request) else queryset

    def get_fieldsets(self, request, obj=None):
        fieldsets = super().get_fieldsets(request, obj)
        if not is_scoped(request):
            return fieldsets
        return [
            (name, {**options, "fields": [f for f in options["fields"] if f not in self.SUPERUSER_FIELDS]})
            for name, options in fieldsets
        ]

    def formfield_for_manytomany(self, db_field, request, **kwargs):
        if db_field.name == "groups" and is_scoped(request):
            kwargs["queryset"] = Group.objects.filter(name__in=Role.values).order_by("name")
        return super().formfield_for_manytomany(db_field, request, **kwargs)

    def save_related(self, request, form, formsets, change):
        super().save_related(request, form, formsets, change)
        if is_scoped(request):
            user_sync_staff(user=form.instance)


@admin.register(Notification)
class NotificationAdmin(ProvinceScopedAdmin):
    province_path = "recipient__province"
    list_display = ["title", "recipient", "created_at", "read_at"]
    search_fields = ["title", "recipient__username"]
