"""Read-only queries of the scoring app."""

from .cycle import *  # noqa: F403
from .cycle import AUTO_SCORER, DossierData, GridRow, HistoryEvent  # noqa: F401
from .regulations import *  # noqa: F403
from .regulations import criteria_set_by_code, criteria_set_spec, regulation_document, regulation_meta  # noqa: F401
