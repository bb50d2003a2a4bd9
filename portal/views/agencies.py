"""The agency directory: names as they were on any date, with their history."""

from __future__ import annotations

from django import forms
from django.contrib.auth.decorators import login_required
from django.http import Http404
from django.shortcuts import render
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from .. import selectors


class AsOfForm(forms.Form):
    on = forms.DateField(
        label=_("As of date"),
        required=False,
        error_messages={"invalid": _("Enter a valid date, e.g. 31/12/2021.")},
    )


@login_required
def agency_list(request):
    form = AsOfForm(request.GET or None)
    day = timezone.localdate()
    if form.is_valid() and form.cleaned_data["on"]:
        day = form.cleaned_data["on"]
    context = {
        "form": form,
        "day": day,
        "versions": selectors.agency_versions_on(province=request.user.province, day=day)
        if request.user.province_id
        else [],
    }
    return render(request, "portal/agency_list.html", context)


@login_required
def agency_detail(request, code: str):
    # Codes are unique within a province only: look in the user's own. Another province's agency
    # answers 404, exactly like one that does not exist.
    agency = selectors.agency_with_history(province_id=request.user.province_id, code=code)
    if agency is None or not request.user.has_perm("portal.view_agency", agency):
        raise Http404
    versions = list(agency.versions.all())
    context = {
        "agency": agency,
        "versions": versions,
        "successor_links": [link for v in versions for link in v.successor_links.all()],
        "predecessor_links": [link for v in versions for link in v.predecessor_links.all()],
    }
    return render(request, "portal/agency_detail.html", context)
