"""A period's phases as its page shows them: each with its days and what it permits, the history of
moves."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from ..models import PhaseChange, ScoringPeriod
from ..phases import Phase


@dataclass(frozen=True)
class PhaseRow:
    position: int
    key: str
    label: str
    starts_on: dt.date | None
    ends_on: dt.date | None
    permits: list[str]
    is_current: bool
    is_expected: bool
    is_final: bool


def phase_rows(period: ScoringPeriod, day: dt.date) -> list[PhaseRow]:
    """Every phase of the period in order, with the days the calendar gives it on `day`'s reckoning."""
    table = period.phase_table
    expected = table.expected(day) if period.auto_switch else None
    return [
        PhaseRow(
            position=i + 1,
            key=phase.key,
            label=phase.label,
            starts_on=table.starts_on(phase.key),
            ends_on=table.ends_on(phase.key),
            permits=phase.permit_labels,
            is_current=phase.key == period.phase,
            is_expected=phase.key == expected,
            is_final=phase.key == Phase.FINAL,
        )
        for i, phase in enumerate(table)
    ]


@dataclass(frozen=True)
class PhaseChangeRow:
    change: PhaseChange
    from_label: str
    to_label: str


def phase_history(period: ScoringPeriod) -> list[PhaseChangeRow]:
    """The period's moves, oldest first, named with the period's own phase names."""
    table = period.phase_table
    return [
        PhaseChangeRow(change=c, from_label=table.label(c.from_phase), to_label=table.label(c.to_phase))
        for c in period.phase_changes.select_related("by")
    ]
