from django.urls import path

from . import views
from .views import contest as contest_views
from .views import not_applicable as na_views

app_name = "scoring"
urlpatterns = [
    path("", views.assessment_home, name="home"),
    path("ky/<int:period_id>/", views.period_detail, name="period"),
    path("ky/<int:period_id>/phien-ban/", views.period_version, name="period_version"),
    path("ky/<int:period_id>/tham-dinh/", views.queue, name="queue"),
    path("ky/<int:period_id>/tham-dinh/nhac-nho/", views.queue_remind, name="queue_remind"),
    path("ky/<int:period_id>/xep-hang/", views.ranking, name="ranking"),
    path("cuoc-thi/", contest_views.contest_list, name="contest_list"),
    path("cuoc-thi/moi/", contest_views.contest_create, name="contest_create"),
    path("cuoc-thi/<int:contest_id>/", contest_views.contest_detail, name="contest"),
    path("cuoc-thi/<int:contest_id>/sua/", contest_views.contest_edit, name="contest_edit"),
    path("cuoc-thi/<int:contest_id>/cham/<int:dossier_id>/", contest_views.contest_sheet, name="contest_sheet"),
    path("ho-so/<int:pk>/", views.dossier_view, name="dossier"),
    path("ho-so/<int:pk>/tu-cham/<int:criterion_id>/", views.self_cell, name="self_cell"),
    path("ho-so/<int:pk>/tai-lieu/<int:criterion_id>/", views.evidence_add, name="evidence_add"),
    path("ho-so/<int:pk>/nop/", views.dossier_submit, name="submit"),
    path("ho-so/<int:pk>/bien-nhan/", views.self_assessment.receipt, name="receipt"),
    path("ho-so/<int:pk>/khong-ap-dung/<int:criterion_id>/", na_views.na_declare, name="na_declare"),
    path("ho-so/<int:pk>/khong-ap-dung/<int:criterion_id>/quyet-dinh/", na_views.na_decide, name="na_decide"),
    path("ho-so/<int:pk>/mo-lai/", views.dossier_reopen, name="reopen"),
    path("ho-so/<int:pk>/tham-dinh/<int:criterion_id>/", views.mark_cell, name="mark_cell"),
    path("ho-so/<int:pk>/dieu-chinh/", views.adjustments, name="adjustments"),
    path("ho-so/<int:pk>/yeu-cau/<int:criterion_id>/", views.evidence_request, name="evidence_request"),
    path("ho-so/<int:pk>/giai-trinh/<int:criterion_id>/", views.explanation_submit, name="explanation_submit"),
    path("ho-so/<int:pk>/sau-chot/<int:criterion_id>/", views.final_change, name="final_change"),
    path("ho-so/<int:pk>/lich-su/<int:criterion_id>/", views.criterion_history, name="history"),
    path("ho-so/<int:pk>/cach-tinh/", views.result_steps, name="result_steps"),
    path("ho-so/<int:pk>/excel/", views.excel_download, name="excel_download"),
    path("ho-so/<int:pk>/excel/nap/", views.excel_upload, name="excel_upload"),
    path("tai-lieu/<int:evidence_id>/", views.evidence_file, name="evidence_file"),
    path("tai-lieu/<int:evidence_id>/xoa/", views.evidence_remove, name="evidence_remove"),
    path("giai-trinh/<int:explanation_id>/quyet-dinh/", views.explanation_decide, name="explanation_decide"),
]
