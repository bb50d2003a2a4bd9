"""Read-only data for documents, spreadsheets, dashboards and the API: the year-end documents'
data (`documents`) and the leader's dashboard (`dashboard`)."""

from .dashboard import (  # noqa: F401
    agency_gaps,
    agency_trend,
    criterion_gaps,
    dossier_for,
    submission_progress,
    yearly_averages,
)
from .documents import (  # noqa: F401
    DEFAULT_SIGNER_TITLES,
    ISSUED_BY_COMMITTEE,
    PROGRAM_TITLES,
    ROMAN,
    band_counts,
    decision_context,
    default_texts,
    document_texts_for,
    final_periods,
    paper,
    places_of,
    scoresheet_context,
    signer_for,
    summary_context,
    year_end_numbers,
)
