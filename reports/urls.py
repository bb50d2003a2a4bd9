from django.urls import path

from . import views
from .contest import contest_certificate_pdf_view, contest_decision_pdf_view
from .qcdc import qcdc_summary_view
from .receipt import receipt_pdf_view

app_name = "reports"
urlpatterns = [
    path("", views.dashboard, name="dashboard"),
    path("ky/<int:period_id>/don-vi/<slug:agency_code>/", views.agency_sheet, name="agency_sheet"),
    path("ky/<int:period_id>/van-ban/", views.report_list, name="report_list"),
    path("ky/<int:period_id>/van-ban/<slug:kind>/", views.report_request, name="report_request"),
    path("ky/<int:period_id>/xep-hang.xlsx", views.ranking_xlsx, name="ranking_xlsx"),
    path("ky/<int:period_id>/ma-tran.xlsx", views.matrix_xlsx, name="matrix_xlsx"),
    path("van-ban/<int:report_id>/", views.report_status, name="report_status"),
    path("van-ban/<int:report_id>/tai/", views.report_file, name="report_file"),
    path("van-ban/<int:report_id>/xem/", views.report_view, name="report_view"),
    path("van-ban/<int:report_id>/word/", views.report_docx, name="report_docx"),
    path("cuoc-thi/<int:contest_id>/quyet-dinh.pdf", contest_decision_pdf_view, name="contest_decision_pdf"),
    path(
        "cuoc-thi/<int:contest_id>/giay-khen/<int:dossier_id>.pdf",
        contest_certificate_pdf_view,
        name="contest_certificate_pdf",
    ),
    path("ho-so/<int:pk>/bien-nhan.pdf", receipt_pdf_view, name="receipt_pdf"),
    path("bao-cao-qcdc/<int:type_id>/du-thao/", qcdc_summary_view, name="qcdc_summary"),
]
