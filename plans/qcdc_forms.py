"""Forms of grassroots democracy (QCDC): a unit's report (built from its report form's fields),
nominating an exemplar, recognising it, and the exemplar list's filters."""

from __future__ import annotations

from django import forms
from django.utils.translation import gettext_lazy as _

from portal.cleaning import TypedTextField
from portal.forms import upload_field

from .forms import DvkRegistryForm, RecognitionForm
from .models import DvkField, ExemplarKind, ReportField
from .services.qcdc import TEXT_MAX_CHARS


class ReportEntryForm(forms.Form):
    """One field per line of the report form, named by its code. Every value is taken as typed (the
    service parses the figures and says what is wrong in Vietnamese), so nothing typed is lost."""

    def __init__(self, *args, fields: list[ReportField], **kwargs):
        super().__init__(*args, **kwargs)
        for f in fields:
            if f.is_number:
                label = f"{f.label} ({f.unit})" if f.unit else f.label
                self.fields[f.code] = forms.CharField(
                    label=label,
                    required=False,
                    max_length=20,
                    help_text=f.help_text or None,
                    widget=forms.TextInput(attrs={"inputmode": "numeric", "class": "text-end", "autocomplete": "off"}),
                )
            else:
                self.fields[f.code] = TypedTextField(
                    label=f.label,
                    required=False,
                    max_length=TEXT_MAX_CHARS,
                    help_text=f.help_text or None,
                    widget=forms.Textarea(attrs={"rows": 4}),
                )

    def raw(self) -> dict[str, str]:
        """What was typed, field by field (the service validates it)."""
        return {name: self.data.get(self.add_prefix(name), "") for name in self.fields}


class ExemplarForm(forms.Form):
    year = forms.TypedChoiceField(label=_("Year"), coerce=int)
    name = TypedTextField(
        label=_("Name of the collective or individual"),
        max_length=300,
        error_messages={"required": _("Enter the name of the collective or individual.")},
    )
    kind = forms.ChoiceField(
        label=_("Collective or individual"),
        choices=[("", "—"), *ExemplarKind.choices],
        error_messages={"required": _("Choose a collective or an individual.")},
    )
    field = forms.ChoiceField(
        label=_("Field of work"),
        choices=[("", "—"), *DvkField.choices],
        error_messages={"required": _("Choose the field.")},
    )
    achievements = TypedTextField(
        label=_("Achievements"),
        widget=forms.Textarea(attrs={"rows": 5}),
        error_messages={"required": _("Describe the achievements.")},
    )
    evidence = upload_field(_("Evidence (optional)"), required=False)

    def __init__(self, *args, years=(), **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["year"].choices = [(y, str(y)) for y in years]


class ExemplarRecognitionForm(RecognitionForm):
    number_example = _("e.g. 125/QĐ-SNV")


class ExemplarRegistryForm(DvkRegistryForm):
    """The exemplar list's filters: the models' filters and collective/individual."""

    kind = forms.ChoiceField(
        label=_("Collective or individual"), required=False, choices=[("", _("All")), *ExemplarKind.choices]
    )

    field_order = ("q", "year", "kind", "field", "level", "unit")

    def filter_values(self) -> dict:
        return {**super().filter_values(), "kind": self.cleaned_data.get("kind") or ""}
