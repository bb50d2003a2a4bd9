"""Leader dashboard, agency sheets, documents and spreadsheets."""

from __future__ import annotations

import datetime as dt

from django.conf import settings
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.http import Http404
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.views.decorators.http import require_POST

from plans.selectors import dvk_dashboard_counts, plan_for_year, plan_targets
from portal.access import require_access
from portal.downloads import file_download, generated_pdf_inline
from portal.spreadsheets import xlsx_response
from scoring.models import Phase, ScoringPeriod
from scoring.selectors import best_band_share, dossiers_detail_readable, periods_of, ranking

from . import archive, excel, selectors, services, word
from .charts import tones_for_counts
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
    groups = ranking(period)  # the stored results, ranked: one query, shared below
    counts = selectors.band_counts(period, groups)
    share, best_label = best_band_share(period, groups)
    plan = plan_for_year(province=province, year=period.year)
    agency_gaps = selectors.agency_gaps(period, groups)
    criterion_gaps = selectors.criterion_gaps(period)
    yearly = selectors.yearly_averages(province)
    dvk_year, dvk = dvk_dashboard_counts(province=province, year=period.year)
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
        "dvk_year": dvk_year,
        "dvk": dvk,
        "chart_data": {
            "classes": {
                "labels": [label for _c, label, _n in counts],
                "values": [n for _c, _l, n in counts],
                "tones": tones_for_counts([code for code, _l, _n in counts]),
            },
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


def _dossier_detail(request, period: ScoringPeriod, agency_code: str):
    """An agency's dossier whose marks and comments the user may read; any other answers 404."""
    dossier = selectors.dossier_for(period, agency_code)
    return require_access(request.user, dossier, view_perm="scoring.view_dossier_detail")


@login_required
def agency_sheet(request, period_id: int, agency_code: str):
    period = _period(request, period_id)
    dossier = _dossier_detail(request, period, agency_code)
    context = {
        "period": period,
        "dossier": dossier,
        "sheet": selectors.scoresheet_context(dossier),
        "trend": selectors.agency_trend(dossier.agency, period.province),
        "today": timezone.localdate(),  # the print heading's place and date
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
        dossier = _dossier_detail(request, period, request.POST.get("agency", ""))
    report = services.report_request(period=period, kind=kind, dossier=dossier, by=request.user)
    return redirect("reports:report_status", report.pk)


def _report(request, report_id: int) -> GeneratedReport:
    report = (
        GeneratedReport.objects.filter(pk=report_id)
        .select_related("period", "dossier__period", "dossier__agency_version")
        .first()
    )
    require_access(
        request.user,
        report,
        view_perm="scoring.view_period",
        perm="scoring.view_ranking",
        check_obj=report.period if report else None,
    )
    if report.dossier_id:  # a score sheet: the same rule as the sheet itself
        require_access(request.user, report.dossier, view_perm="scoring.view_dossier_detail")
    return report


def _polling(report: GeneratedReport, polls: int) -> dict:
    # Back-off from 1 s to 10 s; the limit (~10 minutes) outlasts every job bound, so polling stops
    # on a final state in practice, and in any case stops.
    if report.state not in (GeneratedReport.State.PENDING, GeneratedReport.State.RUNNING):
        return {}
    if polls >= settings.REPORT_POLL_LIMIT:
        return {"poll_stopped": True}
    return {"poll_delay": f"{min(10_000, int(1000 * 1.5 ** min(polls, 10)))}ms", "poll_next": polls + 1}


@login_required
def report_status(request, report_id: int):
    report = services.report_refresh(report=_report(request, report_id))
    n = request.GET.get("n", "")
    polls = int(n) if len(n) <= 4 and n.isascii() and n.isdigit() else 0
    template = "reports/_report_status.html" if request.htmx else "reports/report_status.html"
    return render(request, template, {"report": report, **_polling(report, polls)})


def _file_name(report: GeneratedReport, extension: str) -> str:
    """ "Quyết định công nhận kết quả (kèm phụ lục) 2021.pdf"; a score sheet names its agency."""
    agency = f" {report.dossier.agency_version.name}" if report.dossier_id else ""
    return f"{report.get_kind_display()}{agency} {report.period.year}.{extension}".replace("/", "-")


def _done_report(request, report_id: int) -> GeneratedReport:
    report = _report(request, report_id)
    if report.state != GeneratedReport.State.DONE:
        raise Http404
    return report


@login_required
def report_file(request, report_id: int):
    report = _done_report(request, report_id)
    return file_download(report.file.open("rb"), filename=_file_name(report, "pdf"), content_type="application/pdf")


@login_required
def report_view(request, report_id: int):
    """The PDF shown by the browser's own viewer (which has its download and print buttons)."""
    report = _done_report(request, report_id)
    return generated_pdf_inline(report.file.open("rb"), filename=_file_name(report, "pdf"))


@login_required
def report_docx(request, report_id: int):
    report = _done_report(request, report_id)
    if not report.docx:
        raise Http404
    return file_download(report.docx.open("rb"), filename=_file_name(report, "docx"), content_type=word.DOCX_TYPE)


@login_required
def report_list(request, period_id: int):
    """The documents generated for the period that the user may open: who asked, when, which
    version and attempt, in which state."""
    period = _period(request, period_id)
    documents = archive.documents_for(period=period, user=request.user)
    context = {"period": period, "documents": documents, "keep_last": settings.REPORT_KEEP_LAST}
    return render(request, "reports/report_list.html", context)


@login_required
def ranking_xlsx(request, period_id: int):
    period = _period(request, period_id)
    return xlsx_response(excel.ranking_workbook(period), f"xep-hang-{period.year}.xlsx")


@login_required
def matrix_xlsx(request, period_id: int):
    period = _period(request, period_id)
    # Per-criterion marks are detail: each row is asked the same rule as that agency's score sheet.
    readable = dossiers_detail_readable(period=period, user=request.user)
    if not readable:
        raise Http404
    content = excel.matrix_workbook(period, only={d.pk for d in readable})
    return xlsx_response(content, f"ma-tran-diem-{period.year}.xlsx")
