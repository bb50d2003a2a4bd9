"""The checks of a regulation document beyond the shape of its fields, one per concern: a score
type's parameters (each type checks its own: engine/score_types/), sums of points, scorers,
classes, gates and quotas.

Each check takes what the parser read and returns its problems as messages, or as (field, message)
pairs where the field says whose location the parser reports; it never sees a location itself.
"""

from __future__ import annotations

from decimal import Decimal

from django.utils.translation import gettext as _

from .. import score_types
from ..engine.bands import band_problems
from ..engine.types import (
    BandSpec,
    CriterionSpec,
    GateEffect,
    GateSpec,
    GateTrigger,
    NodeKind,
    QuotaSpec,
    Scorers,
)
from .document import CHOICE_LABELS, PROGRAMS, points_text

Problem = tuple[str | None, str]  # (the field whose location is reported, the message)


def program_problems(program: str) -> list[str]:
    if program and program not in PROGRAMS:
        return [
            _("Unknown %(field)s “%(value)s”; allowed: %(allowed)s.")
            % {"field": CHOICE_LABELS["program"](), "value": program, "allowed": ", ".join(PROGRAMS)}
        ]
    return []


def type_problems(score_type: str | None, kind: NodeKind) -> list[str]:
    """A score type is allowed only for some kinds of criteria (a bonus is not a percentage)."""
    return score_types.kind_problems(score_type, kind)


def children_problems(spec: CriterionSpec) -> list[str]:
    """A criterion with sub-criteria is worth exactly what they add up to."""
    if spec.children and spec.max_points is not None:
        total = sum((c.max_points for c in spec.children), Decimal(0))
        if total != spec.max_points:
            return [
                _("Criterion “%(code)s” is worth %(max)s points but its sub-criteria add up to %(sum)s.")
                % {"code": spec.code, "max": points_text(spec.max_points), "sum": points_text(total)}
            ]
    return []


def set_total_problems(max_total: Decimal | None, criteria: tuple[CriterionSpec, ...]) -> list[str]:
    """The criteria set is worth exactly what its criteria add up to."""
    total = sum((c.max_points for c in criteria), Decimal(0))
    if criteria and max_total is not None and total != max_total:
        return [
            _("The criteria set is worth %(max)s points but its criteria add up to %(sum)s.")
            % {"max": points_text(max_total), "sum": points_text(total)}
        ]
    return []


def scorer_problems(scorers: Scorers, known_agencies: set[str] | None) -> list[Problem]:
    """Scorers name agencies of the province (when known), each once."""
    problems: list[Problem] = []
    if known_agencies is not None:
        for key, codes in (("primary", [scorers.primary] if scorers.primary else []), ("co", scorers.co)):
            for code in codes:
                if code not in known_agencies:
                    problems.append((key, _("Unknown agency code “%(code)s”.") % {"code": code}))
    if len(set(scorers.all)) != len(scorers.all):
        problems.append(("co", _("An agency is named twice among the scorers.")))
    return problems


def param_problems(spec: CriterionSpec) -> list[str]:
    """What is wrong with the parameters of the criterion's score type (each type checks its own)."""
    return score_types.param_problems(spec)


# --- classes, gates, quotas ---------------------------------------------------------------------


def class_problems(bands: tuple[BandSpec, ...]) -> list[Problem]:
    """Classes have distinct codes and cover every total exactly once."""
    if not bands:
        return []
    problems: list[Problem] = []
    if len({b.code for b in bands}) != len(bands):
        problems.append(("code", _("Class codes must be distinct.")))
    for problem, detail in band_problems(bands):
        if problem == "overlap":
            a, b = detail["bands"]
            problems.append((None, _("Classes “%(a)s” and “%(b)s” overlap.") % {"a": a, "b": b}))
        elif problem == "gap":
            upper = points_text(detail["to"]) if detail["to"] is not None else "∞"
            problems.append(
                (
                    None,
                    _("No class covers totals from %(from)s to %(to)s.")
                    % {"from": points_text(detail["from"]), "to": upper},
                )
            )
        elif problem == "empty_band":
            problems.append((None, _("Class “%(band)s” is empty.") % {"band": detail["band"]}))
    return problems


def gate_problems(gate: GateSpec, band_codes: set[str], penalty_codes: set[str]) -> list[Problem]:
    """A gate names a class, a penalty or a flag that exists."""
    problems: list[Problem] = []
    if gate.effect is GateEffect.CAP_AT_BAND and gate.band not in band_codes:
        problems.append(("band", _("Unknown class “%(band)s”.") % {"band": gate.band}))
    if gate.trigger is GateTrigger.PENALTY and gate.target not in penalty_codes:
        problems.append(("target", _("Unknown penalty “%(code)s”.") % {"code": gate.target}))
    if gate.trigger is GateTrigger.FLAG and not gate.target:
        problems.append(("target", _("“%(field)s” is required.") % {"field": "target"}))
    return problems


def quota_problems(quota: QuotaSpec, band_codes: set[str]) -> list[Problem]:
    """A quota limits an existing class to a share above 0 and at most 100 %."""
    problems: list[Problem] = []
    if quota.band not in band_codes:
        problems.append(("band", _("Unknown class “%(band)s”.") % {"band": quota.band}))
    if quota.max_percent is not None and not 0 < quota.max_percent <= 100:
        problems.append(("max_percent", _("A quota is a percentage above 0 and at most 100.")))
    return problems
