"""Gates: conditions that cap a class or leave an agency unclassified, whatever its points."""

from __future__ import annotations

from .bands import band_order
from .types import CriteriaSetSpec, DossierInput, GateEffect, GateSpec, GateTrigger, Step, StepKind


def gate_triggered(gate: GateSpec, dossier: DossierInput, applied_penalties: set[str]) -> bool:
    if gate.trigger is GateTrigger.NO_DOSSIER:
        return not dossier.has_dossier
    if gate.trigger is GateTrigger.PENALTY:
        return gate.target in applied_penalties
    if gate.trigger is GateTrigger.FLAG:
        return gate.target in dossier.flags
    raise ValueError(gate.trigger)


def apply_gates(
    spec: CriteriaSetSpec, band: str | None, dossier: DossierInput, applied_penalties: set[str]
) -> tuple[str | None, bool, tuple[str, ...], list[Step]]:
    """(band, classified, gates that fired, explanation) after every gate of the set."""
    order = band_order(spec.bands)
    classified = band is not None
    fired: list[str] = []
    steps: list[Step] = []
    for gate in spec.gates:
        if not gate_triggered(gate, dossier, applied_penalties):
            continue
        fired.append(gate.code)
        if gate.effect is GateEffect.NOT_CLASSIFIED:
            steps.append(Step(StepKind.GATE_NOT_CLASSIFIED, gate.code, detail={"band": band}))
            band, classified = None, False
        elif gate.effect is GateEffect.CAP_AT_BAND and band is not None and order[band] < order[gate.band]:
            steps.append(Step(StepKind.GATE_CAP, gate.code, detail={"from": band, "to": gate.band}))
            band = gate.band
        else:
            steps.append(Step(StepKind.GATE_NO_CHANGE, gate.code, detail={"band": band}))
    return band, classified, tuple(fired), steps
