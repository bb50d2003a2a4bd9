"""Forms of the assessment cycle. Marks are validated by the engine (per score type), not here."""

from django import forms
from django.utils.translation import gettext_lazy as _

from portal.cleaning import EXPLANATION_MAX_CHARS, TypedTextField
from portal.forms import upload_field

from .models import Dossier
from .phases import PhaseTable

DATE_ERRORS = {"invalid": _("Enter a valid date, e.g. 31/12/2021.")}


class EvidenceForm(forms.Form):
    file = upload_field(_("File"), required=False)
    doc_number = TypedTextField(label=_("Number and symbol"), max_length=60, required=False)
    doc_date = forms.DateField(label=_("Document date"), required=False, error_messages=DATE_ERRORS)
    summary = TypedTextField(label=_("Summary (trích yếu)"), max_length=300, required=False)
    page_ref = TypedTextField(label=_("Page or section"), max_length=60, required=False)


class ReasonForm(forms.Form):
    reason = TypedTextField(
        label=_("Reason"), widget=forms.Textarea(attrs={"rows": 2}), error_messages={"required": _("Give the reason.")}
    )


class ReopenForm(forms.Form):
    reason = TypedTextField(
        label=_("Reason"),
        widget=forms.Textarea(attrs={"rows": 2}),
        error_messages={"required": _("Give the reason for reopening the dossier.")},
    )


class PhaseForm(ReasonForm):
    """Offers the moves a person may make (one step on or back); any phase of the period is read, so
    a refused move gets the service's reason rather than "not a valid choice"."""

    phase = forms.ChoiceField(label=_("Move to phase"))
    field_order = ["phase", "reason"]

    def __init__(self, *args, table: PhaseTable, current: str, **kwargs):
        super().__init__(*args, **kwargs)
        field = self.fields["phase"]
        field.choices = [(p.key, p.label) for p in table]
        forward = table.next(current)
        field.widget.choices = [
            (p.key, (_("%(phase)s (next)") if p == forward else _("%(phase)s (back one step)")) % {"phase": p.label})
            for p in table.moves(current)
        ]


class VersionChangeForm(ReasonForm):
    """Confirms the diff shown (`confirmed`: its digest) of moving the period to `criteria_set`."""

    criteria_set = forms.IntegerField(widget=forms.HiddenInput)
    confirmed = forms.CharField(widget=forms.HiddenInput, max_length=64)


def _written(label, required_message, rows: int) -> TypedTextField:
    """A required text the other side reads (an explanation, a request), at most a page long."""
    return TypedTextField(
        max_length=EXPLANATION_MAX_CHARS,
        label=label,
        widget=forms.Textarea(attrs={"rows": rows}),
        error_messages={"required": required_message},
    )


class EvidenceRequestForm(forms.Form):
    message = _written(_("What is needed"), _("Say what evidence is needed."), rows=2)


class ExplanationForm(forms.Form):
    text = _written(_("Explanation"), _("Write the explanation."), rows=3)


class DecisionForm(forms.Form):
    decision = forms.ChoiceField(label=_("Decision"), choices=[("accept", _("Accept")), ("reject", _("Reject"))])
    new_raw = forms.CharField(label=_("New mark"), required=False, max_length=60)
    reason = TypedTextField(
        label=_("Reason"),
        widget=forms.Textarea(attrs={"rows": 2}),
        error_messages={"required": _("Give the reason for the decision.")},
    )


class FinalChangeForm(forms.Form):
    new_raw = forms.CharField(label=_("New mark"), max_length=60)
    reason = TypedTextField(
        label=_("Reason"),
        widget=forms.Textarea(attrs={"rows": 2}),
        error_messages={"required": _("A change after finalization needs a reason.")},
    )


class QueueFilterForm(forms.Form):
    group = forms.ModelChoiceField(queryset=None, label=_("Group (khối)"), required=False)
    status = forms.ChoiceField(
        label=_("Status"), required=False, choices=[("", _("All"))] + list(Dossier.Status.choices)
    )
    late = forms.ChoiceField(
        label=_("Late"), required=False, choices=[("", _("All")), ("1", _("Late")), ("0", _("On time"))]
    )

    def __init__(self, *args, groups=None, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["group"].queryset = groups


class ExcelUploadForm(forms.Form):
    file = forms.FileField(label=_("Filled-in form (.xlsx)"), error_messages={"required": _("Choose the .xlsx file.")})
