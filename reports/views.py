"""Leader dashboard, agency sheets, documents and spreadsheets."""

from __future__ import annotations

import datetime as dt

from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.http import FileResponse, Http404
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.views.decorators.http import require_POST

from plans.selectors import plan_for_year, plan_targets
from portal.access import require_access
from portal.models import Agency
from portal.spreadsheets import xlsx_response
from scoring.models import Phase, ScoringPeriod
from scoring.selectors import best_band_share, periods_of, ranking

from . import excel, selectors, services
from .models import GeneratedReport


def _period(request, period_id: int) -> ScoringPeriod:
    period = ScoringPeriod.objects.filter(pk=period_id).select_related("province", "criteria_set__regulation").first()
    return require_access(request.user, period, view_perm="scoring.view_period", perm="scoring.view_ranking")


@login_required
def dashboard(request):
    """For a province and year: progress, classes, ranking, targets, trends, self-vs-appraised gaps."""
    province = request.user.province
    if province is None or not request.user.has_perm("portal.view_province_results", province):
        raise PermissionDenied
    periods = list(periods_of(province=province).filter(program="dvcq").order_by("-year"))
    if not periods:
        return render(request, "reports/dashboard.html", {"periods": []})
    year = request.GET.get("year")
    period = next((p for p in periods if str(p.year) == year), None) or next(
        (p for p in periods if p.phase == Phase.FINAL), periods[0]
    )
    groups = ranking(period)  # runs the engine for a period not yet final: computed once, shared below
    counts = selectors.band_counts(period, groups)
    share, best_label = best_band_share(period, groups)
    plan = plan_for_year(province=province, year=period.year)
    agency_gaps = selectors.agency_gaps(period, groups)
    criterion_gaps = selectors.criterion_gaps(period)
    yearly = selectors.yearly_averages(province)
    context = {
        "periods": periods,
        "period": period,
        "progress": selectors.submission_progress(period),
        "counts": counts,
        "share": share,
        "best_label": best_label,
        "groups": groups,
        "targets": plan_targets(plan=plan, today=dt.date.today()) if plan else [],
        "plan": plan,
        "agency_gaps": agency_gaps,
        "criterion_gaps": criterion_gaps,
        "yearly": yearly,
        "chart_data": {
            "classes": {"labels": [label for _c, label, _n in counts], "values": [n for _c, _l, n in counts]},
            "gaps": {
                "labels": [g["name"] for g in agency_gaps],
                "values": [float(g["gap"]) for g in agency_gaps],
                "links": [reverse("reports:agency_sheet", args=[period.pk, g["code"]]) for g in agency_gaps],
            },
            "criteria": {
                "labels": [c["code"] for c in criterion_gaps],
                "values": [float(c["gap"]) for c in criterion_gaps],
            },
            "years": {"labels": [y["year"] for y in yearly], "values": [float(y["avg"]) for y in yearly]},
        },
    }
    return render(request, "reports/dashboard.html", context)


@login_required
def agency_sheet(request, period_id: int, agency_code: str):
    period = _period(request, period_id)
    dossier = selectors.dossier_for(period, agency_code)
    if dossier is None:
        raise Http404
    agency = get_object_or_404(Agency, province=period.province, code=agency_code)
    context = {
        "period": period,
        "dossier": dossier,
        "sheet": selectors.scoresheet_context(dossier),
        "trend": selectors.agency_trend(agency, period.province),
    }
    context["chart_data"] = {
        "trend": {
            "labels": [t["year"] for t in context["trend"]],
            "values": [float(t["total"]) for t in context["trend"]],
        }
    }
    return render(request, "reports/agency_sheet.html", context)


@login_required
@require_POST
def report_request(request, period_id: int, kind: str):
    period = _period(request, period_id)
    if kind not in GeneratedReport.Kind.values:
        raise Http404
    dossier = None
    if kind == GeneratedReport.Kind.SCORESHEET:
        dossier = selectors.dossier_for(period, request.POST.get("agency", ""))
        if dossier is None:
            raise Http404
    report = services.report_request(period=period, kind=kind, dossier=dossier, by=request.user)
    return redirect("reports:report_status", report.pk)


def _report(request, report_id: int) -> GeneratedReport:
    report = GeneratedReport.objects.filter(pk=report_id).select_related("period").first()
    return require_access(
        request.user,
        report,
        view_perm="scoring.view_period",
        perm="scoring.view_ranking",
        check_obj=report.period if report else None,
    )


@login_required
def report_status(request, report_id: int):
    report = _report(request, report_id)
    template = "reports/_report_status.html" if request.htmx else "reports/report_status.html"
    return render(request, template, {"report": report})


@login_required
def report_file(request, report_id: int):
    report = _report(request, report_id)
    if report.state != GeneratedReport.State.DONE:
        raise Http404
    name = f"{report.get_kind_display()} {report.period.year}.pdf".replace("/", "-")
    return FileResponse(report.file.open("rb"), as_attachment=True, filename=name, content_type="application/pdf")


@login_required
def ranking_xlsx(request, period_id: int):
    period = _period(request, period_id)
    return xlsx_response(excel.ranking_workbook(period), f"xep-hang-{period.year}.xlsx")


@login_required
def matrix_xlsx(request, period_id: int):
    period = _period(request, period_id)
    return xlsx_response(excel.matrix_workbook(period), f"ma-tran-diem-{period.year}.xlsx")
