"""Admin for the regulation library: browse, import a file, export, compare two versions."""

from django import forms
from django.contrib import admin, messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import HttpResponse
from django.shortcuts import get_object_or_404, redirect
from django.template.response import TemplateResponse
from django.urls import path, reverse
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from simple_history.admin import SimpleHistoryAdmin

from portal.admin_scope import ProvinceScopedAdmin, ProvinceScopedInline, is_scoped, scoped
from portal.downloads import protect_download
from portal.models import Agency, Province
from portal.spreadsheets import xlsx_response

from .engine.diff import diff_specs
from .explain import change_text
from .libraryio import LibraryErrors, write_xlsx, write_yaml
from .models import (
    ClassBand,
    Contest,
    ContestJudge,
    CriteriaSet,
    Criterion,
    GateRule,
    JudgeMark,
    PeriodCriteriaSet,
    Phase,
    QuotaRule,
    Regulation,
    ScoringPeriod,
)
from .selectors import criteria_set_spec, regulation_document
from .selectors.contest import entrant_choices
from .selectors.regulations import regulation_full_document
from .services import period_create, phases_check, regulation_import_file
from .services.contest import awards_problems, contest_enter
from .services.period_sets import further_sets_problems, period_further_sets_change

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


class PeriodForm(forms.ModelForm):
    def clean(self):
        cleaned = super().clean()
        dates = [cleaned.get(name) for name in PERIOD_DATES]
        if all(dates) and dates != sorted(dates):
            raise forms.ValidationError(_("The phase dates must follow one another."))
        if all(dates) and "phases" in cleaned and cleaned.get("grace_days") is not None:
            # The same checks as the service: the list, its days with the dates above, the current phase.
            period = self.instance
            for name in [*PERIOD_DATES, "grace_days"]:
                setattr(period, name, cleaned[name])
            problems = phases_check(period, cleaned["phases"])
            if problems:
                self.add_error("phases", problems)
        return cleaned


class PeriodSetsFormSet(forms.BaseInlineFormSet):
    """The period's further sets, checked with its own as the service checks them: not once the
    period is final, no set twice, no group named by two sets, no set of another province's
    regulation, no group with dossiers left without a set. Saved by the service, which moves the
    dossiers of the groups concerned to their new set (services.period_sets)."""

    def kept(self) -> list:
        """The further sets as the form has them, in their order."""
        rows = [
            (form.cleaned_data.get("order") or 0, i, form.cleaned_data["criteria_set"])
            for i, form in enumerate(self.forms)
            if form.cleaned_data.get("criteria_set") and not form.cleaned_data.get("DELETE")
        ]
        return [criteria_set for _order, _i, criteria_set in sorted(rows, key=lambda row: row[:2])]

    def clean(self):
        super().clean()
        period = self.instance
        if any(self.errors) or period.pk is None or not self.has_changed():
            return
        problems = further_sets_problems(period, self.kept())
        if problems:
            raise forms.ValidationError(problems)


class PeriodCriteriaSetInline(ProvinceScopedInline, admin.TabularInline):
    """A period's further criteria sets (each for the groups it names), chosen among the province's
    sets until the period is final: the dossiers of the groups a change concerns move to their new
    set, what was typed carried by criterion code (services.period_sets)."""

    model = PeriodCriteriaSet
    formset = PeriodSetsFormSet
    fields = ["criteria_set", "order"]
    extra = 0

    def _editable(self, obj) -> bool:
        return obj is not None and not obj.is_final

    def has_add_permission(self, request, obj):
        return self._editable(obj) and super().has_add_permission(request, obj)

    def has_change_permission(self, request, obj=None):
        return (obj is None or self._editable(obj)) and super().has_change_permission(request, obj)

    def has_delete_permission(self, request, obj=None):
        return (obj is None or self._editable(obj)) and super().has_delete_permission(request, obj)


PERIOD_DATES = ["self_assessment_opens_on", "self_assessment_due_on", "appraisal_due_on", "explanation_due_on"]


@admin.register(ScoringPeriod)
class ScoringPeriodAdmin(ProvinceScopedAdmin, SimpleHistoryAdmin):
    """A period is opened here (with a dossier for every agency of its groups) and its dates and
    year-end numbers kept; phases change on the period page, where each change gives its reason."""

    form = PeriodForm
    inlines = [PeriodCriteriaSetInline]
    list_display = ["name", "year", "program", "phase", "criteria_set"]
    list_filter = ["province", "program", "phase"]
    search_fields = ["name"]
    fieldsets = [
        (None, {"fields": ["province", "year", "program", "name", "criteria_set", "phase"]}),
        (
            gettext_lazy("Dates"),
            {"fields": [*PERIOD_DATES[:2], "grace_days", *PERIOD_DATES[2:], "decision_due_on", "auto_switch"]},
        ),
        (gettext_lazy("Phases"), {"fields": ["phases"]}),
        (
            gettext_lazy("Year-end documents"),
            {"fields": ["proposal_number", "proposal_date", "decision_number", "decision_date"]},
        ),
        (gettext_lazy("Final"), {"fields": ["finalized_at", "finalized_by"]}),
    ]

    def get_fieldsets(self, request, obj=None):
        # A new period starts from the built-in phases (their days from the dates above); its phases,
        # year-end numbers and finalization are edited on the opened period.
        return self.fieldsets if obj is not None else self.fieldsets[:2]

    def get_readonly_fields(self, request, obj=None):
        readonly = ["phase", "finalized_at", "finalized_by"]
        if obj is not None:  # the pinned set and the year are the period's identity once dossiers exist
            readonly += ["province", "year", "program", "criteria_set"]
        return readonly

    def get_inline_instances(self, request, obj=None):
        # A new period is made by the service with its main set; further sets are added once it exists.
        return super().get_inline_instances(request, obj) if obj is not None else []

    def save_related(self, request, form, formsets, change):
        sets = next((each for each in formsets if isinstance(each, PeriodSetsFormSet)), None)
        super().save_related(request, form, [each for each in formsets if each is not sets], change)
        if sets is None:
            return
        sets.save(commit=False)  # what the change message lists; the service writes the rows
        if change and sets.has_changed():
            # The dossiers of the groups concerned move to their new set; new groups get dossiers.
            try:
                period_further_sets_change(
                    period=form.instance,
                    further_sets=sets.kept(),
                    by=request.user,
                    reason=_("Further criteria sets changed in the administration"),
                )
            except ValidationError as error:
                messages.error(request, " ".join(error.messages))

    def has_delete_permission(self, request, obj=None):
        # A period with dossiers is history; only an untouched one in preparation may go.
        allowed = super().has_delete_permission(request, obj)
        return allowed and (obj is None or (obj.phase == Phase.PREPARATION and not obj.dossiers.exists()))

    def save_model(self, request, obj, form, change):
        if change:
            return super().save_model(request, obj, form, change)
        if is_scoped(request) and obj.province_id != request.user.province_id:
            raise PermissionDenied
        created = period_create(
            province=obj.province,
            year=obj.year,
            program=obj.program,
            criteria_set=obj.criteria_set,
            name=obj.name,
            self_assessment_opens_on=obj.self_assessment_opens_on,
            self_assessment_due_on=obj.self_assessment_due_on,
            grace_days=obj.grace_days,
            appraisal_due_on=obj.appraisal_due_on,
            explanation_due_on=obj.explanation_due_on,
            decision_due_on=obj.decision_due_on,
            phases=obj.phases,
            by=request.user,
        )
        if not obj.auto_switch:
            ScoringPeriod.objects.filter(pk=created.pk).update(auto_switch=False)
        obj.pk, obj._state.adding = created.pk, False


# --- contests (cuộc thi) ---------------------------------------------------------------------------


class ContestJudgeInline(ProvinceScopedInline, admin.TabularInline):
    """The panel: people of the province, each with a title; a judge who has marked cannot leave
    (the marks are protected)."""

    model = ContestJudge
    fields = ["user", "title", "order"]
    extra = 0


class ContestAdminForm(forms.ModelForm):
    entrants = forms.ModelMultipleChoiceField(
        Agency.objects.none(),
        label=gettext_lazy("Entrants"),
        required=False,
        widget=forms.CheckboxSelectMultiple,
        help_text=gettext_lazy("An entrant a judge has marked stays entered."),
    )

    # No Meta: the admin builds the model form at request time (the period's choices need a
    # province scope, open only then).

    def clean_awards(self):
        awards = self.cleaned_data["awards"]
        problems = awards_problems(awards)
        if problems:
            raise forms.ValidationError(problems)
        return awards


@admin.register(Contest)
class ContestAdmin(ProvinceScopedAdmin, SimpleHistoryAdmin):
    """A contest on a "Dân vận khéo" period: its rule, prizes (data), panel and entrants. The
    organisers set contests up on the portal's own form too (Cuộc thi → Cuộc thi mới)."""

    form = ContestAdminForm
    province_path = "period__province"
    inlines = [ContestJudgeInline]
    fields = ["period", "theme", "combine", "awards", "entrants"]
    list_display = ["__str__", "combine"]
    list_filter = ["period__province", "combine"]
    search_fields = ["period__name", "theme"]

    def get_queryset(self, request):
        return super().get_queryset(request).select_related("period")

    def get_readonly_fields(self, request, obj=None):
        return ["period"] if obj is not None else []

    def formfield_for_foreignkey(self, db_field, request, **kwargs):
        if db_field.name == "period":  # a contest is a period of the "Dân vận khéo" programme
            kwargs["queryset"] = ScoringPeriod.objects.filter(program="dvk", contest__isnull=True)
        return super().formfield_for_foreignkey(db_field, request, **kwargs)

    def get_form(self, request, obj=None, change=False, **kwargs):
        form = super().get_form(request, obj, change=change, **kwargs)
        province_id = obj.period.province_id if obj is not None else request.user.province_id
        agencies = Agency.objects.filter(province_id=province_id) if province_id else Agency.objects.none()
        names = entrant_choices(obj.period.province, obj) if obj is not None else None
        entered = list(obj.period.dossiers.values_list("agency_id", flat=True)) if obj is not None else []

        class Form(form):
            def __init__(self, *args, **kw):
                super().__init__(*args, **kw)
                field = self.fields["entrants"]
                field.queryset = agencies
                if names is not None:
                    field.choices = names
                field.initial = entered

        return Form

    def save_related(self, request, form, formsets, change):
        super().save_related(request, form, formsets, change)
        # A new contest on a period that already has its dossiers keeps them unless units are named.
        if "entrants" in form.changed_data and (change or form.cleaned_data["entrants"]):
            try:
                contest_enter(contest=form.instance, agencies=form.cleaned_data["entrants"], by=request.user)
            except ValidationError as error:
                messages.error(request, " ".join(error.messages))


@admin.register(JudgeMark)
class JudgeMarkAdmin(ProvinceScopedAdmin, SimpleHistoryAdmin):
    """Judges' marks, to read (with their history): a judge enters them on the portal alone."""

    province_path = "dossier__period__province"
    list_display = ["judge", "dossier", "criterion", "raw", "points", "entered_at"]
    list_filter = ["dossier__period__province", "judge__contest"]
    list_select_related = ["judge__user", "dossier__agency_version", "dossier__period", "criterion"]

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False
