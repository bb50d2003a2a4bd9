"""Pages of the assessment cycle, one module per use case: `periods`, `grid` (the dossier page and
its cells), `self_assessment`, `appraisal`, `explanations`, `results`. Each view parses, checks a
permission, calls one service or selector, and renders; htmx requests get the `_partial`
templates of the same views."""

from .appraisal import adjustments, evidence_request, mark_cell, queue, queue_remind  # noqa: F401
from .explanations import explanation_decide, explanation_submit  # noqa: F401
from .grid import dossier_view  # noqa: F401
from .periods import assessment_home, period_detail  # noqa: F401
from .results import criterion_history, final_change, ranking, result_steps  # noqa: F401
from .self_assessment import (  # noqa: F401
    dossier_reopen,
    dossier_submit,
    evidence_add,
    evidence_file,
    evidence_remove,
    excel_download,
    excel_upload,
    self_cell,
)
from .versions import period_version  # noqa: F401
