"""Admin for contests (cuộc thi): the panel inline, the entrants chosen among the province's units, the judges' marks to read."""

from django import forms
from django.contrib import admin, messages
from django.core.exceptions import ValidationError
from django.utils.translation import gettext_lazy
from simple_history.admin import SimpleHistoryAdmin

from portal.admin_scope import ProvinceScopedAdmin, ProvinceScopedInline
from portal.models import Agency

from ..models import (
    Contest,
    ContestJudge,
    JudgeMark,
    ScoringPeriod,
)
from ..selectors.contest import entrant_choices
from ..services.contest import awards_problems, contest_enter


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
