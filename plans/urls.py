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
]
