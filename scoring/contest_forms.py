"""The organiser's form of a contest (cuộc thi): name, year, the published criteria set (and further
sets), theme, combine rule, places per prize, the entrants and the judging panel. The choices come
from selectors (names in Vietnamese order); the rules are the service's (services.contest)."""

from __future__ import annotations

from django import forms
from django.contrib.auth import get_user_model
from django.utils.translation import gettext_lazy as _

from portal.cleaning import TypedTextField
from portal.models import Agency, Province

from .models import Contest, CriteriaSet
from .models.contest import default_awards
from .selectors import contest as selectors
from .services.contest import ContestSetup


def _set_label(criteria_set: CriteriaSet) -> str:
    groups = ", ".join(criteria_set.applies_to_groups)
    label = f"{criteria_set.regulation.so_ky_hieu} — {criteria_set.name}"
    return f"{label} ({groups})" if groups else label


class ContestForm(forms.Form):
    name = TypedTextField(
        label=_("Name of the contest"),
        max_length=200,
        help_text=_("As the award decision names it, e.g. Cuộc thi “Dân vận khéo” năm 2026"),
        error_messages={"required": _("Enter the name of the contest.")},
    )
    year = forms.IntegerField(
        label=_("Year"),
        min_value=2000,
        max_value=2100,
        error_messages={
            "required": _("Enter the year of the contest."),
            "invalid": _("Enter the year as four digits, e.g. 2026."),
            "min_value": _("Enter the year as four digits, e.g. 2026."),
            "max_value": _("Enter the year as four digits, e.g. 2026."),
        },
    )
    theme = TypedTextField(label=_("Theme"), max_length=300, required=False)
    criteria_set = forms.ModelChoiceField(
        CriteriaSet.objects.none(),
        label=_("Published criteria set"),
        empty_label="—",
        error_messages={"required": _("Choose the criteria set the judges mark on.")},
    )
    further_sets = forms.ModelMultipleChoiceField(
        CriteriaSet.objects.none(),
        label=_("Further criteria sets"),
        required=False,
        widget=forms.CheckboxSelectMultiple,
        help_text=_(
            "Each for the groups (khối) it names, e.g. communes on set 02; the other entrants are marked "
            "on the set above."
        ),
    )
    combine = forms.ChoiceField(
        label=_("Combine rule"),
        choices=Contest.Combine.choices,
        initial=Contest.Combine.AVERAGE,
        widget=forms.RadioSelect,
    )
    entrants = forms.ModelMultipleChoiceField(
        Agency.objects.none(),
        label=_("Entrants"),
        widget=forms.CheckboxSelectMultiple,
        error_messages={"required": _("Choose at least one entrant.")},
    )
    judges = forms.ModelMultipleChoiceField(
        get_user_model().objects.none(),
        label=_("Judging panel"),
        widget=forms.CheckboxSelectMultiple,
        help_text=_(
            "Each judge marks every entrant alone and sees no other judge's marks until the results are published."
        ),
        error_messages={"required": _("Choose at least one judge.")},
    )

    def __init__(self, *args, province: Province, contest: Contest | None = None, **kwargs):
        super().__init__(*args, **kwargs)
        sets = selectors.contest_set_choices(province)
        for name in ("criteria_set", "further_sets"):
            field = self.fields[name]
            field.queryset = CriteriaSet.objects.filter(regulation__province=province)
            field.choices = ([("", "—")] if name == "criteria_set" else []) + [(s.pk, _set_label(s)) for s in sets]
        self.fields["entrants"].queryset = Agency.objects.filter(province=province)
        self.fields["entrants"].choices = selectors.entrant_choices(province, contest)
        self.fields["judges"].queryset = get_user_model().objects.filter(province=province, is_active=True)
        self.fields["judges"].choices = selectors.judge_choices(province)
        self.awards = contest.awards if contest is not None else default_awards()
        for award in self.awards:
            self.fields[f"places_{award['code']}"] = forms.IntegerField(
                label=_("Places of %(prize)s") % {"prize": award["name"]},
                min_value=0,
                max_value=999,
                initial=award["count"],
                error_messages={
                    "required": _("Enter the number of places of %(prize)s (0 for none).") % {"prize": award["name"]},
                    "invalid": _("Enter a whole number."),
                    "min_value": _("The number of places cannot be below 0."),
                    "max_value": _("Enter at most 999 places."),
                },
            )

    @staticmethod
    def initial_of(contest: Contest) -> dict:
        """The form's values for a contest being changed."""
        period = contest.period
        return {
            "name": period.name,
            "year": period.year,
            "theme": contest.theme,
            "criteria_set": period.criteria_set_id,
            "further_sets": list(period.further_sets.values_list("criteria_set_id", flat=True)),
            "combine": contest.combine,
            "entrants": list(period.dossiers.values_list("agency_id", flat=True)),
            "judges": list(contest.judges.values_list("user_id", flat=True)),
            **{f"places_{a['code']}": a["count"] for a in contest.awards},
        }

    def setup(self) -> ContestSetup:
        data = self.cleaned_data
        return ContestSetup(
            name=data["name"],
            year=data["year"],
            criteria_set=data["criteria_set"],
            further_sets=tuple(s for s in data["further_sets"] if s.pk != data["criteria_set"].pk),
            theme=data["theme"],
            combine=data["combine"],
            places={a["code"]: data[f"places_{a['code']}"] for a in self.awards},
            entrants=tuple(data["entrants"]),
            judges=tuple(data["judges"]),
        )
