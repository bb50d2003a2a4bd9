"""Read-only queries of the scoring app: criteria sets as the engine sees them (kept in memory:
a set never changes in place), and the regulation as a library document."""

from __future__ import annotations

import json
import threading
from dataclasses import dataclass

from django.core.serializers.json import DjangoJSONEncoder
from django.db.models.signals import post_delete, post_save

from portal.models import Province

from ..engine.tree import resolve_scorers
from ..engine.types import (
    CriteriaSetSpec,
    Scorers,
)
from ..libraryio import RegulationDoc, RegulationMeta
from ..libraryio.document import document_to_data
from ..libraryio.parsing import parse_document
from ..models import ClassBand, CriteriaSet, Criterion, CriterionScorer, GateRule, QuotaRule, Regulation


def criteria_set_by_code(*, province: Province, code: str) -> CriteriaSet:
    """A set named "REGULATION" (its only set) or "REGULATION:SET"; raises CriteriaSet.DoesNotExist
    (CriteriaSet.MultipleObjectsReturned when "REGULATION" has several sets)."""
    regulation_code, _, set_code = code.partition(":")
    sets = CriteriaSet.objects.select_related("regulation").filter(
        regulation__province=province, regulation__code=regulation_code
    )
    if set_code:
        return sets.get(code=set_code)
    return sets.get()


@dataclass(frozen=True)
class CriteriaSetData:
    """A stored criteria set as every page and save of a period needs it: the engine's spec, its
    criteria rows by code and by id, who scores each criterion, the classes' labels."""

    spec: CriteriaSetSpec
    criteria: dict[str, Criterion]
    by_pk: dict[int, Criterion]
    scorers: dict[str, Scorers]
    band_labels: dict[str, str]
    # What a page names the set by: "1563/QĐ-UBND", "tn-1563-2022:01", its reconstruction note.
    pk: int = 0
    library_code: str = ""
    regulation_number: str = ""
    is_reconstruction: bool = False
    regulation_note: str = ""

    @property
    def max_total(self):
        return self.spec.max_total

    @property
    def rounding(self) -> int:
        return self.spec.rounding


# A criteria set never changes in place (a province loads a new version: a new row, a new id; the
# admin shows sets read-only), so what was read of one serves every later request of the process.
# Any write to the tables a set is read from empties the memory all the same (a replaced set, tests
# that roll back and reuse ids).
_SETS: dict[int, CriteriaSetData] = {}
_SETS_LOCK = threading.Lock()
_SETS_MAX = 256


def criteria_set_data(criteria_set_id: int) -> CriteriaSetData:
    """The set with the given id, read once per process (7 queries the first time, none after)."""
    data = _SETS.get(criteria_set_id)
    if data is None:
        data = _read_criteria_set(CriteriaSet.objects.select_related("regulation").get(pk=criteria_set_id))
        with _SETS_LOCK:
            if len(_SETS) >= _SETS_MAX:
                _SETS.clear()
            _SETS[criteria_set_id] = data
    return data


def forget_criteria_sets(**_kwargs) -> None:
    with _SETS_LOCK:
        _SETS.clear()


for _model in (Regulation, CriteriaSet, Criterion, CriterionScorer, ClassBand, GateRule, QuotaRule):
    post_save.connect(forget_criteria_sets, sender=_model, dispatch_uid=f"forget-criteria-sets-save-{_model.__name__}")
    post_delete.connect(forget_criteria_sets, sender=_model, dispatch_uid=f"forget-criteria-sets-del-{_model.__name__}")


def criteria_set_spec(criteria_set: CriteriaSet) -> CriteriaSetSpec:
    """The engine's view of a stored criteria set (read once per process: criteria_set_data)."""
    return criteria_set_data(criteria_set.pk).spec


def plain_json(data: dict) -> dict:
    # Dates and decimals as the JSON column stores them, so what is compared is what is read back.
    return json.loads(json.dumps(data, cls=DjangoJSONEncoder))


def criteria_set_data_of(regulation: Regulation, spec: CriteriaSetSpec) -> dict:
    """What a criteria set stores as its source of truth: the library document of that set alone."""
    return plain_json(document_to_data(RegulationDoc(meta=regulation_meta(regulation), specs=(spec,))))


def spec_of_data(data: dict) -> CriteriaSetSpec:
    """The engine's spec of a stored set, read by the same parser as the library files."""
    return parse_document(data).specs[0]


def _read_criteria_set(criteria_set: CriteriaSet) -> CriteriaSetData:
    rows = list(Criterion.objects.filter(criteria_set=criteria_set))
    spec = spec_of_data(criteria_set.spec_data)
    return CriteriaSetData(
        spec=spec,
        criteria={row.code: row for row in rows},
        by_pk={row.pk: row for row in rows},
        scorers=resolve_scorers(spec),
        band_labels={band.code: band.label for band in spec.bands},
        pk=criteria_set.pk,
        library_code=criteria_set.library_code,
        regulation_number=criteria_set.regulation.so_ky_hieu,
        is_reconstruction=criteria_set.regulation.is_reconstruction,
        regulation_note=criteria_set.regulation.note,
    )


def regulation_meta(regulation: Regulation) -> RegulationMeta:
    return RegulationMeta(
        code=regulation.code,
        program=regulation.program,
        so_ky_hieu=regulation.so_ky_hieu,
        title=regulation.title,
        issuer=regulation.issuer,
        issued_on=regulation.issued_on,
        alt_so_ky_hieu=tuple(regulation.alt_so_ky_hieu),
        signer=regulation.signer,
        effective_from=regulation.effective_from,
        effective_to=regulation.effective_to,
        replaces=regulation.replaces_code,
        source_url=regulation.source_url,
        is_reconstruction=regulation.is_reconstruction,
        note=regulation.note,
    )


def regulation_document(criteria_set: CriteriaSet) -> RegulationDoc:
    """A stored criteria set as a library document (of that set alone), ready to write as YAML or .xlsx."""
    return RegulationDoc(meta=regulation_meta(criteria_set.regulation), specs=(criteria_set_spec(criteria_set),))


def regulation_by_code(*, province: Province, code: str) -> Regulation:
    """The province's regulation with that library code; raises Regulation.DoesNotExist."""
    return Regulation.objects.get(province=province, code=code)


def regulation_full_document(regulation: Regulation) -> RegulationDoc:
    """A stored regulation with every one of its criteria sets, as one library document."""
    sets = regulation.criteria_sets.order_by("code")
    return RegulationDoc(meta=regulation_meta(regulation), specs=tuple(criteria_set_spec(cs) for cs in sets))


def regulation_chain(*, province: Province, code: str) -> list[Regulation]:
    """The regulation and those it replaces (`replaces`), oldest first; stops at a loop."""
    chain: list[Regulation] = []
    regulation: Regulation | None = regulation_by_code(province=province, code=code)
    while regulation is not None and regulation not in chain:
        chain.append(regulation)
        regulation = regulation.replaces
    return chain[::-1]
