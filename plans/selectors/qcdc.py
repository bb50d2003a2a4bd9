"""Read-only queries of grassroots democracy (QCDC) reports and exemplars: the report forms of a
province, one unit's report, the collection (who submitted, who is late, figures per unit, totals),
the summary the steering committee's draft report prints (plain values), and the exemplars a person
may see with the registry's filters."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field
from decimal import Decimal

from django.db.models import Count, Q, QuerySet
from django.utils import timezone

from portal.models import Province, User
from portal.rules import is_agency_member, is_province_reader, is_steering_committee
from portal.text import vi_sort_key

from ..models import Deliverable, DeliverableType, Exemplar, Plan, ReportField, ReportForm
from .dvk import DvkFilters, registry_filtered
from .plans import STATUS_LABELS


def figure(value: Decimal | int | None) -> str:
    """A figure as Vietnamese documents print it: 1.250 (thousands with a dot), 2,5; None is "—"."""
    if value is None:
        return "—"
    value = Decimal(value).normalize()
    whole, _sep, fraction = format(value, "f").partition(".")
    digits = whole.lstrip("-")
    groups = []
    while len(digits) > 3:
        groups.insert(0, digits[-3:])
        digits = digits[:-3]
    groups.insert(0, digits)
    text = ("-" if whole.startswith("-") else "") + ".".join(groups)
    return f"{text},{fraction}" if fraction else text


def qcdc_report_types(*, province: Province) -> list[DeliverableType]:
    """The deliverables of the province's issued plans that are filled in as a form, newest first."""
    return list(
        DeliverableType.objects.filter(
            plan__province=province, plan__status=Plan.Status.ISSUED, report_form__isnull=False
        )
        .select_related("plan", "report_form")
        .order_by("-plan__year", "-due_on", "pk")
    )


def qcdc_report_progress(*, province: Province, years: int = 2) -> list[tuple[DeliverableType, int, int]]:
    """(report, units expected, units submitted) for the province's reports filled in as a form of
    the last `years` years, newest first (two queries)."""
    types = [t for t in qcdc_report_types(province=province) if t.plan.year > timezone.localdate().year - years]
    counts = (
        {
            row["type_id"]: (row["expected"], row["submitted"])
            for row in Deliverable.objects.filter(type__in=types)
            .values("type_id")
            .annotate(
                expected=Count("pk"),
                submitted=Count("pk", filter=Q(submitted_at__isnull=False) & ~Q(review=Deliverable.Review.RETURNED)),
            )
        }
        if types
        else {}
    )
    return [(t, *counts.get(t.pk, (0, 0))) for t in types]


def report_deliverable(*, pk: int) -> Deliverable | None:
    """A unit's deliverable with its form (fields), its entry and its unit: three queries."""
    deliverable = (
        Deliverable.objects.filter(pk=pk, type__report_form__isnull=False)
        .select_related("type__plan", "type__report_form", "agency", "agency_version", "report_entry")
        .first()
    )
    if deliverable is not None:
        deliverable.form_fields = list(deliverable.type.report_form.fields.all())
    return deliverable


def entry_values(deliverable: Deliverable, *, submitted: bool) -> dict[str, str]:
    entry = getattr(deliverable, "report_entry", None)
    if entry is None:
        return {}
    return entry.submitted_values if submitted else entry.values


@dataclass
class CollectionRow:
    name: str
    deliverable: Deliverable
    status: str
    figures: list[str]  # per number field, "" when not submitted


@dataclass
class Collection:
    deliverable_type: DeliverableType
    form: ReportForm
    number_fields: list[ReportField]
    text_fields: list[ReportField]
    rows: list[CollectionRow]
    totals: list[str]
    counts: dict[str, int] = field(default_factory=dict)

    @property
    def expected(self) -> int:
        return len(self.rows)

    @property
    def submitted(self) -> int:
        return self.counts.get("on_time", 0) + self.counts.get("late", 0)


def _deliverables(deliverable_type: DeliverableType) -> list[Deliverable]:
    rows = list(Deliverable.objects.filter(type=deliverable_type).select_related("agency_version", "report_entry"))
    return sorted(rows, key=lambda d: vi_sort_key(d.agency_version.name))


def qcdc_collection(*, deliverable_type: DeliverableType, today: dt.date) -> Collection:
    """Every unit expected to report, its status on `today`, its submitted figures, and the totals
    of the submitted reports (a report returned for correction counts again once resubmitted): 3 queries."""
    form = deliverable_type.report_form
    fields = list(form.fields.all())
    numbers = [f for f in fields if f.is_number]
    totals = {f.code: Decimal(0) for f in numbers}
    rows, counts = [], {}
    for deliverable in _deliverables(deliverable_type):
        status = deliverable.status_on(today)
        counts[status] = counts.get(status, 0) + 1
        values = entry_values(deliverable, submitted=True) if deliverable.is_submitted else {}
        for f in numbers:
            if f.code in values:
                totals[f.code] += Decimal(values[f.code])
        rows.append(
            CollectionRow(
                name=deliverable.agency_version.name,
                deliverable=deliverable,
                status=status,
                figures=[figure(Decimal(values[f.code])) if f.code in values else "" for f in numbers],
            )
        )
    order = list(STATUS_LABELS)
    counts = dict(sorted(counts.items(), key=lambda item: order.index(item[0])))
    return Collection(
        deliverable_type=deliverable_type,
        form=form,
        number_fields=numbers,
        text_fields=[f for f in fields if not f.is_number],
        rows=rows,
        totals=[figure(totals[f.code]) for f in numbers],
        counts=counts,
    )


def qcdc_summary(*, deliverable_type: DeliverableType, today: dt.date) -> dict:
    """What the steering committee's draft report prints, as plain values (hashable, no model objects):
    the figures summed over the submitted reports, each unit's texts, who reported late and who not."""
    collection = qcdc_collection(deliverable_type=deliverable_type, today=today)
    submitted = [row for row in collection.rows if row.status in ("on_time", "late")]
    texts = []
    for f in collection.text_fields:
        units = []
        for row in submitted:
            text = entry_values(row.deliverable, submitted=True).get(f.code, "")
            if text:
                units.append(
                    {"name": row.name, "paragraphs": [line.strip() for line in text.splitlines() if line.strip()]}
                )
        texts.append({"label": f.label, "units": units})
    plan = deliverable_type.plan
    return {
        "year": plan.year,
        "kind": collection.form.kind,
        "title": collection.form.title,
        "deliverable": deliverable_type.title,
        "due_on": deliverable_type.due_on.isoformat(),
        "expected": collection.expected,
        "submitted": len(submitted),
        "late": [row.name for row in submitted if row.status == "late"],
        "missing": [row.name for row in collection.rows if row.status not in ("on_time", "late")],
        "figures": [
            {"label": f.label, "unit": f.unit, "total": total}
            for f, total in zip(collection.number_fields, collection.totals, strict=True)
        ],
        "texts": texts,
    }


# --- exemplars -------------------------------------------------------------------------------------

EXEMPLAR_PAGE_SIZE = 50


def exemplars_visible_to(user: User) -> QuerySet[Exemplar]:
    """The exemplars of the user's province the user may see (as plans/rules.py says): a unit's own
    nominations; every nomination for Sở Nội vụ, the leaders and the steering committee; recognised
    ones for everybody of the province."""
    if not getattr(user, "is_authenticated", False) or user.province_id is None:
        return Exemplar.objects.none()
    if is_province_reader(user) or is_steering_committee(user):
        return Exemplar.objects.filter(province_id=user.province_id)
    seen = ~Q(level="")
    if user.agency_id and is_agency_member(user):
        seen |= Q(agency_id=user.agency_id)
    return Exemplar.objects.filter(seen, province_id=user.province_id)


@dataclass(frozen=True)
class ExemplarFilters(DvkFilters):
    kind: str = ""  # an ExemplarKind, or every kind


def exemplar_registry(*, user: User, filters: DvkFilters) -> QuerySet[Exemplar]:
    """The exemplars the user may see that pass the registry's filters (the models' filters, and the
    kind when asked); the search ignores diacritics and case."""
    rows = exemplars_visible_to(user)
    if isinstance(filters, ExemplarFilters) and filters.kind:
        rows = rows.filter(kind=filters.kind)
    return registry_filtered(rows, filters)


def exemplar_choices(*, user: User) -> tuple[list[int], list[tuple[int, str]]]:
    """The years and units the user's exemplar list can filter by (one query)."""
    rows = exemplars_visible_to(user).order_by().values_list("year", "agency_id", "agency_version__name").distinct()
    years, units = set(), {}
    for year, agency_id, name in rows:
        years.add(year)
        units.setdefault(agency_id, name)
    return sorted(years, reverse=True), sorted(units.items(), key=lambda item: vi_sort_key(item[1]))


def exemplar_detail(*, pk: int) -> Exemplar | None:
    return Exemplar.objects.filter(pk=pk).select_related("agency_version", "recognised_by", "created_by").first()
