"""A period's phases as data, as pretalx's review phases carry their switches: their order, the day
the calendar enters each, what each permits, and which moves between them are allowed.

`ScoringPeriod.phases` stores the list; a new period starts from `default_phases()`. A province with
one more round (a second appraisal) adds an entry with the switches of the round it repeats and the
day it starts — no code. The predicates in `scoring/rules.py` ask the switches
(`phase_allows(Permit.REVIEWERS_MARK)`), never a phase's key, except `final`: finalization enters it,
and results, reports and queries filter on it.
"""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Iterator, Mapping, Sequence
from dataclasses import dataclass

from django.db import models
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy


class Phase(models.TextChoices):
    """The built-in phases: their keys and names. A period may add phases of its own."""

    PREPARATION = "preparation", gettext_lazy("Preparation")
    SELF_ASSESSMENT = "self_assessment", gettext_lazy("Self-assessment")
    APPRAISAL = "appraisal", gettext_lazy("Appraisal")
    EXPLANATION = "explanation", gettext_lazy("Explanation round")
    SETTLEMENT = "settlement", gettext_lazy("Settlement")
    FINAL = "final", gettext_lazy("Final")


# The default template's order. A period's own order is its `phase_table`.
PHASE_ORDER = [p.value for p in Phase]


class Permit(models.TextChoices):
    """What a phase may switch on; a phase permits nothing it does not list."""

    AGENCIES_EDIT = "agencies_edit", gettext_lazy("Agencies fill in and submit their self-assessment")
    REVIEWERS_MARK = "reviewers_mark", gettext_lazy("Appraisers enter their marks")
    REVIEWERS_ADJUST = (
        "reviewers_adjust",
        gettext_lazy("The reviewer enters bonus and penalty points, conditions and criteria not applicable"),
    )
    REVIEWERS_REOPEN = "reviewers_reopen", gettext_lazy("The reviewer may reopen a submitted dossier")
    RESULTS_PUBLISHED = "results_published", gettext_lazy("Agencies see the appraisal of their dossier")
    AGENCIES_EXPLAIN = "agencies_explain", gettext_lazy("Agencies send explanations")
    REVIEWERS_DECIDE = "reviewers_decide", gettext_lazy("The reviewer decides on explanations")


_TEMPLATE = (
    (Phase.PREPARATION, ()),
    (Phase.SELF_ASSESSMENT, (Permit.AGENCIES_EDIT, Permit.REVIEWERS_REOPEN)),
    (Phase.APPRAISAL, (Permit.REVIEWERS_MARK, Permit.REVIEWERS_ADJUST, Permit.REVIEWERS_REOPEN)),
    (
        Phase.EXPLANATION,
        (Permit.REVIEWERS_ADJUST, Permit.RESULTS_PUBLISHED, Permit.AGENCIES_EXPLAIN, Permit.REVIEWERS_DECIDE),
    ),
    (Phase.SETTLEMENT, (Permit.REVIEWERS_ADJUST, Permit.RESULTS_PUBLISHED, Permit.REVIEWERS_DECIDE)),
    (Phase.FINAL, (Permit.RESULTS_PUBLISHED,)),
)


def default_phases() -> list[dict]:
    """The six built-in phases as a new period stores them; their days come from the period's dates."""
    return [{"key": key.value, "permits": [p.value for p in Permit if p in permits]} for key, permits in _TEMPLATE]


@dataclass(frozen=True)
class PeriodPhase:
    """One phase of a period: its key, the name a province gave it (else the built-in one), the day
    the calendar enters it when the period's own dates do not say, and its switches."""

    key: str
    name: str = ""
    starts_on: dt.date | None = None
    permits: frozenset[str] = frozenset()

    @property
    def label(self) -> str:
        return self.name or str(_BUILTIN_NAMES.get(self.key, self.key))

    def allows(self, permit: str) -> bool:
        return permit in self.permits

    @property
    def permit_labels(self) -> list[str]:
        return [str(p.label) for p in Permit if p in self.permits]


_BUILTIN_NAMES = dict(Phase.choices)
CLOSED = PeriodPhase(key="")  # what a key the table does not know permits: nothing


def calendar_starts(period) -> dict[str, dt.date]:
    """The day the calendar enters each built-in phase, from the period's own dates (the grace days
    after the deadline still belong to self-assessment)."""
    return {
        Phase.SELF_ASSESSMENT: period.self_assessment_opens_on,
        Phase.APPRAISAL: period.self_assessment_due_on + dt.timedelta(days=period.grace_days + 1),
        Phase.EXPLANATION: period.appraisal_due_on + dt.timedelta(days=1),
        Phase.SETTLEMENT: period.explanation_due_on + dt.timedelta(days=1),
    }


class PhaseTable:
    """A period's phases in order, with the day the calendar enters each (none for final: only
    finalization enters it)."""

    def __init__(self, phases: Sequence[PeriodPhase], calendar: Mapping[str, dt.date] | None = None):
        self.phases = tuple(phases)
        calendar = calendar or {}
        self.starts = tuple(None if p.key == Phase.FINAL else (p.starts_on or calendar.get(p.key)) for p in self.phases)
        self._index = {p.key: i for i, p in enumerate(self.phases)}
        editing = [i for i, p in enumerate(self.phases) if p.allows(Permit.AGENCIES_EDIT)]
        self._self_assessment_ends = max(editing, default=-1)

    @classmethod
    def parse(cls, raw: Sequence[Mapping], calendar: Mapping[str, dt.date] | None = None) -> PhaseTable:
        """The table of stored (checked) phases."""
        return cls(
            [
                PeriodPhase(
                    key=entry["key"],
                    name=entry.get("name") or "",
                    starts_on=_date(entry.get("starts_on")),
                    permits=frozenset(entry.get("permits") or ()),
                )
                for entry in raw
            ],
            calendar,
        )

    def __iter__(self) -> Iterator[PeriodPhase]:
        return iter(self.phases)

    def __len__(self) -> int:
        return len(self.phases)

    def index(self, key: str) -> int | None:
        return self._index.get(key)

    def get(self, key: str) -> PeriodPhase:
        i = self.index(key)
        return CLOSED if i is None else self.phases[i]

    def label(self, key: str) -> str:
        """The phase's name, also for a key the table no longer has (an old phase change)."""
        i = self.index(key)
        return self.phases[i].label if i is not None else str(_BUILTIN_NAMES.get(key, key))

    def next(self, key: str) -> PeriodPhase | None:
        i = self.index(key)
        return self.phases[i + 1] if i is not None and i + 1 < len(self.phases) else None

    def previous(self, key: str) -> PeriodPhase | None:
        i = self.index(key)
        return self.phases[i - 1] if i else None

    def starts_on(self, key: str) -> dt.date | None:
        i = self.index(key)
        return None if i is None else self.starts[i]

    def ends_on(self, key: str) -> dt.date | None:
        """The day before the next phase the calendar enters; none for the last phase before final."""
        i = self.index(key)
        later = [start for start in self.starts[i + 1 :] if start] if i is not None else []
        return later[0] - dt.timedelta(days=1) if later else None

    def self_assessment_over(self, key: str) -> bool:
        """Past every phase in which agencies fill in their dossiers: drafts count and are read."""
        i = self.index(key)
        return i is not None and i > self._self_assessment_ends

    def expected(self, day: dt.date) -> str:
        """The phase the calendar says on `day`: the last one entered by then (final never)."""
        current = self.phases[0].key
        for phase, start in zip(self.phases, self.starts, strict=True):
            if start is not None and start <= day:
                current = phase.key
        return current

    def moves(self, key: str) -> list[PeriodPhase]:
        """Where a person may move the period from `key`: one step forward (final only by finalizing)
        or one step back; never out of final."""
        if key == Phase.FINAL:
            return []
        steps = [self.next(key), self.previous(key)]
        return [p for p in steps if p is not None and p.key != Phase.FINAL]

    def move_problem(self, current: str, target: str, *, by_person: bool) -> str | None:
        """Why moving from `current` to `target` is refused, or None. The calendar (no person) moves
        forward to any later phase before final; a person one step forward or back."""
        if current == Phase.FINAL:
            return _("The period is final; change a result with a reason instead.")
        if target == Phase.FINAL:
            return _("A period becomes final only by finalizing it.")
        if self.index(target) is None:
            return _("The period has no phase “%(phase)s”.") % {"phase": target}
        if target == current:
            return None
        if not by_person:
            forward = (self.index(current) or 0) < (self.index(target) or 0)
            return None if forward else _("The calendar only moves a period forward.")
        if any(p.key == target for p in self.moves(current)):
            return None
        return self._one_step_only(current)

    def _one_step_only(self, current: str) -> str:
        forward, back = self.next(current), self.previous(current)
        names = {"current": self.get(current).label}
        if forward is not None and forward.key != Phase.FINAL and back is not None:
            names.update(next=forward.label, previous=back.label)
            return (
                _(
                    "A phase is not skipped: from “%(current)s” the period moves only on to “%(next)s” or back to “%(previous)s”."
                )
                % names
            )
        if back is not None:
            return _(
                "From “%(current)s” the period moves only back to “%(previous)s”, or becomes final by finalizing it."
            ) % {**names, "previous": back.label}
        return _("A phase is not skipped: from “%(current)s” the period moves only on to “%(next)s”.") % {
            **names,
            "next": forward.label if forward else "",
        }


# --- checking a list of phases as a province writes it -----------------------------------------------

_KEY = re.compile(r"[a-z][a-z0-9_]{0,19}")
_FIELDS = frozenset({"key", "name", "starts_on", "permits"})
_PERMITS = frozenset(Permit.values)


def _date(value) -> dt.date | None:
    if value in (None, ""):
        return None
    if isinstance(value, dt.date):
        return value
    return dt.date.fromisoformat(value)


def phases_stored(phases: Sequence[Mapping]) -> list[dict]:
    """The phases as the period stores them: dates written as ISO dates, empty fields left out."""
    stored = []
    for entry in phases:
        row = {"key": entry["key"], "permits": [p for p in Permit.values if p in (entry.get("permits") or ())]}
        if entry.get("name"):
            row["name"] = entry["name"]
        if entry.get("starts_on"):
            row["starts_on"] = _date(entry["starts_on"]).isoformat()
        stored.append(row)
    return stored


def phases_problems(raw, calendar: Mapping[str, dt.date] | None = None) -> list[str]:
    """What is wrong with a list of phases: each entry, then the list (unique keys, final last and
    only there, the days in order)."""
    if not isinstance(raw, list) or not raw:
        return [_("The phases are a list, each with at least a key.")]
    problems = [problem for entry in raw for problem in _entry_problems(entry)]
    if problems:
        return problems
    keys = [entry["key"] for entry in raw]
    duplicates = sorted({key for key in keys if keys.count(key) > 1})
    if duplicates:
        problems.append(_("Each phase has its own key; repeated: %(keys)s.") % {"keys": ", ".join(duplicates)})
    if keys[-1] != Phase.FINAL or keys.count(Phase.FINAL) != 1 or len(keys) < 2:
        problems.append(_("The last phase, and only the last, is “final”, after at least one other."))
    table = PhaseTable.parse(raw, calendar)
    days = [(phase.label, start) for phase, start in zip(table, table.starts, strict=True) if start]
    for (before, first), (after, then) in zip(days, days[1:], strict=False):
        if then < first:
            problems.append(_("“%(after)s” starts before “%(before)s”.") % {"after": after, "before": before})
    return problems


def _entry_problems(entry) -> list[str]:
    if not isinstance(entry, dict) or not isinstance(entry.get("key"), str):
        return [_("Every phase has a key.")]
    key = entry["key"]
    problems = [
        _("Phase “%(key)s” has an unknown field “%(field)s”.") % {"key": key, "field": field}
        for field in sorted(set(entry) - _FIELDS)
    ]
    if not _KEY.fullmatch(key):
        problems.append(_("“%(key)s” is not a phase key: small letters, digits and _, at most 20.") % {"key": key})
    name = entry.get("name") or ""
    if not isinstance(name, str) or len(name) > 100 or (not name and key not in _BUILTIN_NAMES):
        problems.append(_("Give phase “%(key)s” a name of at most 100 characters.") % {"key": key})
    permits = entry.get("permits") or []
    if not isinstance(permits, list):
        permits = [permits]
    unknown = sorted({str(p) for p in permits if not isinstance(p, str) or p not in _PERMITS})
    if unknown:
        problems.append(
            _("Phase “%(key)s” has unknown switches: %(permits)s.") % {"key": key, "permits": ", ".join(unknown)}
        )
    try:
        _date(entry.get("starts_on"))
    except (TypeError, ValueError):
        problems.append(_("The start of phase “%(key)s” is not a date (YYYY-MM-DD).") % {"key": key})
    return problems
