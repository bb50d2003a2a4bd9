"""State changes of grassroots democracy (QCDC) reports and exemplars: a report form for a
deliverable (the shipped default), a unit's draft saved and its report submitted (the deliverable
counts as submitted then, so its deadline, reminders and review are those of every deliverable), and
the exemplary collectives and individuals nominated by units and recognised by Sở Nội vụ."""

from __future__ import annotations

import datetime as dt
import re
from dataclasses import dataclass
from decimal import Decimal, InvalidOperation

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from portal.cleaning import NOTE_MAX_CHARS, typed, typed_text
from portal.models import Agency, User
from portal.uploads import check_upload

from ..models import (
    Deliverable,
    DeliverableType,
    DvkField,
    DvkLevel,
    Exemplar,
    ExemplarKind,
    ReportEntry,
    ReportField,
    ReportForm,
)

TEXT_MAX_CHARS = 5000
NUMBER_MAX = Decimal("999999999")

# The shipped form (code, label, kind, unit): our reading of what the Tây Ninh 2023 QCDC plan asks the
# units to report every six months and every year (sections 2.1–2.4 of the plan).
DEFAULT_FIELDS = [
    ("documents_issued", "Văn bản lãnh đạo, chỉ đạo về thực hiện dân chủ ở cơ sở đã ban hành", "number", "văn bản"),
    ("regulations_issued", "Quy chế dân chủ, quy chế làm việc ban hành mới hoặc sửa đổi, bổ sung", "number", "quy chế"),
    ("propaganda_sessions", "Hội nghị, buổi tuyên truyền, phổ biến về dân chủ ở cơ sở", "number", "buổi"),
    ("propaganda_attendees", "Lượt người dự tuyên truyền, phổ biến", "number", "lượt người"),
    ("dialogues_held", "Hội nghị đối thoại, tiếp xúc trực tiếp với Nhân dân", "number", "cuộc"),
    ("citizens_received", "Lượt công dân được tiếp", "number", "lượt"),
    ("petitions_received", "Đơn khiếu nại, tố cáo, kiến nghị, phản ánh đã tiếp nhận", "number", "đơn"),
    ("petitions_resolved", "Đơn khiếu nại, tố cáo, kiến nghị, phản ánh đã giải quyết", "number", "đơn"),
    ("inspections", "Cuộc kiểm tra, giám sát có nội dung về thực hiện dân chủ ở cơ sở", "number", "cuộc"),
    ("trainings", "Lớp tập huấn, bồi dưỡng về thực hiện dân chủ ở cơ sở", "number", "lớp"),
    ("exemplars_commended", "Tập thể, cá nhân điển hình tiên tiến được biểu dương, khen thưởng", "number", "tập thể, cá nhân"),
    ("results", "Kết quả nổi bật", "text", ""),
    ("shortcomings", "Hạn chế, khó khăn, vướng mắc và nguyên nhân", "text", ""),
    ("proposals", "Phương hướng, nhiệm vụ và kiến nghị, đề xuất", "text", ""),
]  # fmt: skip
# Figures typed with thousands separators: "1.250" or "1 250" is one thousand two hundred and fifty.
_GROUPED = re.compile(r"^\d{1,3}([. ]\d{3})+$")


@transaction.atomic
def report_form_create(*, deliverable_type: DeliverableType, kind: str, title: str = "") -> ReportForm:
    """Gives a deliverable the shipped default form (once: an existing form is returned as it is)."""
    existing = ReportForm.objects.filter(deliverable_type=deliverable_type).first()
    if existing is not None:
        return existing
    if kind not in ReportForm.Kind.values:
        raise ValidationError({"kind": _("Choose a six-month or an annual report.")})
    year = deliverable_type.plan.year
    default_title = (
        f"Kết quả thực hiện dân chủ ở cơ sở 6 tháng đầu năm {year}"
        if kind == ReportForm.Kind.SIX_MONTHS
        else f"Kết quả thực hiện dân chủ ở cơ sở năm {year}"
    )
    form = ReportForm.objects.create(deliverable_type=deliverable_type, kind=kind, title=title or default_title)
    ReportField.objects.bulk_create(
        ReportField(form=form, order=order, code=code, label=label, kind=field_kind, unit=unit,
                    required=code != "exemplars_commended")
        for order, (code, label, field_kind, unit) in enumerate(DEFAULT_FIELDS)
    )  # fmt: skip
    return form


def parse_number(text: str) -> Decimal:
    """A figure as units type it: "12", "1.250", "1 250" (thousands) → Decimal; ValueError otherwise."""
    text = text.strip().replace("\u00a0", " ")
    if _GROUPED.match(text):
        text = text.replace(".", "").replace(" ", "")
    if not text.isascii() or not text.isdigit():
        raise ValueError(text)
    try:
        value = Decimal(text)
    except InvalidOperation as error:  # pragma: no cover — isdigit() above
        raise ValueError(text) from error
    if value > NUMBER_MAX:
        raise ValueError(text)
    return value


def _cleaned(fields: list[ReportField], raw: dict[str, str], *, complete: bool) -> dict[str, str]:
    """The values as stored (numbers as digits, texts normalised); every error at once, by field code.
    A draft may leave anything empty; a submitted report needs every required line."""
    values, errors = {}, {}
    for field in fields:
        text = raw.get(field.code) or ""
        if field.is_number:
            text = text.strip()
            if text:
                try:
                    values[field.code] = str(parse_number(text))
                except ValueError:
                    errors[field.code] = _(
                        "“%(value)s” is not a figure: type a whole number of %(unit)s, e.g. 12 (0 if none)."
                    ) % {"value": text[:40], "unit": field.unit or _("units")}
                    continue
        else:
            try:
                text = typed(text, field=field.code, label=field.label, limit=TEXT_MAX_CHARS)
            except ValidationError as error:
                errors[field.code] = error.message_dict[field.code][0]
                continue
            if text:
                values[field.code] = text
        if complete and field.required and field.code not in values:
            errors[field.code] = (
                _("Enter the figure (0 if there was none).") if field.is_number else _("Write this part of the report.")
            )
    if errors:
        raise ValidationError(errors)
    return values


def _entry(deliverable: Deliverable) -> ReportEntry:
    entry, _created = ReportEntry.objects.select_for_update().get_or_create(deliverable=deliverable)
    return entry


def _check_open(deliverable: Deliverable) -> None:
    if deliverable.is_submitted:
        raise ValidationError(_("This report was submitted already; it can be changed only if Sở Nội vụ returns it."))


@transaction.atomic
def report_entry_save(*, deliverable: Deliverable, raw: dict[str, str], by: User) -> ReportEntry:
    """Saves the unit's draft (nobody else reads it); figures must parse, anything may stay empty."""
    _check_open(deliverable)
    fields = list(deliverable.type.report_form.fields.all())
    values = _cleaned(fields, raw, complete=False)
    entry = _entry(deliverable)
    entry.values = values
    entry.saved_at, entry.saved_by = timezone.now(), by
    entry._change_reason = "draft"
    entry.save()
    return entry


@transaction.atomic
def report_entry_submit(*, deliverable: Deliverable, raw: dict[str, str], by: User) -> ReportEntry:
    """Submits the unit's report: every required line filled; the deliverable is submitted now (late
    is allowed, and shown as late) and awaits Sở Nội vụ's review like an uploaded document."""
    _check_open(deliverable)
    fields = list(deliverable.type.report_form.fields.all())
    values = _cleaned(fields, raw, complete=True)
    entry = _entry(deliverable)
    now = timezone.now()
    entry.values = entry.submitted_values = values
    entry.saved_at, entry.saved_by = now, by
    entry._change_reason = "submitted"
    entry.save()
    deliverable.submitted_at, deliverable.submitted_by = now, by
    deliverable.document_date = timezone.localdate(now)
    deliverable.review, deliverable.review_comment = Deliverable.Review.PENDING, ""
    deliverable._change_reason = "submitted (form)"
    deliverable.save(update_fields=["submitted_at", "submitted_by", "document_date", "review", "review_comment"])
    return entry


# --- exemplars -------------------------------------------------------------------------------------


@dataclass(frozen=True)
class ExemplarData:
    """What a unit writes when it nominates an exemplary collective or individual."""

    year: int
    name: str
    kind: str
    field: str
    achievements: str


def _version_of(agency: Agency, year: int):
    version = agency.version_on(dt.date(year, 12, 31)) or agency.versions.valid_in_year(year).last()
    if version is None:
        raise ValidationError(_("The unit did not exist in %(year)s.") % {"year": year})
    return version


@transaction.atomic
def exemplar_nominate(*, agency: Agency, data: ExemplarData, by: User, upload=None) -> Exemplar:
    """Records a unit's nomination (the evidence file is optional)."""
    values = {
        "name": typed_text(Exemplar, "name", data.name),
        "achievements": typed(data.achievements, field="achievements", label=_("achievements"), limit=NOTE_MAX_CHARS),
    }
    errors = {name: _("This field is required.") for name, value in values.items() if not value}
    if data.kind not in ExemplarKind.values:
        errors["kind"] = _("Choose a collective or an individual.")
    if data.field not in DvkField.values:
        errors["field"] = _("Choose one of the four fields.")
    this_year = timezone.localdate().year
    if not this_year - 1 <= data.year <= this_year:
        errors["year"] = _("Nominate for this year or last year.")
    if errors:
        raise ValidationError(errors)
    exemplar = Exemplar(
        province_id=agency.province_id, agency=agency, agency_version=_version_of(agency, data.year),
        year=data.year, kind=data.kind, field=data.field, created_by=by, **values,
    )  # fmt: skip
    if upload is not None:
        checked = check_upload(upload)
        exemplar.evidence.save(checked.name, upload, save=False)
        exemplar.evidence_name, exemplar.evidence_sha256 = checked.name, checked.sha256
    exemplar._change_reason = "nominated"
    exemplar.save()
    return exemplar


@transaction.atomic
def exemplar_recognise(
    *, exemplar: Exemplar, level: str, decision_number: str, decision_date: dt.date, by: User
) -> Exemplar:
    """Sở Nội vụ's yearly recognition, by a decision (number and date)."""
    exemplar = Exemplar.objects.select_for_update().get(pk=exemplar.pk)
    if exemplar.level:
        raise ValidationError(_("This nomination is recognised already."))
    number = typed_text(Exemplar, "decision_number", decision_number)
    errors = {}
    if level not in DvkLevel.values:
        errors["level"] = _("Choose the level.")
    if not number:
        errors["decision_number"] = _("Enter the number of the decision.")
    if decision_date is None:
        errors["decision_date"] = _("Enter the date of the decision.")
    elif decision_date > timezone.localdate():
        errors["decision_date"] = _("The date of the decision cannot be in the future.")
    elif decision_date.year < exemplar.year:
        errors["decision_date"] = _("The decision cannot be earlier than the year of the nomination.")
    if errors:
        raise ValidationError(errors)
    exemplar.level, exemplar.decision_number, exemplar.decision_date = level, number, decision_date
    exemplar.recognised_by, exemplar.recognised_at = by, timezone.now()
    exemplar._change_reason = f"recognised: {number}"
    exemplar.save()
    return exemplar
