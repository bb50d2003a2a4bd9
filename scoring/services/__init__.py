"""State changes of the scoring app."""

from .cycle import (  # noqa: F401
    StaleEdit,
    adjustment_save,
    criterion_set_not_applicable,
    dossier_prefill,
    dossier_reopen,
    dossier_set_flags,
    dossier_submit,
    evidence_add,
    evidence_remove,
    evidence_request_create,
    expected_phase,
    explanation_decide,
    explanation_submit,
    final_mark_change,
    mark_save,
    period_auto_switch,
    period_create,
    period_finalize,
    period_open_dossiers,
    period_set_phase,
    self_score_save,
)
from .regulations import criteria_set_is_pinned, regulation_import, regulation_import_file  # noqa: F401
