from django.contrib import admin
from django.contrib.auth.admin import UserAdmin as DjangoUserAdmin
from django.utils.translation import gettext_lazy as _
from simple_history.admin import SimpleHistoryAdmin

from .models import Agency, AgencyGroup, AgencyLineage, AgencyVersion, Notification, Province, User


@admin.register(Province)
class ProvinceAdmin(admin.ModelAdmin):
    list_display = ["name", "code", "place_name"]


@admin.register(AgencyGroup)
class AgencyGroupAdmin(admin.ModelAdmin):
    list_display = ["name", "code", "province", "order"]
    list_filter = ["province"]


class AgencyVersionInline(admin.TabularInline):
    model = AgencyVersion
    fk_name = "agency"
    extra = 0
    fields = ["name", "short_name", "kind", "parent", "group", "valid_from", "valid_to", "legal_basis"]
    autocomplete_fields = ["parent"]


@admin.register(Agency)
class AgencyAdmin(admin.ModelAdmin):
    list_display = ["code", "__str__", "province"]
    list_filter = ["province"]
    search_fields = ["code", "versions__name", "versions__short_name"]
    inlines = [AgencyVersionInline]


@admin.register(AgencyVersion)
class AgencyVersionAdmin(SimpleHistoryAdmin):
    list_display = ["name", "kind", "group", "valid_from", "valid_to"]
    list_filter = ["kind", "group", "agency__province"]
    search_fields = ["name", "short_name", "agency__code"]
    autocomplete_fields = ["agency", "parent"]


@admin.register(AgencyLineage)
class AgencyLineageAdmin(admin.ModelAdmin):
    list_display = ["predecessor", "kind", "successor", "effective_on", "legal_basis"]
    list_filter = ["kind"]
    autocomplete_fields = ["predecessor", "successor"]


@admin.register(User)
class UserAdmin(DjangoUserAdmin):
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


@admin.register(Notification)
class NotificationAdmin(admin.ModelAdmin):
    list_display = ["title", "recipient", "created_at", "read_at"]
    search_fields = ["title", "recipient__username"]
