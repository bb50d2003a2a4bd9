"""State changes of the plans app: one module per use case, every name importable from here."""

from .dvk import (  # noqa: F401
    DvkModelData,
    dvk_model_carry,
    dvk_model_recognise,
    dvk_model_review,
    dvk_model_save,
    dvk_model_submit,
    dvk_progress_add,
)
from .plans import (  # noqa: F401
    deliverable_review,
    deliverable_submit,
    plan_copy,
    plan_issue,
)
from .qcdc import (  # noqa: F401
    DEFAULT_FIELDS,
    ExemplarData,
    exemplar_nominate,
    exemplar_recognise,
    parse_number,
    report_entry_save,
    report_entry_submit,
    report_form_create,
)
from .reminders import (  # noqa: F401
    SWEEP_LOCK_SECONDS,
    digest_send,
    digests_create,
    digests_to_queue,
    reminder_give_up,
    reminder_send,
    reminders_create,
    reminders_to_queue,
    sweep_lock,
)
