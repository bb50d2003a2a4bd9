"""The explanation round: an agency explains a criterion, the reviewer accepts (the mark changes)
or rejects it."""

from __future__ import annotations

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from portal.cleaning import EXPLANATION_MAX_CHARS, typed_reason, typed_text
from portal.models import User

from ..models import AppraisalMark, Criterion, Dossier, Explanation
from ._base import notify_agency, set_reason
from .appraisal import mark_save


@transaction.atomic
def explanation_submit(*, dossier: Dossier, criterion: Criterion, text: str, by: User) -> Explanation:
    """Records the agency's explanation on a criterion, pending the reviewer's decision."""
    text = typed_text(Explanation, "text", text, EXPLANATION_MAX_CHARS)
    if not text.strip():
        raise ValidationError({"text": _("Write the explanation.")})
    explanation = Explanation(dossier=dossier, criterion=criterion, text=text.strip(), submitted_by=by)
    set_reason(explanation, "explanation submitted")
    explanation.save()
    return explanation


@transaction.atomic
def explanation_decide(
    *, explanation: Explanation, accept: bool, reason: str, by: User, new_raw: str | None = None
) -> Explanation:
    """Accepts (the mark changes) or rejects an explanation — always with a reason."""
    reason = typed_reason(reason)
    if not reason.strip():
        raise ValidationError({"reason": _("Give the reason for the decision.")})
    # Locked: two reviewers deciding the same explanation at once must not both change the mark.
    decision = Explanation.objects.select_for_update().values_list("decision", flat=True).get(pk=explanation.pk)
    if decision != Explanation.Decision.PENDING:
        raise ValidationError(_("This explanation has already been decided."))
    if accept:
        if not (new_raw or "").strip():
            raise ValidationError({"new_raw": _("Enter the new mark.")})
        # Accepting replaces the mark by design (whatever it was), so the decision edits its
        # current version; the pending explanation, locked above, is what guards against a repeat.
        current = AppraisalMark.objects.filter(
            dossier=explanation.dossier, criterion=explanation.criterion, scorer=by.agency
        ).values_list("version", flat=True)
        mark_save(
            dossier=explanation.dossier,
            criterion=explanation.criterion,
            scorer=by.agency,
            raw=new_raw,
            by=by,
            comment=reason,
            version=current.first() or 0,
            reason=f"explanation accepted: {reason}",
        )
    explanation.decision = Explanation.Decision.ACCEPTED if accept else Explanation.Decision.REJECTED
    explanation.decision_reason = reason.strip()
    explanation.decided_by = by
    explanation.decided_at = timezone.now()
    set_reason(explanation, reason)
    explanation.save()
    notify_agency(
        explanation.dossier,
        key=f"explanation:{explanation.pk}:decided",
        title=_("Your explanation on criterion %(code)s was %(decision)s")
        % {"code": explanation.criterion.code, "decision": explanation.get_decision_display().lower()},
        body=reason.strip(),
    )
    return explanation
