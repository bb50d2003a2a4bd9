"""Pages of the plans app: one module per subject, every view importable from here."""

from .dvk import (  # noqa: F401
    dvk_carry,
    dvk_create,
    dvk_detail,
    dvk_edit,
    dvk_progress_add,
    dvk_progress_file,
    dvk_recognise,
    dvk_registry,
    dvk_review,
    dvk_submit,
)
from .plans import (  # noqa: F401
    deliverable_detail,
    deliverable_document,
    deliverable_submit,
    duties_context,
    my_duties,
    plan_copy,
    plan_detail,
    plan_issue,
    plan_list,
    plan_matrix,
)
from .qcdc import (  # noqa: F401
    exemplar_create,
    exemplar_detail,
    exemplar_file,
    exemplar_list,
    qcdc_collection,
    qcdc_report,
)
