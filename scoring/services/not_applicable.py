"""An agency's declaration that a criterion does not apply to it, and the reviewer's decision.

The regulation says where this may happen: a criterion whose `na_policy` is not “zero” (e.g. the
PAR Index criterion for a unit that has no index, excluded and the rest rescaled). The declaration
counts as not applicable at once (the agency's total shows what it claims); the reviewer accepts
it, or refuses it with a reason, and then the criterion is scored like any other."""

from __future__ import annotations

from django.core.exceptions import ValidationError
from django.db import transaction
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _

from portal.cleaning import NOTE_MAX_CHARS, typed_text
from portal.models import User
from portal.selectors import users_of_agency
from portal.services import notification_send

from ..engine.types import NAPolicy
from ..models import Criterion, CriterionScore, Dossier
from ..models.cycle import NAStatus
from ..selectors.dossier import spec_for
from ._base import CellSaved, check_version, dossier_lock, set_reason
from .results import dossier_result_refresh


def _declarable(dossier: Dossier, criterion: Criterion) -> None:
    node = spec_for(dossier).node(criterion.code)
    if not node.is_leaf or not node.self_scorable or node.na_policy is NAPolicy.ZERO:
        raise ValidationError(_("The regulation does not allow declaring this criterion not applicable."))


@transaction.atomic
def not_applicable_declare(
    *, dossier: Dossier, criterion: Criterion, by: User, reason: str, version: int | None, withdraw: bool = False
) -> CellSaved[CriterionScore]:
    """The agency declares (or, with `withdraw`, takes back) that a criterion does not apply to it,
    with the reason the reviewer reads. Refused on a locked dossier, a criterion the regulation
    does not allow, a stale page, or without a reason."""
    dossier_lock(dossier)
    if dossier.is_locked:
        raise ValidationError(_("The dossier has been submitted and is locked."))
    _declarable(dossier, criterion)
    score, _created = CriterionScore.objects.get_or_create(dossier=dossier, criterion=criterion)
    if score.is_automatic:
        raise ValidationError(_("This mark is filled in by the portal from its records."))
    check_version(score, version, current=score.self_raw, by="updated_by", at="updated_at")
    if withdraw:
        score.na_status, score.not_applicable = "", False
        set_reason(score, "not-applicable declaration withdrawn")
    else:
        reason = typed_text(CriterionScore, "na_reason", reason or "", NOTE_MAX_CHARS).strip()
        if not reason:
            raise ValidationError(_("Say why the criterion does not apply to your agency."))
        score.na_status, score.na_reason, score.not_applicable = NAStatus.PENDING, reason, True
        score.na_decision_reason, score.na_decided_by, score.na_decided_at = "", None, None
        set_reason(score, f"declared not applicable: {reason}")
    score.version += 1
    score.updated_by = by
    score.save()
    return CellSaved(score, dossier_result_refresh(dossier=dossier))


@transaction.atomic
def not_applicable_decide(
    *, dossier: Dossier, criterion: Criterion, by: User, accept: bool, reason: str = ""
) -> CriterionScore:
    """The reviewer accepts the agency's declaration (the criterion stays out, per its policy) or
    refuses it with a reason (it is scored again); the agency's people are told either way."""
    dossier_lock(dossier)
    score = CriterionScore.objects.filter(dossier=dossier, criterion=criterion).first()
    if score is None or not score.na_status:
        raise ValidationError(_("The agency has not declared this criterion not applicable."))
    reason = typed_text(CriterionScore, "na_decision_reason", reason or "", NOTE_MAX_CHARS).strip()
    if not accept and not reason:
        raise ValidationError({"reason": _("Give the reason for refusing the declaration.")})
    score.na_status = NAStatus.ACCEPTED if accept else NAStatus.REFUSED
    score.not_applicable = accept
    score.na_decision_reason, score.na_decided_by, score.na_decided_at = reason, by, timezone.now()
    score.version += 1
    set_reason(score, f"not-applicable declaration {'accepted' if accept else 'refused'}: {reason}")
    score.save()
    dossier_result_refresh(dossier=dossier)
    title = (
        _("Criterion %(code)s: not applicable, as you declared")
        if accept
        else _("Criterion %(code)s: your declaration that it does not apply was refused")
    ) % {"code": criterion.code}
    url = reverse("scoring:dossier", args=[dossier.pk]) + f"#row-{criterion.code}"
    for person in users_of_agency(agency=dossier.agency):
        notification_send(
            recipient=person, key=f"na-decision:{score.pk}:{score.version}", title=title, body=reason, url=url
        )
    return score
