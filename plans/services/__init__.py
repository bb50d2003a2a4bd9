"""State changes of the plans app: one module per use case, every name importable from here."""

from .plans import (  # noqa: F401
    deliverable_review,
    deliverable_submit,
    plan_copy,
    plan_issue,
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
