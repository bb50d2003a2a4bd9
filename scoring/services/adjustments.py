"""The reviewer's adjustments form as one use case: bonus and penalty items, flags and
not-applicable criteria of a dossier, saved all together or not at all."""

from __future__ import annotations

from dataclasses import dataclass, field

from django.core.exceptions import ValidationError
from django.core.files.uploadedfile import UploadedFile
from django.db import transaction

from portal.models import User

from ..engine import ScoreInputError
from ..explain import input_error_text
from ..models import Dossier
from ..selectors import dossier_data
from ._base import dossier_lock
from .appraisal import adjustment_write, flags_write, not_applicable_write
from .results import dossier_result_refresh


@dataclass(frozen=True)
class AdjustmentsForm:
    """What the reviewer sent: typed values by item code (None: the item was not on the form),
    evidence files by item code, the flags, the codes ticked not applicable, and one reason."""

    reason: str
    items: dict[str, str | None] = field(default_factory=dict)
    evidence: dict[str, UploadedFile] = field(default_factory=dict)
    flags: list[str] = field(default_factory=list)
    not_applicable: set[str] = field(default_factory=set)


@transaction.atomic
def dossier_adjust(*, dossier: Dossier, form: AdjustmentsForm, by: User) -> int:
    """Applies every change of the form, or none (the first refusal rolls all back); returns how
    many changes were made. Unchanged items are left alone, so their history stays quiet."""
    dossier_lock(dossier)
    data = dossier_data(dossier)
    changes = 0
    for node in (*data.spec.bonus, *data.spec.penalties):
        value = form.items.get(node.code)
        current = data.adjustments.get(node.code)
        evidence = form.evidence.get(node.code)
        if value is None or (value == (current.raw if current else "") and evidence is None):
            continue
        try:
            adjustment_write(
                dossier=dossier,
                criterion=data.criteria[node.code],
                raw=value,
                reason=form.reason,
                by=by,
                evidence=evidence,
            )
        except ScoreInputError as error:
            # Named by its item, since the form has several and none of them is saved now.
            raise ValidationError(f"{node.code} — {input_error_text(error)}") from error
        changes += 1
    if sorted(form.flags) != sorted(dossier.flags or []):
        flags_write(dossier=dossier, flags=form.flags, reason=form.reason, by=by)
        changes += 1
    was_not_applicable = {code for code, score in data.scores.items() if score.not_applicable}
    # Only the dossier's own criteria: a forged code is ignored like any field the form does not have.
    for code in sorted(was_not_applicable ^ (form.not_applicable & data.criteria.keys())):
        not_applicable_write(
            dossier=dossier,
            criterion=data.criteria[code],
            value=code in form.not_applicable,
            reason=form.reason,
            by=by,
        )
        changes += 1
    if changes:
        dossier_result_refresh(dossier=dossier)
    return changes
