from django import forms
from django.utils.translation import gettext_lazy as _

from portal.cleaning import TypedTextField
from portal.uploads import ALLOWED_EXTENSIONS

from .models import AgencyGroup


class DeliverableUploadForm(forms.Form):
    document = forms.FileField(
        label=_("Document"),
        help_text=_("PDF, Word, Excel or a scan (JPG/PNG)."),
        widget=forms.ClearableFileInput(attrs={"accept": ",".join(ALLOWED_EXTENSIONS)}),
        error_messages={"required": _("Choose the file of the document.")},
    )
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
