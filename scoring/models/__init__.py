from .contest import Contest, ContestJudge, JudgeMark
from .cycle import (
    PHASE_ORDER,
    Adjustment,
    AppraisalMark,
    CriterionScore,
    Dossier,
    Evidence,
    EvidenceRequest,
    Explanation,
    Phase,
    PhaseChange,
    ScoringPeriod,
)
from .indexes import IndexValue
from .period_sets import PeriodCriteriaSet, PeriodVersionChange
from .regulations import ClassBand, CriteriaSet, Criterion, CriterionScorer, GateRule, QuotaRule, Regulation
from .reminders import DossierReminder
from .results import ProvisionalResult, Result

__all__ = [
    "PHASE_ORDER",
    "Adjustment",
    "AppraisalMark",
    "ClassBand",
    "Contest",
    "ContestJudge",
    "CriteriaSet",
    "Criterion",
    "CriterionScore",
    "CriterionScorer",
    "Dossier",
    "DossierReminder",
    "Evidence",
    "EvidenceRequest",
    "Explanation",
    "GateRule",
    "IndexValue",
    "JudgeMark",
    "PeriodCriteriaSet",
    "PeriodVersionChange",
    "Phase",
    "PhaseChange",
    "ProvisionalResult",
    "QuotaRule",
    "Regulation",
    "Result",
    "ScoringPeriod",
]
