"""Authoring plans (Sở Nội vụ) and watching the reminder outbox."""

from django import forms
from django.contrib import admin, messages
from django.core.exceptions import PermissionDenied
from django.template.response import TemplateResponse
from django.urls import path
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from simple_history.admin import SimpleHistoryAdmin

from portal.admin_scope import ProvinceScopedAdmin, ProvinceScopedInline, is_scoped

from . import selectors, services
from .models import (
    Deliverable,
    DeliverableType,
    Digest,
    Exemplar,
    Plan,
    PlanSection,
    Reminder,
    ReminderPolicy,
    ReportField,
    ReportForm,
    Target,
    Task,
)


class SectionInline(ProvinceScopedInline, admin.StackedInline):
    model = PlanSection
    extra = 0


class TaskInline(ProvinceScopedInline, admin.StackedInline):
    model = Task
    extra = 0
    autocomplete_fields = ["lead", "owners"]
    filter_horizontal = ["owner_groups"]


class TargetInline(ProvinceScopedInline, admin.TabularInline):
    model = Target
    extra = 0


class DeliverableTypeInline(ProvinceScopedInline, admin.TabularInline):
    model = DeliverableType
    extra = 0
    filter_horizontal = ["groups"]


@admin.register(Plan)
class PlanAdmin(ProvinceScopedAdmin, SimpleHistoryAdmin):
    list_display = ["title", "year", "program", "so_ky_hieu", "status"]
    list_filter = ["province", "year", "status"]
    inlines = [SectionInline, TaskInline, TargetInline, DeliverableTypeInline]
    actions = ["issue", "copy_to_next_year"]

    @admin.action(description=gettext_lazy("Issue (create the deliverables of every agency)"))
    def issue(self, request, queryset):
        for plan in queryset:
            created = services.plan_issue(plan=plan, by=request.user)
            messages.success(request, _("%(plan)s: %(n)s deliverables created.") % {"plan": plan, "n": created})

    @admin.action(description=gettext_lazy("Copy as next year's draft"))
    def copy_to_next_year(self, request, queryset):
        for plan in queryset:
            new = services.plan_copy(plan=plan, by=request.user)
            messages.success(request, _("Draft plan for %(year)s created from this one.") % {"year": new.year})


@admin.register(ReminderPolicy)
class ReminderPolicyAdmin(ProvinceScopedAdmin):
    list_display = ["name", "days_before", "overdue_every_days", "overdue_max", "escalate_to_head"]


@admin.register(Deliverable)
class DeliverableAdmin(ProvinceScopedAdmin, SimpleHistoryAdmin):
    province_path = "agency__province"
    related_province_paths = {"plans.deliverabletype": "plan__province"}
    list_display = ["type", "agency_version", "due_on", "submitted_at", "review"]
    list_filter = ["type__plan", "review"]
    search_fields = ["agency_version__name", "so_ky_hieu"]
    readonly_fields = ["document_sha256", "submitted_at", "submitted_by", "reviewed_by", "reviewed_at"]


class PreviewForm(forms.Form):
    day = forms.DateField(label=gettext_lazy("Date"))


@admin.register(Reminder)
class ReminderAdmin(ProvinceScopedAdmin):
    province_path = "recipient__province"
    list_display = ["scheduled_on", "kind", "recipient", "deliverable", "state", "attempts", "last_error"]
    list_filter = ["state", "kind", "scheduled_on"]
    search_fields = ["recipient__username", "deliverable__agency_version__name"]
    readonly_fields = [f.name for f in Reminder._meta.fields]
    change_list_template = "admin/plans/reminder/change_list.html"

    def has_add_permission(self, request):
        return False

    def get_urls(self):
        return [
            path("preview/", self.admin_site.admin_view(self.preview_view), name="plans_reminder_preview")
        ] + super().get_urls()

    def preview_view(self, request):
        """What the sweep would send on a date, to whom — without sending anything."""
        if not self.has_view_permission(request):
            raise PermissionDenied
        form = PreviewForm(request.GET or {"day": timezone.localdate()})
        province = request.user.province if is_scoped(request) else None
        planned = selectors.reminders_on(form.cleaned_data["day"], province) if form.is_valid() else []
        context = {**self.admin_site.each_context(request), "form": form, "planned": planned,
                   "title": _("Reminders that would be sent"), "opts": self.model._meta}  # fmt: skip
        return TemplateResponse(request, "admin/plans/reminder/preview.html", context)


@admin.register(Digest)
class DigestAdmin(ProvinceScopedAdmin):
    province_path = "recipient__province"
    list_display = ["day", "recipient", "state", "attempts", "last_error"]
    list_filter = ["state", "day"]


# --- Grassroots democracy (QCDC): report forms, exemplars ------------------------------------------


class ReportFieldInline(ProvinceScopedInline, admin.TabularInline):
    model = ReportField
    extra = 0
    fields = ["order", "code", "label", "kind", "unit", "required", "help_text"]


@admin.register(ReportForm)
class ReportFormAdmin(ProvinceScopedAdmin, SimpleHistoryAdmin):
    """The figures and texts a report asks (the shipped default comes with the demo's QCDC plan)."""

    province_path = "deliverable_type__plan__province"
    related_province_paths = {"plans.deliverabletype": "plan__province"}
    list_display = ["title", "deliverable_type", "kind"]
    inlines = [ReportFieldInline]


@admin.register(Exemplar)
class ExemplarAdmin(ProvinceScopedAdmin, SimpleHistoryAdmin):
    list_display = ["name", "kind", "year", "agency_version", "level", "decision_number"]
    list_filter = ["year", "kind", "level"]
    search_fields = ["name", "agency_version__name"]
    raw_id_fields = ["agency", "agency_version"]
    readonly_fields = ["evidence_sha256", "recognised_by", "recognised_at", "created_by"]
