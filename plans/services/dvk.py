"""State changes of the "Dân vận khéo" models: register (draft, send), report progress with
evidence, review, recognise by level, carry into the next year. Every change is kept in the
models' history with who made it and why."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _

from portal.cleaning import NOTE_MAX_CHARS, typed, typed_text
from portal.models import Agency, User
from portal.services import notification_send
from portal.uploads import check_upload

from ..models import DvkField, DvkLevel, DvkModel, DvkProgress, DvkRecognition

TEXT_FIELDS = ("goal", "participants", "expected_result")


@dataclass(frozen=True)
class DvkModelData:
    """What a unit writes when it registers a model."""

    year: int
    name: str
    field: str
    goal: str
    lead: str
    participants: str
    starts_on: dt.date
    ends_on: dt.date
    expected_result: str


def _cleaned(data: DvkModelData) -> dict:
    values = {
        "name": typed_text(DvkModel, "name", data.name),
        "lead": typed_text(DvkModel, "lead", data.lead),
        **{name: typed_text(DvkModel, name, getattr(data, name), NOTE_MAX_CHARS) for name in TEXT_FIELDS},
    }
    errors = {name: _("This field is required.") for name, value in values.items() if not value}
    if data.field not in DvkField.values:
        errors["field"] = _("Choose one of the four fields.")
    if data.starts_on and data.ends_on and data.ends_on < data.starts_on:
        errors["ends_on"] = _("The end must not be before the start.")
    elif (data.starts_on and data.starts_on.year > data.year) or (data.ends_on and data.ends_on.year < data.year):
        errors["starts_on"] = _("The model must run during %(year)s.") % {"year": data.year}
    if errors:
        raise ValidationError(errors)
    return {**values, "field": data.field, "starts_on": data.starts_on, "ends_on": data.ends_on}


def _version_of(agency: Agency, year: int):
    version = agency.version_on(dt.date(year, 12, 31)) or agency.versions.valid_in_year(year).last()
    if version is None:
        raise ValidationError({"year": _("Your unit did not exist in %(year)s.") % {"year": year}})
    return version


@transaction.atomic
def dvk_model_save(
    *,
    agency: Agency,
    data: DvkModelData,
    by: User,
    model: DvkModel | None = None,
    replicated_from: DvkModel | None = None,
) -> DvkModel:
    """Creates the unit's draft model, or changes one still in draft or returned."""
    values = _cleaned(data)
    if model is None:
        model = DvkModel(province_id=agency.province_id, agency=agency, created_by=by, replicated_from=replicated_from)
        model._change_reason = "registered as a draft"
    elif model.status not in (DvkModel.Status.DRAFT, DvkModel.Status.RETURNED):
        raise ValidationError(_("A model already sent can no longer be changed."))
    else:
        model._change_reason = "changed"
    model.year = data.year
    model.agency_version = _version_of(agency, data.year)
    for name, value in values.items():
        setattr(model, name, value)
    model.save()
    return model


@transaction.atomic
def dvk_model_submit(*, model: DvkModel, by: User) -> DvkModel:
    """Sends the model for review (its registration); the reviewers are told."""
    model = DvkModel.objects.select_for_update().get(pk=model.pk)
    if model.status not in (DvkModel.Status.DRAFT, DvkModel.Status.RETURNED):
        raise ValidationError(_("The model has already been sent."))
    model.status = DvkModel.Status.SUBMITTED
    model.submitted_at = timezone.now()
    model._change_reason = f"sent for review by {by.username}"
    model.save()
    return model


@transaction.atomic
def dvk_progress_add(*, model: DvkModel, reported_on: dt.date, text: str, by: User, upload=None) -> DvkProgress:
    """Adds a progress report; its document is checked like every upload (kind by content, size)."""
    text = typed(text, field="text", label=_("What was done"), limit=NOTE_MAX_CHARS)
    if not text:
        raise ValidationError({"text": _("Say what was done.")})
    if model.status not in (DvkModel.Status.SUBMITTED, DvkModel.Status.APPROVED):
        raise ValidationError(_("Progress is reported once the model is registered."))
    if reported_on > timezone.localdate():
        raise ValidationError({"reported_on": _("The date cannot be in the future.")})
    progress = DvkProgress(model=model, reported_on=reported_on, text=text, created_by=by)
    if upload is not None:
        checked = check_upload(upload)
        progress.document.save(checked.name, upload, save=False)
        progress.document_name = checked.name
        progress.document_sha256 = checked.sha256
    progress._change_reason = "progress reported"
    progress.save()
    return progress


def _notify_unit(model: DvkModel, title: str, body: str, key: str) -> None:
    for user in User.objects.filter(agency_id=model.agency_id, is_active=True):
        notification_send(
            recipient=user, key=key, title=title, body=body, url=reverse("plans:dvk_detail", args=[model.pk])
        )


@transaction.atomic
def dvk_model_review(*, model: DvkModel, approve: bool, comment: str, by: User) -> DvkModel:
    """Accepts the registration (the model is under way) or returns it with the reason."""
    comment = typed(comment, field="comment", label=_("Comment"), limit=NOTE_MAX_CHARS)
    model = DvkModel.objects.select_for_update().get(pk=model.pk)
    if model.status != DvkModel.Status.SUBMITTED:
        raise ValidationError(_("The model is not awaiting review."))
    if not approve and not comment:
        raise ValidationError({"comment": _("Say why the model is returned.")})
    model.status = DvkModel.Status.APPROVED if approve else DvkModel.Status.RETURNED
    model.review_comment = comment
    model.reviewed_by = by
    model.reviewed_at = timezone.now()
    model._change_reason = comment or "accepted"
    model.save()
    title = _("Your model “%(name)s” was accepted") if approve else _("Your model “%(name)s” was returned")
    _notify_unit(model, title % {"name": model.name}, comment, f"dvk-review:{model.pk}:{model.reviewed_at.isoformat()}")
    return model


@transaction.atomic
def dvk_model_recognise(
    *, model: DvkModel, level: str, decision_number: str, decision_date: dt.date, issuer: str, by: User
) -> DvkRecognition:
    """Records a level's recognition by its decision; the model keeps its highest level."""
    decision_number = typed_text(DvkRecognition, "decision_number", decision_number)
    issuer = typed_text(DvkRecognition, "issuer", issuer)
    model = DvkModel.objects.select_for_update().get(pk=model.pk)
    errors = {}
    if level not in DvkLevel.values:
        errors["level"] = _("Choose the level.")
    if not decision_number:
        errors["decision_number"] = _("Enter the number of the decision.")
    if not issuer:
        errors["issuer"] = _("Enter who recognised the model.")
    if decision_date and decision_date > timezone.localdate():
        errors["decision_date"] = _("The date cannot be in the future.")
    if errors:
        raise ValidationError(errors)
    if model.status != DvkModel.Status.APPROVED:
        raise ValidationError(_("Only a model under way can be recognised."))
    recognition = DvkRecognition(
        model=model, level=level, decision_number=decision_number, decision_date=decision_date, issuer=issuer,
        recorded_by=by,
    )  # fmt: skip
    recognition._change_reason = f"recognised by {decision_number}"
    try:
        with transaction.atomic():
            recognition.save()
    except IntegrityError as error:
        raise ValidationError({"level": _("This level has already recognised the model.")}) from error
    if DvkLevel.rank(level) > DvkLevel.rank(model.level):
        model.level = level
        model._change_reason = f"recognised at {level} level by {decision_number}"
        model.save()
    _notify_unit(
        model,
        _("Your model “%(name)s” was recognised: %(level)s") % {"name": model.name, "level": DvkLevel(level).label},
        f"{decision_number}, {decision_date:%d/%m/%Y}",
        f"dvk-recognised:{recognition.pk}",
    )
    return recognition


@transaction.atomic
def dvk_model_carry(*, model: DvkModel, by: User) -> DvkModel:
    """Keeps the model for the next year: a draft of the same model for year + 1, linked to it
    (once: carrying it again answers the draft already made)."""
    model = DvkModel.objects.select_for_update().get(pk=model.pk)
    existing = DvkModel.objects.filter(carried_from=model).first()
    if existing is not None:
        return existing
    if model.status != DvkModel.Status.APPROVED:
        raise ValidationError(_("Only a model under way can be kept for the next year."))
    year = model.year + 1
    data = DvkModelData(
        year=year,
        name=model.name,
        field=model.field,
        goal=model.goal,
        lead=model.lead,
        participants=model.participants,
        starts_on=dt.date(year, 1, 1),
        ends_on=dt.date(year, 12, 31),
        expected_result=model.expected_result,
    )
    new = dvk_model_save(agency=model.agency, data=data, by=by, replicated_from=model.replicated_from)
    new.carried_from = model
    new._change_reason = f"kept from {model.year}"
    new.save()
    return new
