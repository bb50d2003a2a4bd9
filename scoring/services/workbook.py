"""The agency's offline form applied as one use case: every change the preview showed, or none."""

from __future__ import annotations

from django.db import transaction

from portal.models import User

from ..models import Dossier
from ..selectors import dossier_data
from ._base import dossier_lock
from .results import dossier_result_refresh
from .self_assessment import self_score_write


@transaction.atomic
def dossier_apply_workbook(*, dossier: Dossier, changes: list[dict], versions: dict[str, int], by: User) -> int:
    """Saves the previewed changes (code, field, after) against the row versions read at upload; a row
    changed since (StaleEdit) or any refusal undoes them all. Returns how many changes were saved."""
    dossier_lock(dossier)
    data = dossier_data(dossier)
    by_code: dict[str, dict[str, str]] = {}
    for change in changes:
        by_code.setdefault(change["code"], {})[change["field"]] = change["after"]
    for code, fields in by_code.items():
        self_score_write(dossier=dossier, criterion=data.criteria[code], by=by, version=versions.get(code, 0), **fields)
    if by_code:
        dossier_result_refresh(dossier=dossier)
    return len(changes)
