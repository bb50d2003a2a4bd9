"""Models of the plans app: annual plans with their deliverables and reminders (`plans`), and the
units' "Dân vận khéo" models (`dvk`)."""

from portal.models import Agency, AgencyGroup, AgencyVersion, Program, Province  # noqa: F401,E402

from .dvk import (  # noqa: F401
    DvkField,
    DvkLevel,
    DvkModel,
    DvkProgress,
    DvkRecognition,
    dvk_progress_upload_to,
)
from .plans import (  # noqa: F401
    DUE_SOON_DAYS,
    Deliverable,
    DeliverableType,
    Digest,
    Plan,
    PlanSection,
    Reminder,
    ReminderPolicy,
    SweepDay,
    Target,
    Task,
    deliverable_upload_to,
)
from .qcdc import (  # noqa: F401
    Exemplar,
    ExemplarKind,
    ReportEntry,
    ReportField,
    ReportForm,
    exemplar_upload_to,
)
