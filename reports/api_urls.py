from django.urls import include, path, re_path
from drf_spectacular.views import SpectacularAPIView
from rest_framework.routers import DefaultRouter

from . import api

router = DefaultRouter()
router.register("periods", api.PeriodViewSet, basename="period")
router.register("criteria-sets", api.CriteriaSetViewSet, basename="criteria-set")
router.register("agencies", api.AgencyViewSet, basename="agency")
router.register(r"plans/(?P<plan_pk>\d+)/deliverables", api.PlanDeliverableViewSet, basename="plan-deliverable")

urlpatterns = [
    path("schema/", SpectacularAPIView.as_view(), name="api-schema"),
    path("", include(router.urls)),
    re_path(r"^(?P<rest>.*)$", api.NoSuchEndpoint.as_view(), name="api-not-found"),  # in JSON, like the API
]
