"""Admin for the regulation library: browse, import a file, export, compare two versions."""

from django import forms
from django.contrib import admin, messages
from django.core.exceptions import PermissionDenied
from django.http import HttpResponse
from django.shortcuts import get_object_or_404, redirect
from django.template.response import TemplateResponse
from django.urls import path, reverse
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from portal.admin_scope import ProvinceScopedAdmin, ProvinceScopedInline, is_scoped, scoped
from portal.downloads import protect_download
from portal.models import Province
from portal.spreadsheets import xlsx_response

from ..engine.diff import diff_specs
from ..explain import change_text
from ..libraryio import LibraryErrors, write_xlsx, write_yaml
from ..models import (
    ClassBand,
    CriteriaSet,
    Criterion,
    GateRule,
    QuotaRule,
    Regulation,
)
from ..selectors import criteria_set_spec, regulation_document
from ..selectors.regulations import regulation_full_document
from ..services import regulation_import_file

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


class ReadOnlyInline(ProvinceScopedInline, admin.TabularInline):
    """Rows shown beside their regulation or set, never edited in place (a new version is loaded)."""

    extra = 0
    can_delete = False

    def has_add_permission(self, request, obj):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False


class CriteriaSetInline(ReadOnlyInline):
    model = CriteriaSet
    fields = ["code", "name", "max_total", "bonus_cap", "penalty_cap"]
    readonly_fields = fields
    show_change_link = True


@admin.register(Regulation)
class RegulationAdmin(ProvinceScopedAdmin):
    list_display = ["so_ky_hieu", "title", "program", "issued_on", "is_reconstruction", "province", "exports"]
    list_filter = ["province", "program", "is_reconstruction"]
    search_fields = ["so_ky_hieu", "alt_so_ky_hieu", "title", "code"]
    readonly_fields = ["source_sha256", "imported_at", "imported_by", "exports"]
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
            path(
                "<int:regulation_id>/export/<str:fmt>/",
                self.admin_site.admin_view(self.export_regulation_view),
                name="scoring_regulation_export_all",
            ),
        ]
        return extra + super().get_urls()

    @admin.display(description=gettext_lazy("Export"))
    def exports(self, obj):
        """The whole regulation, every set (Excel: each set on its own sheets)."""
        from django.utils.html import format_html

        if obj is None or obj.pk is None:
            return ""
        return format_html(
            '<a href="{}">YAML</a> · <a href="{}">Excel</a>',
            reverse("admin:scoring_regulation_export_all", args=[obj.pk, "yaml"]),
            reverse("admin:scoring_regulation_export_all", args=[obj.pk, "xlsx"]),
        )

    def export_regulation_view(self, request, regulation_id: int, fmt: str):
        if not self.has_view_permission(request):
            raise PermissionDenied
        regulations = Regulation.objects.all()
        if is_scoped(request):
            regulations = scoped(regulations, "province", request)
        regulation = get_object_or_404(regulations, pk=regulation_id)
        return _library_download(regulation_full_document(regulation), regulation.code, fmt)

    def import_view(self, request):
        if not self.has_add_permission(request):
            return redirect("admin:index")
        form = ImportForm(request.POST or None, request.FILES or None)
        if is_scoped(request):
            form.fields["province"].queryset = scoped(Province.objects.all(), "pk", request)
            form.fields["province"].initial = request.user.province_id
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
        if not self.has_view_permission(request):
            raise PermissionDenied
        form = DiffForm(request.GET or None)
        if is_scoped(request):
            for name in ("old", "new"):
                form.fields[name].queryset = scoped(form.fields[name].queryset, "regulation__province", request)
        changes = None
        if form.is_valid():
            old, new = form.cleaned_data["old"], form.cleaned_data["new"]
            changes = [change_text(c) for c in diff_specs(criteria_set_spec(old), criteria_set_spec(new))]
        context = {**self.admin_site.each_context(request), "form": form, "changes": changes,
                   "title": _("Compare two criteria sets"), "opts": self.model._meta}  # fmt: skip
        return TemplateResponse(request, "admin/scoring/regulation/diff.html", context)

    def export_view(self, request, set_id: int, fmt: str):
        if not self.has_view_permission(request):
            raise PermissionDenied
        sets = CriteriaSet.objects.select_related("regulation")
        if is_scoped(request):
            sets = scoped(sets, "regulation__province", request)
        criteria_set = get_object_or_404(sets, pk=set_id)
        name = f"{criteria_set.regulation.code}-{criteria_set.code}"
        return _library_download(regulation_document(criteria_set), name, fmt)


def _library_download(doc, name: str, fmt: str) -> HttpResponse:
    """A library file to download: Excel (several sets: each on its own sheets) or YAML."""
    if fmt == "xlsx":
        return xlsx_response(write_xlsx(doc), f"{name}.xlsx")
    return protect_download(
        HttpResponse(write_yaml(doc)), filename=f"{name}.yaml", content_type="application/yaml; charset=utf-8"
    )


class CriterionInline(ReadOnlyInline):
    model = Criterion
    fields = ["code", "title", "kind", "score_type", "max_points", "na_policy", "combine_rule"]
    readonly_fields = fields
    show_change_link = False


class BandInline(ReadOnlyInline):
    model = ClassBand
    fields = ["code", "label", "min_points", "max_points"]
    readonly_fields = fields


class GateInline(ReadOnlyInline):
    model = GateRule
    fields = ["code", "title", "trigger", "target", "effect", "band_code"]
    readonly_fields = fields


class QuotaInline(ReadOnlyInline):
    model = QuotaRule
    fields = ["band_code", "max_percent"]
    readonly_fields = fields


@admin.register(CriteriaSet)
class CriteriaSetAdmin(ProvinceScopedAdmin):
    """Read-only: a set changes by loading a new version, never by editing numbers in place."""

    province_path = "regulation__province"

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
