from django.urls import path

from . import views

app_name = "plans"
urlpatterns = [
    path("", views.plan_list, name="plan_list"),
    path("<int:pk>/", views.plan_detail, name="plan_detail"),
    path("<int:pk>/theo-doi/", views.plan_matrix, name="plan_matrix"),
    path("<int:pk>/ban-hanh/", views.plan_issue, name="plan_issue"),
    path("<int:pk>/sao-chep/", views.plan_copy, name="plan_copy"),
    path("nhiem-vu-cua-toi/", views.my_duties, name="my_duties"),
    path("san-pham/<int:pk>/", views.deliverable_detail, name="deliverable_detail"),
    path("san-pham/<int:pk>/nop/", views.deliverable_submit, name="deliverable_submit"),
    path("san-pham/<int:pk>/tep/", views.deliverable_document, name="deliverable_document"),
    # "Dân vận khéo" models
    path("dan-van-kheo/", views.dvk_registry, name="dvk_registry"),
    path("dan-van-kheo/dang-ky/", views.dvk_create, name="dvk_create"),
    path("dan-van-kheo/<int:pk>/", views.dvk_detail, name="dvk_detail"),
    path("dan-van-kheo/<int:pk>/sua/", views.dvk_edit, name="dvk_edit"),
    path("dan-van-kheo/<int:pk>/gui/", views.dvk_submit, name="dvk_submit"),
    path("dan-van-kheo/<int:pk>/tien-do/", views.dvk_progress_add, name="dvk_progress_add"),
    path("dan-van-kheo/<int:pk>/duyet/", views.dvk_review, name="dvk_review"),
    path("dan-van-kheo/<int:pk>/cong-nhan/", views.dvk_recognise, name="dvk_recognise"),
    path("dan-van-kheo/<int:pk>/chuyen-nam/", views.dvk_carry, name="dvk_carry"),
    path("dan-van-kheo/tien-do/<int:pk>/tep/", views.dvk_progress_file, name="dvk_progress_file"),
    # Grassroots democracy (QCDC): the units' reports as a form, their collection; exemplars
    path("bao-cao-qcdc/<int:pk>/", views.qcdc_report, name="qcdc_report"),
    path("bao-cao-qcdc/tong-hop/", views.qcdc_collection, name="qcdc_collection"),
    path("dan-van-kheo/guong-dien-hinh/", views.exemplar_list, name="exemplar_list"),
    path("dan-van-kheo/guong-dien-hinh/de-xuat/", views.exemplar_create, name="exemplar_create"),
    path("dan-van-kheo/guong-dien-hinh/<int:pk>/", views.exemplar_detail, name="exemplar_detail"),
    path("dan-van-kheo/guong-dien-hinh/<int:pk>/tep/", views.exemplar_file, name="exemplar_file"),
]
