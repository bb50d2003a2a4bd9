from django.contrib import admin
from django.contrib.auth import views as auth_views
from django.urls import include, path
from django.views.i18n import JavaScriptCatalog

from .views import account, agencies, home, notifications

handler500 = "portal.views.errors.server_error"

auth_patterns = [
    path(
        "login/",
        account.LoginView.as_view(),
        name="login",
    ),
    path("logout/", auth_views.LogoutView.as_view(), name="logout"),
    path("password/change/", auth_views.PasswordChangeView.as_view(), name="password_change"),
    path("password/change/done/", auth_views.PasswordChangeDoneView.as_view(), name="password_change_done"),
    path("password/reset/", account.PasswordResetView.as_view(), name="password_reset"),
    path("password/reset/done/", auth_views.PasswordResetDoneView.as_view(), name="password_reset_done"),
    path(
        "password/reset/<uidb64>/<token>/",
        auth_views.PasswordResetConfirmView.as_view(),
        name="password_reset_confirm",
    ),
    path("password/reset/complete/", auth_views.PasswordResetCompleteView.as_view(), name="password_reset_complete"),
]

urlpatterns = [
    path("", home.home, name="home"),
    path("don-vi/", home.agency_home, name="agency_home"),
    path("tham-dinh/", home.review_home, name="review_home"),
    path("lanh-dao/", home.leader_home, name="leader_home"),
    path("quan-tri/", home.admin_home, name="admin_home"),
    path("ban-chi-dao/", home.steering_home, name="steering_home"),
    path("co-quan/", agencies.agency_list, name="agency_list"),
    path("co-quan/<slug:code>/", agencies.agency_detail, name="agency_detail"),
    path("thong-bao/", notifications.notification_list, name="notification_list"),
    path("thong-bao/doc-tat-ca/", notifications.notification_mark_read, name="notification_mark_all_read"),
    path("thong-bao/<int:pk>/doc/", notifications.notification_mark_read, name="notification_mark_read"),
    path("tai-khoan/cai-dat/", account.preferences, name="preferences"),
    path("ke-hoach/", include("plans.urls")),
    path("cham-diem/", include("scoring.urls")),
    path("bao-cao/", include("reports.urls")),
    path("api/v1/", include("reports.api_urls")),
    path("tai-khoan/", include(auth_patterns)),
    path("i18n/", include("django.conf.urls.i18n")),
    path("jsi18n/", JavaScriptCatalog.as_view(), name="javascript-catalog"),
    path("admin/", admin.site.urls),
]
