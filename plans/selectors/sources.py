"""What the portal's own records say for a scoring criterion (nguồn tự động của tiêu chí).

A criterion of a regulation file names its source in its params (`auto_source`), and how each
status the source reports maps to a mark (`auto_map`): a deliverable type's code (the unit's
plan, its reports: on_time / late / missing) or a source registered here by name, such as the
unit's "Dân vận khéo" models. Which criteria ask is data of the regulation, never code.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable, Iterable
from dataclasses import dataclass

from portal.models import Agency

from .plans import deliverable_status_for_agency


@dataclass(frozen=True)
class CriterionSource:
    """status(agency, year) → the status the criterion's auto_map reads (None: nothing known);
    records(agency, year) → the records to show beside the criterion as evidence."""

    status: Callable[[Agency, int], str | None]
    records: Callable[[Agency, int], list]


CRITERION_SOURCES: dict[str, CriterionSource] = {}


def register_criterion_source(code: str, source: CriterionSource) -> None:
    CRITERION_SOURCES[code] = source


def criterion_source_status(*, agency: Agency, year: int, source: str, today: dt.date) -> str | None:
    """The status `source` reports for the agency's year: a registered source's, else the
    timeliness of the deliverable whose type code is `source`."""
    if source in CRITERION_SOURCES:
        return CRITERION_SOURCES[source].status(agency, year)
    return deliverable_status_for_agency(agency=agency, year=year, type_code=source, today=today)


def criterion_source_records(*, agency: Agency, year: int, sources: Iterable[str]) -> dict[str, list]:
    """The records of each registered source among `sources` (one read per source named)."""
    return {
        source: CRITERION_SOURCES[source].records(agency, year)
        for source in set(sources)
        if source in CRITERION_SOURCES
    }
