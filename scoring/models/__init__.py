from .regulations import (
    ClassBand,
    CriteriaSet,
    Criterion,
    CriterionScorer,
    GateRule,
    Program,
    QuotaRule,
    Regulation,
)

__all__ = [
    "ClassBand",
    "CriteriaSet",
    "Criterion",
    "CriterionScorer",
    "GateRule",
    "Program",
    "QuotaRule",
    "Regulation",
]
