"""Landing pages: each role arrives on its own home."""

from __future__ import annotations

import rules
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.shortcuts import redirect, render
from django.utils import timezone

from .. import selectors, widgets

# Where a user lands, first area that applies. A head who is also a co-reviewer starts at the
# agency's own work and reaches the review area from the menu.
AREA_HOMES = ["agency_home", "review_home", "leader_home", "steering_home", "admin_home"]


@login_required
def home(request):
    for url_name in AREA_HOMES:
        if rules.test_rule(f"lands_on_{url_name}", request.user):
            return redirect(url_name)
    if request.user.is_superuser:
        return redirect("admin:index")
    return render(request, "portal/no_role.html")


def _require(request, perm: str, obj=None) -> None:
    if not request.user.has_perm(perm, obj):
        raise PermissionDenied


@login_required
def agency_home(request):
    _require(request, "portal.access_agency_area")
    agency = request.user.agency
    if agency is None:
        return render(request, "portal/no_role.html")
    today = timezone.localdate()
    context = {
        "agency": agency,
        "version": agency.version_on(today),
        "versions": agency.versions.select_related("group").order_by("-valid_from"),
        "colleagues": selectors.users_of_agency(agency=agency),
        "panels": widgets.render_context(widgets.AGENCY_HOME, request),
    }
    return render(request, "portal/agency_home.html", context)


@login_required
def review_home(request):
    _require(request, "portal.access_review_area")
    today = timezone.localdate()
    context = {
        "groups": selectors.agency_versions_by_group(province=request.user.province, day=today),
        "today": today,
        "panels": widgets.render_context(widgets.REVIEW_HOME, request),
    }
    return render(request, "portal/review_home.html", context)


@login_required
def leader_home(request):
    _require(request, "portal.access_leader_area")
    today = timezone.localdate()
    groups = selectors.agency_versions_by_group(province=request.user.province, day=today)
    context = {
        "groups": groups,
        "agency_total": sum(len(versions) for _, versions in groups),
        "today": today,
        "panels": widgets.render_context(widgets.LEADER_HOME, request),
    }
    return render(request, "portal/leader_home.html", context)


@login_required
def steering_home(request):
    """Ban Chỉ đạo QCDC: what the apps show the steering committee (the QCDC periods with each
    population's progress and links to the results; the reports)."""
    _require(request, "portal.access_steering_area")
    context = {
        "province": request.user.province,
        "panels": widgets.render_context(widgets.STEERING_HOME, request),
    }
    return render(request, "portal/steering_home.html", context)


@login_required
def admin_home(request):
    _require(request, "portal.access_admin_area")
    province = request.user.province
    context = {
        "province": province,
        "agency_count": province.agencies.count() if province else 0,
        "user_count": province.users.count() if province else 0,
    }
    return render(request, "portal/admin_home.html", context)
