"""State changes of the scoring app, one module per use case: `periods` (create, phases,
finalize), `self_assessment` (cells, evidence, submit, reopen), `workbook` (the offline form),
`appraisal` (marks, items, requests), `adjustments` (the reviewer's form), `explanations`,
`results` (stored results, changes after finalization), `reminders` (the queue's bulk
reminder), `regulations`, `versions` (a period moved to a newer version of its regulation)."""

from ._base import CellSaved, StaleEdit, VersionMissing, dossier_lock  # noqa: F401
from .adjustments import AdjustmentsForm, dossier_adjust  # noqa: F401
from .appraisal import (  # noqa: F401
    adjustment_save,
    criterion_set_not_applicable,
    dossier_set_flags,
    evidence_request_create,
    mark_save,
)
from .explanations import explanation_decide, explanation_submit  # noqa: F401
from .periods import (  # noqa: F401
    expected_phase,
    period_auto_switch,
    period_create,
    period_finalize,
    period_open_dossiers,
    period_set_phase,
    period_set_phases,
    phases_check,
)
from .regulations import criteria_set_is_pinned, regulation_import, regulation_import_file  # noqa: F401
from .reminders import RemindersSent, dossier_reminder_email_send, dossiers_remind  # noqa: F401
from .results import dossier_result_refresh, final_mark_change, results_refresh, results_store  # noqa: F401
from .self_assessment import (  # noqa: F401
    dossier_prefill,
    dossier_reopen,
    dossier_submit,
    evidence_add,
    evidence_remove,
    self_score_save,
)
from .versions import VersionDiff, period_change_version, period_version_diff  # noqa: F401
from .workbook import dossier_apply_workbook  # noqa: F401
