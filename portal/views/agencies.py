"""The agency directory: names as they were on any date, with their history."""

from __future__ import annotations

from django import forms
from django.contrib.auth.decorators import login_required
from django.http import Http404
from django.shortcuts import get_object_or_404, render
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from .. import selectors
from ..models import Agency


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
    agency = get_object_or_404(Agency.objects.select_related("province"), code=code)
    # Another province's agency answers 404, exactly like one that does not exist.
    if not request.user.has_perm("portal.view_agency", agency):
        raise Http404
    versions = list(agency.versions.select_related("group", "parent").order_by("valid_from"))
    context = {
        "agency": agency,
        "versions": versions,
        "successor_links": [link for v in versions for link in selectors.lineage_successors(version=v)],
        "predecessor_links": [
            link for v in versions for link in v.predecessor_links.select_related("predecessor__agency")
        ],
    }
    return render(request, "portal/agency_detail.html", context)
