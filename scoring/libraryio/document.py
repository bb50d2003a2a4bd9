"""The regulation library format: a whole regulation + criteria set as one document.

Both file formats (YAML, .xlsx) are read into the same nested dicts, where every mapping carries
`__at__` (its own location) and `__where__` (field → location); `parsing.parse_document` validates
the dicts (with the checks of `checks`) and returns a RegulationDoc, or raises LibraryErrors listing
*every* problem with its line or cell. This module holds the format itself: the documents, their
fields, the errors, and `document_to_data`, the inverse used by both writers. Format reference:
library/README.md.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from decimal import Decimal
from typing import Any

from django.utils.translation import gettext as _

from ..engine.types import (
    CombineRule,
    CriteriaSetSpec,
    CriterionSpec,
    NAPolicy,
    Scorers,
    ScoreType,
)

FORMAT = "dvcq-regulation/1"
PROGRAMS = ("dvcq", "dvk", "cqtt", "qcdc", "par")


@dataclass(frozen=True)
class Location:
    line: int | None = None
    sheet: str | None = None
    cell: str | None = None

    def __str__(self) -> str:
        if self.cell:
            return _("cell %(cell)s of sheet “%(sheet)s”") % {"cell": self.cell, "sheet": self.sheet}
        if self.line:
            return _("line %(line)s") % {"line": self.line}
        return _("the document")


@dataclass(frozen=True)
class LibraryError:
    where: Location
    message: str

    def __str__(self) -> str:
        return f"{self.where}: {self.message}"


class LibraryErrors(Exception):
    def __init__(self, errors: list[LibraryError]):
        super().__init__("\n".join(str(e) for e in errors))
        self.errors = errors


@dataclass(frozen=True)
class RegulationMeta:
    code: str
    program: str
    so_ky_hieu: str
    title: str
    issuer: str
    issued_on: dt.date | None
    alt_so_ky_hieu: tuple[str, ...] = ()
    signer: str = ""
    effective_from: dt.date | None = None
    effective_to: dt.date | None = None
    replaces: str = ""
    source_url: str = ""
    is_reconstruction: bool = False
    note: str = ""


@dataclass(frozen=True, init=False)
class RegulationDoc:
    """A regulation and its criteria sets (one in most files; Quảng Bình 3140 has two).

    `RegulationDoc(meta=…, spec=…)` still makes a one-set document."""

    meta: RegulationMeta
    specs: tuple[CriteriaSetSpec, ...]

    def __init__(
        self,
        meta: RegulationMeta,
        specs: tuple[CriteriaSetSpec, ...] = (),
        *,
        spec: CriteriaSetSpec | None = None,
    ):
        object.__setattr__(self, "meta", meta)
        object.__setattr__(self, "specs", (spec,) if spec is not None else tuple(specs))

    @property
    def spec(self) -> CriteriaSetSpec:
        """The first (usually the only) criteria set."""
        return self.specs[0]


CHOICE_LABELS = {
    "type": lambda: _("score type"),
    "na_policy": lambda: _("not-applicable policy"),
    "combine": lambda: _("combine rule"),
    "round_at": lambda: _("where rounding happens"),
    "ceiling_at": lambda: _("when the ceiling applies"),
    "tie_break_penalties": lambda: _("what “fewer penalties” counts"),
    "unclassified_rank": lambda: _("where unclassified agencies rank"),
    "trigger": lambda: _("gate trigger"),
    "effect": lambda: _("gate effect"),
    "program": lambda: _("programme"),
}
CRITERION_FIELDS = {
    "code", "title", "max", "points", "type", "params", "guidance", "evidence", "self_scorable",
    "na_policy", "applies_to_groups", "scorers", "children",
}  # fmt: skip
SET_FIELDS = {
    "code", "name", "applies_to_groups", "max_total", "rescale_to", "ceiling", "bonus_cap", "penalty_cap",
    "rounding", "fallback_to_self",
    # the arithmetic every file states (README: "Arithmetic")
    "round_at", "ceiling_at", "combine", "tie_break_penalties", "unclassified_rank", "show_unclassified_total",
}  # fmt: skip
# What a set carries besides its fields: at the top of a one-set file, inside each entry of
# `criteria_sets` otherwise.
SET_CONTENT = {"criteria", "bonus", "penalties", "classification", "gates", "quota"}
FIELDS = {
    "document": {"format", "regulation", "criteria_set", "criteria_sets"} | SET_CONTENT,
    "regulation": {"code", "program", "so_ky_hieu", "alt_so_ky_hieu", "title", "issuer", "signer", "issued_on",
                   "effective_from", "effective_to", "replaces", "source_url", "is_reconstruction", "note"},
    "criteria_set": SET_FIELDS,
    "criteria_sets_entry": SET_FIELDS | SET_CONTENT,
    "criterion": CRITERION_FIELDS,
    "scorers": {"primary", "co", "combine"},
    "band": {"code", "label", "min", "max"},
    "gate": {"code", "title", "trigger", "target", "effect", "band"},
    "quota": {"band", "max_percent"},
}  # fmt: skip


def plain_data(value: Any) -> Any:
    """Strips location keys and turns Decimals into canonical numbers, for JSON storage."""
    if isinstance(value, dict):
        return {k: plain_data(v) for k, v in value.items() if not str(k).startswith("__")}
    if isinstance(value, list):
        return [plain_data(v) for v in value]
    if isinstance(value, Decimal):
        return number_data(value)
    return value


def number_data(value: Decimal) -> int | str:
    """Integral values as int; others as their exact decimal text (never float)."""
    if value == value.to_integral_value():
        return int(value)
    return format(value.normalize(), "f")


def points_text(value: Decimal | None) -> str:
    if value is None:
        return ""
    return str(number_data(value)).replace(".", ",")


# --- the inverse -----------------------------------------------------------------------------


def criterion_to_data(node: CriterionSpec) -> dict:
    data: dict[str, Any] = {"code": node.code, "title": node.title, "max": number_data(node.max_points)}
    if node.score_type != ScoreType.SUM_CHILDREN:
        data["type"] = str(node.score_type)
    if node.params:
        data["params"] = node.params
    if node.guidance:
        data["guidance"] = node.guidance
    if node.evidence_hint:
        data["evidence"] = node.evidence_hint
    if not node.self_scorable:
        data["self_scorable"] = False
    if node.na_policy is not NAPolicy.ZERO:
        data["na_policy"] = node.na_policy.value
    if node.applies_to_groups:
        data["applies_to_groups"] = list(node.applies_to_groups)
    if node.scorers:
        data["scorers"] = scorers_to_data(node.scorers)
    if node.children:
        data["children"] = [criterion_to_data(c) for c in node.children]
    return data


def scorers_to_data(scorers: Scorers) -> dict:
    data: dict[str, Any] = {}
    if scorers.primary:
        data["primary"] = scorers.primary
    if scorers.co:
        data["co"] = list(scorers.co)
    if scorers.combine is not CombineRule.PRIMARY_WINS:
        data["combine"] = scorers.combine.value
    return data


def set_fields_to_data(s: CriteriaSetSpec) -> dict:
    """A set's own fields, the arithmetic always written out (a file never leaves it to a default)."""
    data = {
        "code": s.code,
        "name": s.name,
        "applies_to_groups": list(s.applies_to_groups),
        "max_total": number_data(s.max_total),
        "rescale_to": number_data(s.rescale_to) if s.rescale_to is not None else None,
        "ceiling": number_data(s.highest_total),
        "ceiling_at": s.ceiling_at.value,
        "bonus_cap": number_data(s.bonus_cap),
        "penalty_cap": number_data(s.penalty_cap),
        "rounding": s.rounding,
        "round_at": s.round_at.value,
        "combine": s.combine.value,
        "tie_break_penalties": s.tie_break_penalties.value,
        "unclassified_rank": s.unclassified_rank.value,
        "show_unclassified_total": s.show_unclassified_total,
        "fallback_to_self": s.fallback_to_self,
    }
    return {k: v for k, v in data.items() if v is not None and v != []}


def set_content_to_data(s: CriteriaSetSpec) -> dict:
    """A set's criteria, bonus, penalties, classes, gates and quotas."""
    return {
        "criteria": [criterion_to_data(c) for c in s.criteria],
        "bonus": [criterion_to_data(c) for c in s.bonus],
        "penalties": [criterion_to_data(c) for c in s.penalties],
        "classification": [
            {
                k: v
                for k, v in {
                    "code": b.code,
                    "label": b.label,
                    "min": number_data(b.min_points),
                    "max": number_data(b.max_points) if b.max_points is not None else None,
                }.items()
                if v is not None
            }
            for b in s.bands
        ],  # fmt: skip
        "gates": [
            {
                k: v
                for k, v in {
                    "code": g.code,
                    "title": g.title,
                    "trigger": g.trigger.value,
                    "target": g.target,
                    "effect": g.effect.value,
                    "band": g.band,
                }.items()
                if v
            }
            for g in s.gates
        ],  # fmt: skip
        "quota": [{"band": q.band, "max_percent": number_data(q.max_percent)} for q in s.quotas],
    }


def document_to_data(doc: RegulationDoc) -> dict:
    """The canonical dict of a document (what the YAML writer dumps): a one-set document in the
    flat layout (`criteria_set` + its content at the top), several sets as `criteria_sets`."""
    m = doc.meta
    regulation = {
        "code": m.code,
        "program": m.program,
        "so_ky_hieu": m.so_ky_hieu,
        "alt_so_ky_hieu": list(m.alt_so_ky_hieu),
        "title": m.title,
        "issuer": m.issuer,
        "signer": m.signer,
        "issued_on": m.issued_on,
        "effective_from": m.effective_from,
        "effective_to": m.effective_to,
        "replaces": m.replaces,
        "source_url": m.source_url,
        "is_reconstruction": m.is_reconstruction,
        "note": m.note,
    }
    head = {"format": FORMAT, "regulation": {k: v for k, v in regulation.items() if v not in (None, "", [])}}
    if len(doc.specs) == 1:
        return {**head, "criteria_set": set_fields_to_data(doc.spec), **set_content_to_data(doc.spec)}
    return {**head, "criteria_sets": [{**set_fields_to_data(s), **set_content_to_data(s)} for s in doc.specs]}
