"""The read API (/api/v1/): token or session authentication, the same permission predicates as the
pages, province-scoped querysets, paginated, read-only. Schema at /api/v1/schema/."""

from __future__ import annotations

import datetime as dt

from django.db.models import Prefetch
from django.http import Http404
from django.utils import timezone
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import OpenApiParameter, extend_schema, extend_schema_field
from rest_framework import serializers, viewsets
from rest_framework.decorators import action
from rest_framework.exceptions import NotFound, PermissionDenied, ValidationError
from rest_framework.views import APIView

from plans.models import Deliverable, Plan
from portal.models import AgencyVersion
from portal.scopes import ApiScopeMixin
from scoring.models import CriteriaSet, PeriodCriteriaSet, ScoringPeriod
from scoring.selectors import criteria_set_spec, ranking


class PeriodSetSerializer(serializers.Serializer):
    """One criteria set the period applies and the agency groups (codes) it applies to; a set naming
    no group applies to every group no other set of the period names."""

    criteria_set = serializers.CharField(source="library_code")
    name = serializers.CharField()
    regulation = serializers.CharField(source="regulation.so_ky_hieu")
    is_main = serializers.BooleanField()
    groups = serializers.ListField(child=serializers.CharField(), source="applies_to_groups")


class PeriodSerializer(serializers.ModelSerializer):
    criteria_set = serializers.CharField(source="criteria_set.library_code")
    regulation = serializers.CharField(source="criteria_set.regulation.so_ky_hieu")
    criteria_sets = serializers.SerializerMethodField()

    class Meta:
        model = ScoringPeriod
        fields = ["id", "year", "program", "name", "phase", "criteria_set", "regulation", "criteria_sets",
                  "self_assessment_opens_on", "self_assessment_due_on", "appraisal_due_on", "explanation_due_on",
                  "decision_number", "decision_date"]  # fmt: skip

    @extend_schema_field(PeriodSetSerializer(many=True))
    def get_criteria_sets(self, obj) -> list[dict]:
        # The further sets come prefetched with their regulation (PeriodViewSet): no query per period.
        sets = [obj.criteria_set, *(row.criteria_set for row in obj.further_sets.all())]
        for each in sets:
            each.is_main = each.pk == obj.criteria_set_id
        return PeriodSetSerializer(sets, many=True).data


class CriterionSerializer(serializers.Serializer):
    code = serializers.CharField()
    title = serializers.CharField()
    kind = serializers.CharField()
    max_points = serializers.DecimalField(max_digits=7, decimal_places=2)
    score_type = serializers.CharField()
    children = serializers.SerializerMethodField()

    def get_children(self, node) -> list[dict]:
        return CriterionSerializer(node.children, many=True).data


class CriteriaSetSerializer(serializers.ModelSerializer):
    regulation = serializers.CharField(source="regulation.so_ky_hieu")
    library_code = serializers.CharField()

    class Meta:
        model = CriteriaSet
        fields = ["id", "library_code", "code", "name", "regulation", "max_total", "bonus_cap", "penalty_cap"]


class CriteriaSetDetailSerializer(CriteriaSetSerializer):
    criteria = serializers.SerializerMethodField()
    bands = serializers.SerializerMethodField()

    class Meta(CriteriaSetSerializer.Meta):
        fields = [*CriteriaSetSerializer.Meta.fields, "criteria", "bands"]

    def get_criteria(self, obj) -> list[dict]:
        spec = criteria_set_spec(obj)
        return CriterionSerializer([*spec.criteria, *spec.bonus, *spec.penalties], many=True).data

    def get_bands(self, obj) -> list[dict]:
        return [{"code": b.code, "label": b.label, "min": str(b.min_points), "max": None if b.max_points is None else str(b.max_points)}
                for b in obj.bands.all()]  # fmt: skip


class AgencySerializer(serializers.ModelSerializer):
    code = serializers.CharField(source="agency.code")
    group = serializers.CharField(source="group.code", allow_null=True)

    class Meta:
        model = AgencyVersion
        fields = ["code", "name", "short_name", "kind", "group", "valid_from", "valid_to"]


class RankingRowSerializer(serializers.Serializer):
    agency = serializers.CharField()
    name = serializers.CharField()
    group = serializers.CharField()
    rank = serializers.IntegerField(allow_null=True)
    self_total = serializers.DecimalField(max_digits=7, decimal_places=2)
    appraised_total = serializers.DecimalField(max_digits=7, decimal_places=2)
    bonus = serializers.DecimalField(max_digits=7, decimal_places=2)
    penalty = serializers.DecimalField(max_digits=7, decimal_places=2)
    # null where the agency is unclassified and its set hides such totals (show_unclassified_total)
    total = serializers.DecimalField(max_digits=7, decimal_places=2, allow_null=True)
    band = serializers.CharField(allow_blank=True)
    band_label = serializers.CharField(allow_blank=True)
    classified = serializers.BooleanField()
    criteria_set = serializers.CharField(help_text="The criteria set the agency is ranked under (library code).")


class DeliverableSerializer(serializers.ModelSerializer):
    type = serializers.CharField(source="type.code")
    agency = serializers.CharField(source="agency.code")
    agency_name = serializers.CharField(source="agency_version.name")
    status = serializers.SerializerMethodField()

    class Meta:
        model = Deliverable
        fields = ["id", "type", "agency", "agency_name", "due_on", "submitted_at", "so_ky_hieu", "review", "status"]

    def get_status(self, obj) -> str:
        return obj.status_on(timezone.localdate())


class PeriodViewSet(ApiScopeMixin, viewsets.ReadOnlyModelViewSet):
    """Scoring periods of the user's province."""

    serializer_class = PeriodSerializer

    def get_queryset(self):
        if getattr(self, "swagger_fake_view", False):  # schema generation has no user
            return ScoringPeriod.objects.none()
        periods = (
            ScoringPeriod.objects.filter(province_id=self.request.user.province_id)
            .select_related("criteria_set__regulation")
            .order_by("-year")
        )
        if self.action in ("list", "retrieve"):  # the sets each period applies (one query more)
            further = PeriodCriteriaSet.objects.select_related("criteria_set__regulation").order_by("order", "pk")
            periods = periods.prefetch_related(Prefetch("further_sets", queryset=further))
        return periods

    @extend_schema(responses=RankingRowSerializer(many=True))
    @action(detail=True)
    def ranking(self, request, pk=None):
        """Results of the period by group (final once the period is final, otherwise provisional)."""
        period = self.get_object()
        if not request.user.has_perm("scoring.view_ranking", period):
            raise PermissionDenied
        rows = [
            {"agency": r.dossier.agency.code, "name": r.dossier.agency_version.name, "group": section.group.code,
             "rank": r.rank, "self_total": r.self_total,
             "appraised_total": r.appraised_total, "bonus": r.bonus, "penalty": r.penalty,
             "total": r.total if r.total_shown else None,
             "band": r.band or "", "band_label": r.band_label, "classified": r.classified,
             "criteria_set": section.criteria_set.library_code}
            for section in ranking(period) for r in section.rows
        ]  # fmt: skip
        page = self.paginate_queryset(rows)
        return self.get_paginated_response(RankingRowSerializer(page, many=True).data)


class CriteriaSetViewSet(ApiScopeMixin, viewsets.ReadOnlyModelViewSet):
    """Criteria sets of the province's regulations; the detail carries the whole criteria tree."""

    def get_queryset(self):
        if getattr(self, "swagger_fake_view", False):
            return CriteriaSet.objects.none()
        return CriteriaSet.objects.filter(regulation__province_id=self.request.user.province_id).select_related(
            "regulation"
        )

    def get_serializer_class(self):
        return CriteriaSetDetailSerializer if self.action == "retrieve" else CriteriaSetSerializer


class AgencyViewSet(ApiScopeMixin, viewsets.ReadOnlyModelViewSet):
    """Agencies as they were on a date (?on=YYYY-MM-DD, default today)."""

    serializer_class = AgencySerializer
    lookup_field = "agency__code"
    lookup_url_kwarg = "code"
    lookup_value_regex = "[-a-zA-Z0-9_]+"  # agency codes are slugs; the schema says so too

    @extend_schema(
        parameters=[
            OpenApiParameter("code", OpenApiTypes.STR, OpenApiParameter.PATH, pattern=f"^{lookup_value_regex}$")
        ]
    )
    def retrieve(self, request, *args, **kwargs):
        return super().retrieve(request, *args, **kwargs)

    @extend_schema(parameters=[OpenApiParameter("on", OpenApiTypes.DATE, description="As of this date")])
    def list(self, request, *args, **kwargs):
        return super().list(request, *args, **kwargs)

    def get_queryset(self):
        if getattr(self, "swagger_fake_view", False):
            return AgencyVersion.objects.none()
        raw = self.request.query_params.get("on")
        try:
            day = dt.date.fromisoformat(raw) if raw else timezone.localdate()
        except ValueError:
            raise ValidationError({"on": "Ngày không hợp lệ; dùng dạng YYYY-MM-DD."}) from None
        return (
            AgencyVersion.objects.valid_on(day)
            .filter(agency__province_id=self.request.user.province_id)
            .select_related("agency", "group")
            .order_by("agency__code")
        )


class PlanDeliverableViewSet(ApiScopeMixin, viewsets.ReadOnlyModelViewSet):
    """Deliverable status of a plan: province readers see all, an agency only its own."""

    serializer_class = DeliverableSerializer

    def get_queryset(self):
        if getattr(self, "swagger_fake_view", False):
            return Deliverable.objects.none()
        user = self.request.user
        plan = Plan.objects.filter(pk=self.kwargs["plan_pk"], province_id=user.province_id).first()
        if plan is None or not user.has_perm("plans.view_plan", plan):
            raise Http404
        deliverables = Deliverable.objects.filter(type__plan=plan).select_related("type", "agency", "agency_version")
        if not user.has_perm("portal.view_province_results", plan.province):
            deliverables = deliverables.filter(agency_id=user.agency_id)
        return deliverables.order_by("type__order", "agency__code")


@extend_schema(exclude=True)
class NoSuchEndpoint(APIView):
    """Any other address under /api/v1/: a JSON 404 (401 when not signed in), never an HTML page."""

    def get(self, request, *args, **kwargs):
        raise NotFound("Không có địa chỉ này trong API.")

    post = put = patch = delete = get


# --- the schema tells the whole truth: every answer an operation can give is documented ----------

ERROR = {
    "type": "object",
    "properties": {"detail": {"type": "string"}},
    "required": ["detail"],
}
VALIDATION_ERROR = {"type": "object", "additionalProperties": {}}
ERROR_RESPONSES = {
    "400": ("Invalid query parameter (e.g. a date not in YYYY-MM-DD form).", VALIDATION_ERROR),
    "401": ("Not signed in: send `Authorization: Token <key>` or a session cookie.", ERROR),
    "403": ("Signed in, but this is not yours to read (e.g. the ranking of a period not yet final).", ERROR),
    "404": ("No such object in your province, or a page past the last.", ERROR),
    "429": ("Too many requests for this token; wait and try again.", ERROR),
}


def document_error_responses(result, generator, request, public):
    """drf-spectacular post-processing hook: adds the error answers of every read operation."""
    for operations in result.get("paths", {}).values():
        for operation in operations.values():
            responses = operation.setdefault("responses", {})
            for code, (description, schema) in ERROR_RESPONSES.items():
                responses.setdefault(
                    code, {"description": description, "content": {"application/json": {"schema": schema}}}
                )
    return result
