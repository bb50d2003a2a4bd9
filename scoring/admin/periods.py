"""Admin for scoring periods: create one with its dossiers, its phases, the further criteria sets it applies."""

from django import forms
from django.contrib import admin, messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from simple_history.admin import SimpleHistoryAdmin

from portal.admin_scope import ProvinceScopedAdmin, ProvinceScopedInline, is_scoped

from ..models import (
    PeriodCriteriaSet,
    Phase,
    ScoringPeriod,
)
from ..services import period_create, phases_check
from ..services.period_sets import further_sets_problems, period_further_sets_change

SETS_REASON = "sets_change_reason"


class PeriodForm(forms.ModelForm):
    # Why the further sets change (dossiers move with them): recorded with who and when. Required
    # by the sets' formset, only when they change (PeriodSetsFormSet.clean).
    sets_change_reason = forms.CharField(
        label=gettext_lazy("Reason for changing the further criteria sets"),
        required=False,
        max_length=500,
        widget=forms.Textarea(attrs={"rows": 2}),
        help_text=gettext_lazy("Required when a further criteria set is added, changed or removed below."),
    )

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
        if not (self.data.get(SETS_REASON) or "").strip():
            problems = [
                *problems,
                _("Give the reason for changing the further criteria sets (above, in the period's form)."),
            ]
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
        (gettext_lazy("Further criteria sets"), {"fields": [SETS_REASON]}),
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
                    reason=form.cleaned_data.get(SETS_REASON, "").strip(),
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
