"""An index published elsewhere (PAR index, SIPAS satisfaction …, usually last year's), filled in
by the portal from its imported values: linear like percent_linear, or banded when `bands` are given."""

from __future__ import annotations

from collections.abc import Iterator
from decimal import Decimal
from typing import Any

from ..numbers import HUNDRED, to_percent
from ..types import CriterionSpec, ScoreType
from . import register
from ._percent import Percentage, band_problems, banded
from .base import Shown, _, gettext_noop


@register
class ImportedIndex(Percentage):
    code = ScoreType.IMPORTED_INDEX
    label = gettext_noop("Imported index")

    def points(self, spec: CriterionSpec, raw: Any) -> Decimal:
        value = to_percent(raw)
        return banded(spec, value) if spec.params.get("bands") else spec.max_points * value / HUNDRED

    def param_problems(self, spec: CriterionSpec) -> Iterator[Shown]:
        """Bands are optional (without them the index is the points); the source is not, unless the
        bands are unreadable (then that is the one problem reported)."""
        bands = spec.params.get("bands")
        if bands:
            yield from band_problems(spec)
            if not isinstance(bands, list):
                return
        if not spec.params.get("source"):
            yield _("An imported index needs its “source” (e.g. PAR, SIPAS).")

    def imported_index(self, spec: CriterionSpec) -> tuple[str, int] | None:
        source = spec.params.get("source")
        return (str(source), int(spec.params.get("year_offset", 0))) if source else None
