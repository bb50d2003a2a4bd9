"""Admin for the regulation library: browse, import a file, export, compare two versions."""

from django import forms
from django.contrib import admin, messages
from django.http import HttpResponse
from django.shortcuts import get_object_or_404, redirect
from django.template.response import TemplateResponse
from django.urls import path, reverse
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from portal.models import Province

from .engine.diff import diff_specs
from .explain import change_text
from .libraryio import LibraryErrors, write_xlsx, write_yaml
from .models import ClassBand, CriteriaSet, Criterion, GateRule, QuotaRule, Regulation
from .selectors import criteria_set_spec, regulation_document
from .services import regulation_import_file

MAX_LIBRARY_FILE = 5 * 1024 * 1024


class ImportForm(forms.Form):
    province = forms.ModelChoiceField(Province.objects.all(), label=gettext_lazy("Province"))
    file = forms.FileField(label=gettext_lazy("Library file (.yaml or .xlsx)"))
    replace = forms.BooleanField(label=gettext_lazy("Replace if already loaded"), required=False)

    def clean_file(self):
        upload = self.cleaned_data["file"]
        if not upload.name.lower().endswith((".yaml", ".yml", ".xlsx")):
            raise forms.ValidationError(_("Choose a .yaml or .xlsx file."))
        if upload.size > MAX_LIBRARY_FILE:
            raise forms.ValidationError(_("The file is larger than 5 MB."))
        return upload


class DiffForm(forms.Form):
    old = forms.ModelChoiceField(CriteriaSet.objects.select_related("regulation"), label=gettext_lazy("Old version"))
    new = forms.ModelChoiceField(CriteriaSet.objects.select_related("regulation"), label=gettext_lazy("New version"))


class CriteriaSetInline(admin.TabularInline):
    model = CriteriaSet
    extra = 0
    fields = ["code", "name", "max_total", "bonus_cap", "penalty_cap"]
    readonly_fields = fields
    show_change_link = True
    can_delete = False


@admin.register(Regulation)
class RegulationAdmin(admin.ModelAdmin):
    list_display = ["so_ky_hieu", "title", "program", "issued_on", "is_reconstruction", "province"]
    list_filter = ["province", "program", "is_reconstruction"]
    search_fields = ["so_ky_hieu", "alt_so_ky_hieu", "title", "code"]
    readonly_fields = ["source_sha256", "imported_at", "imported_by"]
    inlines = [CriteriaSetInline]
    change_list_template = "admin/scoring/regulation/change_list.html"

    def get_urls(self):
        extra = [
            path("import/", self.admin_site.admin_view(self.import_view), name="scoring_regulation_import"),
            path("diff/", self.admin_site.admin_view(self.diff_view), name="scoring_regulation_diff"),
            path(
                "export/<int:set_id>/<str:fmt>/",
                self.admin_site.admin_view(self.export_view),
                name="scoring_regulation_export",
            ),
        ]
        return extra + super().get_urls()

    def import_view(self, request):
        if not self.has_add_permission(request):
            return redirect("admin:index")
        form = ImportForm(request.POST or None, request.FILES or None)
        errors = []
        if request.method == "POST" and form.is_valid():
            upload = form.cleaned_data["file"]
            try:
                regulation = regulation_import_file(
                    province=form.cleaned_data["province"],
                    name=upload.name,
                    content=upload.read(),
                    by=request.user,
                    replace=form.cleaned_data["replace"],
                )
            except LibraryErrors as problem:
                errors = [str(e) for e in problem.errors]
            else:
                messages.success(request, _("Loaded %(doc)s.") % {"doc": regulation.so_ky_hieu})
                return redirect("admin:scoring_regulation_change", regulation.pk)
        context = {**self.admin_site.each_context(request), "form": form, "errors": errors,
                   "title": _("Import a regulation"), "opts": self.model._meta}  # fmt: skip
        return TemplateResponse(request, "admin/scoring/regulation/import.html", context)

    def diff_view(self, request):
        form = DiffForm(request.GET or None)
        changes = None
        if form.is_valid():
            old, new = form.cleaned_data["old"], form.cleaned_data["new"]
            changes = [change_text(c) for c in diff_specs(criteria_set_spec(old), criteria_set_spec(new))]
        context = {**self.admin_site.each_context(request), "form": form, "changes": changes,
                   "title": _("Compare two criteria sets"), "opts": self.model._meta}  # fmt: skip
        return TemplateResponse(request, "admin/scoring/regulation/diff.html", context)

    def export_view(self, request, set_id: int, fmt: str):
        criteria_set = get_object_or_404(CriteriaSet.objects.select_related("regulation"), pk=set_id)
        doc = regulation_document(criteria_set)
        name = f"{criteria_set.regulation.code}-{criteria_set.code}"
        if fmt == "xlsx":
            response = HttpResponse(
                write_xlsx(doc), content_type="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
            )
            response["Content-Disposition"] = f'attachment; filename="{name}.xlsx"'
        else:
            response = HttpResponse(write_yaml(doc), content_type="application/yaml; charset=utf-8")
            response["Content-Disposition"] = f'attachment; filename="{name}.yaml"'
        return response


class CriterionInline(admin.TabularInline):
    model = Criterion
    extra = 0
    fields = ["code", "title", "kind", "score_type", "max_points", "na_policy", "combine_rule"]
    readonly_fields = fields
    can_delete = False
    show_change_link = False


class BandInline(admin.TabularInline):
    model = ClassBand
    extra = 0
    fields = ["code", "label", "min_points", "max_points"]
    readonly_fields = fields


class GateInline(admin.TabularInline):
    model = GateRule
    extra = 0
    fields = ["code", "title", "trigger", "target", "effect", "band_code"]
    readonly_fields = fields


class QuotaInline(admin.TabularInline):
    model = QuotaRule
    extra = 0
    fields = ["band_code", "max_percent"]
    readonly_fields = fields


@admin.register(CriteriaSet)
class CriteriaSetAdmin(admin.ModelAdmin):
    """Read-only: a set changes by loading a new version, never by editing numbers in place."""

    list_display = ["__str__", "name", "max_total", "exports"]
    inlines = [CriterionInline, BandInline, GateInline, QuotaInline]
    readonly_fields = [
        "regulation", "code", "name", "applies_to_groups", "max_total", "rescale_to", "ceiling",
        "bonus_cap", "penalty_cap", "rounding", "fallback_to_self", "exports",
    ]  # fmt: skip

    @admin.display(description=gettext_lazy("Export"))
    def exports(self, obj):
        from django.utils.html import format_html

        return format_html(
            '<a href="{}">YAML</a> · <a href="{}">Excel</a>',
            reverse("admin:scoring_regulation_export", args=[obj.pk, "yaml"]),
            reverse("admin:scoring_regulation_export", args=[obj.pk, "xlsx"]),
        )

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False
