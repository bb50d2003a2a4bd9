"""Read-only queries of the "Dân vận khéo" models: what a person may see, the registry with its
filters and counts, one model's page, and the models as a source of scoring criteria."""

from __future__ import annotations

from dataclasses import dataclass

from django.db.models import Count, Prefetch, Q, QuerySet
from django.utils.translation import gettext_lazy as _

from portal.models import Agency, Province, User
from portal.rules import is_agency_member, is_province_reader, is_reviewer
from portal.text import search_folded, vi_sort_key

from ..models import DvkField, DvkLevel, DvkModel, DvkProgress, DvkRecognition
from .sources import CriterionSource, register_criterion_source

DVK_PAGE_SIZE = 50
NOT_RECOGNISED = "none"  # the registry's level filter: models no level has recognised yet
# Registered models that count as such (a returned one must be corrected and sent again).
COUNTED = (DvkModel.Status.SUBMITTED, DvkModel.Status.APPROVED)


def dvk_models_visible_to(user: User) -> QuerySet[DvkModel]:
    """The models of the user's province the user may see, by the same facts as plans/rules.py:
    a unit's own models (drafts too); every registered one for Sở Nội vụ, the leaders and the
    unit's superior; recognised ones for everybody else of the province."""
    if not getattr(user, "is_authenticated", False) or user.province_id is None:
        return DvkModel.objects.none()
    seen = ~Q(level="")
    if is_province_reader(user):
        seen |= ~Q(status=DvkModel.Status.DRAFT)
    if user.agency_id and is_agency_member(user):
        seen |= Q(agency_id=user.agency_id)
        seen |= Q(agency_version__parent_id=user.agency_id) & ~Q(status=DvkModel.Status.DRAFT)
    return DvkModel.objects.filter(seen, province_id=user.province_id)


@dataclass(frozen=True)
class DvkFilters:
    """The registry's filters; empty values filter nothing."""

    year: int | None = None
    field: str = ""
    level: str = ""  # a DvkLevel, or NOT_RECOGNISED
    agency_id: int | None = None
    search: str = ""


def dvk_registry(*, user: User, filters: DvkFilters) -> QuerySet[DvkModel]:
    """The models the user may see that pass the filters, with what a registry row prints; the
    search ignores diacritics and case ("dan van kheo" finds "Dân vận khéo"), every word must match."""
    return registry_filtered(dvk_models_visible_to(user), filters)


def registry_filtered(rows: QuerySet, filters: DvkFilters) -> QuerySet:
    """A registry's rows (models, exemplars: same year, field, level, unit and search columns)
    passing the filters, in registry order; the search ignores diacritics and case and every word
    must match."""
    if filters.year:
        rows = rows.filter(year=filters.year)
    if filters.field:
        rows = rows.filter(field=filters.field)
    if filters.level == NOT_RECOGNISED:
        rows = rows.filter(level="")
    elif filters.level:
        rows = rows.filter(level=filters.level)
    if filters.agency_id:
        rows = rows.filter(agency_id=filters.agency_id)
    for word in search_folded(filters.search).split():
        rows = rows.filter(search_text__contains=word)
    return rows.select_related("agency_version").order_by("-year", "field", "name", "pk")


def dvk_registry_rows(*, user: User, filters: DvkFilters) -> list[DvkModel]:
    """The registry for the Excel export: each model with its recognitions (two queries)."""
    return list(dvk_registry(user=user, filters=filters).prefetch_related("recognitions"))


@dataclass(frozen=True)
class DvkCounts:
    """Models per field and per level (label, count), in the order of the choices."""

    total: int
    by_field: list[tuple[str, str, int]]
    by_level: list[tuple[str, str, int]]


def _counts(models: QuerySet[DvkModel]) -> DvkCounts:
    return _tally(models.order_by().values_list("field", "level").annotate(n=Count("pk")))


def _tally(pairs) -> DvkCounts:
    """Counts from (field, level, n) rows, every field and level listed (zero where none)."""
    fields = {code: 0 for code in DvkField.values}
    levels = {code: 0 for code in (*DvkLevel.values, "")}
    for field, level, n in pairs:
        fields[field] = fields.get(field, 0) + n
        levels[level] = levels.get(level, 0) + n
    return DvkCounts(
        total=sum(fields.values()),
        by_field=[(code, str(DvkField(code).label), fields[code]) for code in DvkField.values],
        by_level=[(code, str(DvkLevel(code).label), levels[code]) for code in DvkLevel.values]
        + [(NOT_RECOGNISED, str(_("Not recognised yet")), levels[""])],
    )


def dvk_registry_counts(*, user: User, filters: DvkFilters) -> DvkCounts:
    """Counts of the registry's models as filtered (one query)."""
    return _counts(dvk_registry(user=user, filters=filters))


def dvk_counts(*, province: Province, year: int) -> DvkCounts:
    """The province's registered models of a year per field and per level (the leader's dashboard)."""
    return _counts(DvkModel.objects.filter(province=province, year=year, status__in=COUNTED))


def dvk_model_detail(*, pk: int) -> DvkModel | None:
    """One model with its unit, links, progress (with authors) and recognitions: four queries."""
    return (
        DvkModel.objects.filter(pk=pk)
        .select_related(
            "agency", "agency_version", "carried_from", "carried_to", "replicated_from__agency_version", "reviewed_by"
        )
        .prefetch_related(
            Prefetch("progress", queryset=DvkProgress.objects.select_related("created_by")),
            Prefetch("recognitions", queryset=DvkRecognition.objects.select_related("recorded_by")),
        )
        .annotate(replication_count=Count("replications", distinct=True))
        .first()
    )


def dvk_recognition_levels(*, user: User, model: DvkModel) -> list[tuple[str, str]]:
    """The levels the user may record for the model, not yet recorded: Sở Nội vụ (the reviewer)
    any level; the unit's superior the unit and district levels."""
    if is_reviewer(user):
        allowed = DvkLevel.values
    else:
        allowed = [DvkLevel.UNIT, DvkLevel.DISTRICT]
    done = {r.level for r in model.recognitions.all()}
    return [(code, str(DvkLevel(code).label)) for code in allowed if code not in done]


def dvk_replicable(*, user: User, pk: int) -> DvkModel | None:
    """A recognised model another unit may replicate (None when the user may not see it)."""
    return (
        dvk_models_visible_to(user)
        .filter(pk=pk)
        .exclude(level="")
        .exclude(agency_id=user.agency_id)
        .select_related("agency_version")
        .first()
    )


# --- the models as a source of scoring criteria ------------------------------------------------


def _agency_models(agency: Agency, year: int) -> list[DvkModel]:
    models = DvkModel.objects.filter(agency=agency, year=year, status__in=COUNTED).select_related("agency_version")
    return sorted(models, key=lambda m: (-DvkLevel.rank(m.level), m.name))


def _status(agency: Agency, year: int) -> str:
    """registered / recognised_<level> (the highest level) / none — what an auto_map reads."""
    levels = list(DvkModel.objects.filter(agency=agency, year=year, status__in=COUNTED).values_list("level", flat=True))
    if not levels:
        return "none"
    best = max(levels, key=DvkLevel.rank)
    return f"recognised_{best}" if best else "registered"


register_criterion_source("dvk_models", CriterionSource(status=_status, records=_agency_models))


def dvk_registry_choices(*, user: User) -> tuple[list[int], list[tuple[int, str]]]:
    """The years and units the user's registry can filter by: those of the models it may see (one query)."""
    rows = dvk_models_visible_to(user).order_by().values_list("year", "agency_id", "agency_version__name").distinct()
    years, units = set(), {}
    for year, agency_id, name in rows:
        years.add(year)
        units.setdefault(agency_id, name)
    return sorted(years, reverse=True), sorted(units.items(), key=lambda item: vi_sort_key(item[1]))


def dvk_dashboard_counts(*, province: Province, year: int) -> tuple[int, DvkCounts]:
    """(year, counts) for the leader's dashboard, in one query: the year asked, or when it has no
    registered model the newest year that has one (the movement runs this year; assessments look back)."""
    rows = (
        DvkModel.objects.filter(province=province, status__in=COUNTED)
        .order_by()
        .values_list("year", "field", "level")
        .annotate(n=Count("pk"))
    )
    by_year: dict[int, list[tuple[str, str, int]]] = {}
    for row_year, field, level, n in rows:
        by_year.setdefault(row_year, []).append((field, level, n))
    shown = year if year in by_year or not by_year else max(by_year)
    return shown, _tally(by_year.get(shown, []))
