"""Read-only queries of the scoring app, one module per use case: `dossier` (lookups, a dossier's
data, who marks a criterion), `grid` (the paper form), `access` (what of it a person may read),
`queue` (appraisal), `history` (one criterion's changes), `phases` (a period's phases and moves),
`results` (ranking), `regulations`."""

from .access import dossiers_detail_readable, row_shows_marks, rows_visible_to, sees_assigned_criteria_only  # noqa: F401
from .dossier import (  # noqa: F401
    AUTO_SCORER,
    DossierData,
    band_labels,
    criteria_set_for,
    current_period,
    dossier_data,
    dossier_of,
    engine_input,
    index_value,
    marks_criterion,
    marks_with_names,
    may_mark,
    period_dossier_data,
    period_sets_problems,
    periods_of,
    scorer_codes_for,
    set_for_group,
    spec_for,
)
from .grid import CellRows, GridRow, cell_rows, completeness_problems, grid_rows  # noqa: F401
from .history import HistoryEvent, criterion_history  # noqa: F401
from .phases import PhaseChangeRow, PhaseRow, phase_history, phase_rows  # noqa: F401
from .queue import (  # noqa: F401
    DEFAULT_SORT,
    QueueCounts,
    QueueRow,
    appraisal_queue,
    dossier_counts,
    queue_counts,
    queue_dossiers,
)
from .regulations import *  # noqa: F403
from .regulations import (  # noqa: F401
    CriteriaSetData,
    criteria_set_by_code,
    criteria_set_data,
    criteria_set_spec,
    regulation_document,
    regulation_meta,
)
from .results import (  # noqa: F401
    BEST_BAND_METRIC,
    DossierComputation,
    RankingRow,
    RankingSection,
    counted_input,
    dossier_computation,
    engine_inputs,
    is_counted,
    period_results,
    ranking,
    result_steps,
)
from .shares import BandShare, best_band_share, best_band_shares  # noqa: F401
from .versions import newer_criteria_sets, version_changes  # noqa: F401
