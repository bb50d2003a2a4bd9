from django import forms
from django.utils.translation import gettext_lazy as _

from portal.cleaning import TypedTextField
from portal.forms import upload_field

from .models import AgencyGroup, DvkField


class DeliverableUploadForm(forms.Form):
    document = upload_field(_("Document"), error_messages={"required": _("Choose the file of the document.")})
    so_ky_hieu = TypedTextField(
        label=_("Number and symbol"),
        max_length=60,
        help_text=_("e.g. 125/BC-STP"),
        error_messages={"required": _("Enter the number and symbol of the document.")},
    )
    document_date = forms.DateField(
        label=_("Document date"),
        help_text=_("dd/mm/yyyy"),
        widget=forms.DateInput(attrs={"inputmode": "numeric", "placeholder": "20/11/2021"}),
        error_messages={
            "required": _("Enter the date of the document."),
            "invalid": _("Enter a valid date, e.g. 31/12/2021."),
        },
    )


class ReviewForm(forms.Form):
    decision = forms.ChoiceField(choices=[("accept", _("Accept")), ("return", _("Return for correction"))])
    comment = TypedTextField(label=_("Comment"), required=False, widget=forms.Textarea(attrs={"rows": 2}))


class MatrixFilterForm(forms.Form):
    group = forms.ModelChoiceField(AgencyGroup.objects.none(), label=_("Group (khối)"), required=False)
    status = forms.ChoiceField(label=_("Status"), required=False)

    def __init__(self, *args, province=None, statuses=(), **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["group"].queryset = AgencyGroup.objects.filter(province=province)
        self.fields["status"].choices = [("", _("All"))] + list(statuses)


class PreviewForm(forms.Form):
    day = forms.DateField(label=_("Date"), error_messages={"invalid": _("Enter a valid date, e.g. 31/12/2021.")})


# --- "Dân vận khéo" models -------------------------------------------------------------------------

DATE_WIDGET = {"inputmode": "numeric", "placeholder": "31/12/2026"}
DATE_ERRORS = {"invalid": _("Enter a valid date, e.g. 31/12/2021.")}


class DvkModelForm(forms.Form):
    """Phiếu đăng ký mô hình “Dân vận khéo”."""

    year = forms.TypedChoiceField(label=_("Year"), coerce=int)
    name = TypedTextField(
        label=_("Name of the model"), max_length=300, error_messages={"required": _("Enter the name of the model.")}
    )
    field = forms.ChoiceField(
        label=_("Field of work"),
        choices=[("", "—"), *DvkField.choices],
        error_messages={"required": _("Choose the field.")},
    )
    goal = TypedTextField(label=_("Goal"), widget=forms.Textarea(attrs={"rows": 3}))
    lead = TypedTextField(label=_("Who leads"), max_length=300, help_text=_("e.g. the head of the unit, a branch"))
    participants = TypedTextField(label=_("Who takes part"), widget=forms.Textarea(attrs={"rows": 2}))
    starts_on = forms.DateField(
        label=_("Start"),
        help_text=_("dd/mm/yyyy"),
        widget=forms.DateInput(attrs=DATE_WIDGET),
        error_messages=DATE_ERRORS,
    )
    ends_on = forms.DateField(
        label=_("End"), help_text=_("dd/mm/yyyy"), widget=forms.DateInput(attrs=DATE_WIDGET), error_messages=DATE_ERRORS
    )
    expected_result = TypedTextField(label=_("Expected result"), widget=forms.Textarea(attrs={"rows": 3}))

    def __init__(self, *args, years=(), **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["year"].choices = [(y, str(y)) for y in years]


class DvkProgressForm(forms.Form):
    reported_on = forms.DateField(
        label=_("As of"),
        help_text=_("dd/mm/yyyy"),
        widget=forms.DateInput(attrs=DATE_WIDGET),
        error_messages=DATE_ERRORS,
    )
    text = TypedTextField(
        label=_("What was done"),
        widget=forms.Textarea(attrs={"rows": 3}),
        error_messages={"required": _("Say what was done.")},
    )
    document = upload_field(_("Evidence (optional)"), required=False)


class DvkReviewForm(forms.Form):
    decision = forms.ChoiceField(
        label=_("Decision"), choices=[("approve", _("Accept the registration")), ("return", _("Return for correction"))]
    )
    comment = TypedTextField(label=_("Comment"), required=False, widget=forms.Textarea(attrs={"rows": 2}))


class RecognitionForm(forms.Form):
    """A recognising decision: the level and the decision's number and date (models, exemplars)."""

    number_example = ""  # the help text's example of a decision number

    level = forms.ChoiceField(label=_("Level"), error_messages={"required": _("Choose the level.")})
    decision_number = TypedTextField(
        label=_("Number of the decision"),
        max_length=60,
        error_messages={"required": _("Enter the number of the decision.")},
    )
    decision_date = forms.DateField(
        label=_("Date of the decision"),
        help_text=_("dd/mm/yyyy"),
        widget=forms.DateInput(attrs=DATE_WIDGET),
        error_messages={**DATE_ERRORS, "required": _("Enter the date of the decision.")},
    )

    def __init__(self, *args, levels=(), **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["level"].choices = [("", "—"), *levels]
        self.fields["decision_number"].help_text = self.number_example


class DvkRecognitionForm(RecognitionForm):
    number_example = _("e.g. 58-QĐ/BDVTU")

    issuer = TypedTextField(
        label=_("Recognised by"),
        max_length=200,
        help_text=_("e.g. Ban Dân vận Tỉnh ủy"),
        error_messages={"required": _("Enter who recognised the model.")},
    )


class DvkRegistryForm(forms.Form):
    """The registry's filters (GET); a value that does not parse is ignored, never an error page."""

    q = forms.CharField(
        label=_("Search"),
        required=False,
        max_length=200,
        widget=forms.TextInput(
            attrs={"type": "search", "placeholder": _("Name, unit, person — with or without diacritics")}
        ),
    )
    year = forms.TypedChoiceField(label=_("Year"), required=False, coerce=int, empty_value=None)
    field = forms.ChoiceField(label=_("Field of work"), required=False, choices=[("", _("All")), *DvkField.choices])
    level = forms.ChoiceField(label=_("Recognised at"), required=False)
    unit = forms.TypedChoiceField(label=_("Unit"), required=False, coerce=int, empty_value=None)

    def __init__(self, *args, years=(), units=(), levels=(), **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["year"].choices = [("", _("All")), *((y, str(y)) for y in years)]
        self.fields["unit"].choices = [("", _("All")), *units]
        self.fields["level"].choices = [("", _("All")), *levels]

    def filter_values(self) -> dict:
        """The filters as the registry's selector takes them: one that does not parse is left out,
        the others still apply."""
        self.is_valid()
        data = self.cleaned_data
        return {
            "year": data.get("year"),
            "field": data.get("field") or "",
            "level": data.get("level") or "",
            "agency_id": data.get("unit"),
            "search": data.get("q") or "",
        }
