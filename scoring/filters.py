"""The appraisal queue's filters (django-filter), labelled and styled as the rest of the portal."""

from __future__ import annotations

import django_filters
from django import forms
from django.utils.translation import gettext_lazy as _

from .models import Dossier

SELECT = {"class": "form-select form-select-sm"}


class QueueFilter(django_filters.FilterSet):
    """Group, status and lateness narrow the dossiers in the database; the search words are matched
    by the queue's selector on the names it loads anyway, without diacritics (the database has no
    Vietnamese folding), so `q` leaves the queryset alone."""

    q = django_filters.CharFilter(
        label=_("Search"),
        method="keep",
        widget=forms.TextInput(
            attrs={"class": "form-control form-control-sm", "type": "search", "placeholder": _("Agency name")}
        ),
    )
    group = django_filters.ModelChoiceFilter(
        label=_("Group (khối)"), queryset=None, empty_label=_("All groups"), widget=forms.Select(attrs=SELECT)
    )
    status = django_filters.ChoiceFilter(
        label=_("Status"), choices=Dossier.Status.choices, empty_label=_("All"), widget=forms.Select(attrs=SELECT)
    )
    late = django_filters.ChoiceFilter(
        label=_("Late"),
        field_name="is_late",
        choices=[("1", _("Late")), ("0", _("On time"))],
        empty_label=_("All"),
        method="filter_late",
        widget=forms.Select(attrs=SELECT),
    )

    class Meta:
        model = Dossier
        fields = ["q", "group", "status", "late"]

    def __init__(self, *args, groups=None, **kwargs):
        super().__init__(*args, **kwargs)
        self.filters["group"].queryset = groups

    def keep(self, queryset, name, value):
        return queryset

    def filter_late(self, queryset, name, value):
        return queryset.filter(is_late=value == "1")

    @property
    def search(self) -> str:
        return self.form.cleaned_data.get("q", "") if self.is_bound and self.form.is_valid() else ""
