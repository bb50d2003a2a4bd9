"""Panels the plans app adds to the home pages."""

from django.utils import timezone

from portal import widgets

from . import selectors


def agency_duties_panel(request):
    agency = request.user.agency
    if agency is None:
        return None
    today = timezone.localdate()
    deliverables, _tasks = selectors.agency_duties(agency=agency, year=today.year)
    rows = [{"deliverable": d, "status": d.status_on(today)} for d in deliverables]
    return {"rows": rows, "labels": selectors.STATUS_LABELS, "colours": selectors.STATUS_COLOURS}


def review_plan_panel(request):
    today = timezone.localdate()
    plan = selectors.plan_to_follow(province=request.user.province, year=today.year)
    if plan is None:
        return None
    return {
        "plan": plan,
        "targets": selectors.plan_targets(plan=plan, today=today),
        "failed": selectors.reminders_failed(province=request.user.province).count(),
    }


def qcdc_reports_panel(request):
    """The QCDC reports filled in as a form: how many units submitted, links to the collection and
    the committee's draft report (two queries)."""
    province = request.user.province
    if province is None or not request.user.has_perm("plans.view_qcdc_collection", province):
        return None
    rows = selectors.qcdc_report_progress(province=province)
    if not rows:
        return None
    return {"rows": rows, "can_download": request.user.has_perm("plans.download_qcdc_summary", province)}


def register() -> None:
    widgets.register(widgets.AGENCY_HOME, widgets.Widget("plans/_agency_panel.html", agency_duties_panel, order=20))
    widgets.register(widgets.REVIEW_HOME, widgets.Widget("plans/_plan_panel.html", review_plan_panel, order=20))
    widgets.register(widgets.LEADER_HOME, widgets.Widget("plans/_plan_panel.html", review_plan_panel, order=20))
    widgets.register(
        widgets.STEERING_HOME, widgets.Widget("plans/qcdc/_steering_panel.html", qcdc_reports_panel, order=40)
    )
