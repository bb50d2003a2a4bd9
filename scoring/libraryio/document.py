"""The regulation library format: a whole regulation + criteria set as one document.

Both file formats (YAML, .xlsx) are read into the same nested dicts, where every mapping carries
`__at__` (its own location) and `__where__` (field → location); `parse_document` validates the
dicts and returns a RegulationDoc, or raises LibraryErrors listing *every* problem with its line or
cell. `document_to_data` is the inverse, used by both writers. Format reference: library/README.md.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field
from decimal import Decimal
from typing import Any

from django.utils.translation import gettext as _

from ..engine.bands import band_problems
from ..engine.leaf import ScoreInputError, to_decimal
from ..engine.types import (
    ALLOWED_TYPES,
    BandSpec,
    CombineRule,
    CriteriaSetSpec,
    CriterionSpec,
    GateEffect,
    GateSpec,
    GateTrigger,
    NAPolicy,
    NodeKind,
    QuotaSpec,
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


@dataclass(frozen=True)
class RegulationDoc:
    meta: RegulationMeta
    spec: CriteriaSetSpec


CHOICE_LABELS = {
    "type": lambda: _("score type"),
    "na_policy": lambda: _("not-applicable policy"),
    "combine": lambda: _("combine rule"),
    "trigger": lambda: _("gate trigger"),
    "effect": lambda: _("gate effect"),
    "program": lambda: _("programme"),
}
CRITERION_FIELDS = {
    "code", "title", "max", "points", "type", "params", "guidance", "evidence", "self_scorable",
    "na_policy", "applies_to_groups", "scorers", "children",
}  # fmt: skip
FIELDS = {
    "document": {"format", "regulation", "criteria_set", "criteria", "bonus", "penalties", "classification", "gates",
                 "quota"},
    "regulation": {"code", "program", "so_ky_hieu", "alt_so_ky_hieu", "title", "issuer", "signer", "issued_on",
                   "effective_from", "effective_to", "replaces", "source_url", "is_reconstruction", "note"},
    "criteria_set": {"code", "name", "applies_to_groups", "max_total", "rescale_to", "ceiling", "bonus_cap",
                     "penalty_cap", "rounding", "fallback_to_self"},
    "criterion": CRITERION_FIELDS,
    "scorers": {"primary", "co", "combine"},
    "band": {"code", "label", "min", "max"},
    "gate": {"code", "title", "trigger", "target", "effect", "band"},
    "quota": {"band", "max_percent"},
}  # fmt: skip


@dataclass
class _Parser:
    known_agencies: set[str] | None = None
    errors: list[LibraryError] = field(default_factory=list)
    codes: dict[str, Location] = field(default_factory=dict)

    # -- helpers -------------------------------------------------------------------------
    def known(self, node: dict, kind: str) -> None:
        """Refuses unknown fields: a typo (or a comma inside an unquoted YAML title) must not vanish."""
        for key in node:
            if not str(key).startswith("__") and key not in FIELDS[kind]:
                self.fail(node, key, _("Unknown field “%(field)s”.") % {"field": key})

    def at(self, node: Any, key: str | None = None) -> Location:
        if isinstance(node, dict):
            if key is not None and key in node.get("__where__", {}):
                return node["__where__"][key]
            return node.get("__at__", Location())
        return Location()

    def fail(self, node: Any, key: str | None, message: str) -> None:
        self.errors.append(LibraryError(self.at(node, key), message))

    def text(self, node: dict, key: str, *, required: bool = True, default: str = "") -> str:
        value = node.get(key)
        if value in (None, ""):
            if required:
                self.fail(node, key, _("“%(field)s” is required.") % {"field": key})
            return default
        return str(value).strip()

    def number(self, node: dict, key: str, *, required: bool = True, default: Decimal | None = None):
        value = node.get(key)
        if value in (None, ""):
            if required:
                self.fail(node, key, _("“%(field)s” is required.") % {"field": key})
            return default
        try:
            number = to_decimal(value)
        except ScoreInputError:
            self.fail(node, key, _("“%(field)s” must be a number, not “%(value)s”.") % {"field": key, "value": value})
            return default
        if number < 0:
            self.fail(node, key, _("“%(field)s” must not be negative.") % {"field": key})
        return number

    def choice(self, node: dict, key: str, enum, default=None):
        label = CHOICE_LABELS.get(key, lambda: key)()
        value = node.get(key)
        if value in (None, ""):
            if default is None:
                self.fail(node, key, _("“%(field)s” is required.") % {"field": key})
            return default
        try:
            return enum(str(value).strip().lower())
        except ValueError:
            allowed = ", ".join(e.value for e in enum)
            self.fail(
                node,
                key,
                _("Unknown %(field)s “%(value)s”; allowed: %(allowed)s.")
                % {"field": label, "value": value, "allowed": allowed},
            )
            return default

    def date(self, node: dict, key: str) -> dt.date | None:
        value = node.get(key)
        if value in (None, ""):
            return None
        if isinstance(value, dt.datetime):
            return value.date()
        if isinstance(value, dt.date):
            return value
        for fmt in ("%Y-%m-%d", "%d/%m/%Y"):
            try:
                return dt.datetime.strptime(str(value).strip(), fmt).date()
            except ValueError:
                continue
        self.fail(node, key, _("“%(field)s” must be a date such as 26/03/2019.") % {"field": key})
        return None

    def strings(self, node: dict, key: str) -> tuple[str, ...]:
        value = node.get(key)
        if value in (None, ""):
            return ()
        if isinstance(value, str):
            value = [part for part in value.replace(";", ",").split(",")]
        if not isinstance(value, list):
            self.fail(node, key, _("“%(field)s” must be a list.") % {"field": key})
            return ()
        return tuple(str(v).strip() for v in value if str(v).strip())

    def boolean(self, node: dict, key: str, default: bool) -> bool:
        value = node.get(key)
        if value in (None, ""):
            return default
        if isinstance(value, bool):
            return value
        text = str(value).strip().lower()
        if text in {"true", "yes", "1", "có", "x"}:
            return True
        if text in {"false", "no", "0", "không"}:
            return False
        self.fail(node, key, _("“%(field)s” must be yes or no.") % {"field": key})
        return default

    def mapping(self, parent: dict, key: str, *, required: bool = True) -> dict:
        value = parent.get(key)
        if isinstance(value, dict):
            return value
        if value is not None or required:
            self.fail(parent, key, _("“%(field)s” must be a section with fields.") % {"field": key})
        return {}

    def sequence(self, parent: dict, key: str, *, required: bool = False) -> list:
        value = parent.get(key)
        if value is None:
            if required:
                self.fail(parent, key, _("“%(field)s” is required.") % {"field": key})
            return []
        if not isinstance(value, list) or not all(isinstance(v, dict) for v in value):
            self.fail(parent, key, _("“%(field)s” must be a list of entries.") % {"field": key})
            return []
        return value

    # -- sections ------------------------------------------------------------------------
    def meta(self, node: dict) -> RegulationMeta:
        self.known(node, "regulation")
        program = self.text(node, "program")
        if program and program not in PROGRAMS:
            self.fail(
                node,
                "program",
                _("Unknown %(field)s “%(value)s”; allowed: %(allowed)s.")
                % {"field": CHOICE_LABELS["program"](), "value": program, "allowed": ", ".join(PROGRAMS)},
            )
        return RegulationMeta(
            code=self.text(node, "code"),
            program=program,
            so_ky_hieu=self.text(node, "so_ky_hieu"),
            title=self.text(node, "title"),
            issuer=self.text(node, "issuer"),
            issued_on=self.date(node, "issued_on"),
            alt_so_ky_hieu=self.strings(node, "alt_so_ky_hieu"),
            signer=self.text(node, "signer", required=False),
            effective_from=self.date(node, "effective_from"),
            effective_to=self.date(node, "effective_to"),
            replaces=self.text(node, "replaces", required=False),
            source_url=self.text(node, "source_url", required=False),
            is_reconstruction=self.boolean(node, "is_reconstruction", False),
            note=self.text(node, "note", required=False),
        )

    def scorers(self, node: dict) -> Scorers | None:
        if node.get("scorers") in (None, ""):
            return None
        data = self.mapping(node, "scorers")
        self.known(data, "scorers")
        scorers = Scorers(
            primary=self.text(data, "primary", required=False) or None,
            co=self.strings(data, "co"),
            combine=self.choice(data, "combine", CombineRule, CombineRule.PRIMARY_WINS),
        )
        if self.known_agencies is not None:
            for key, codes in (("primary", [scorers.primary] if scorers.primary else []), ("co", scorers.co)):
                for code in codes:
                    if code not in self.known_agencies:
                        self.fail(data, key, _("Unknown agency code “%(code)s”.") % {"code": code})
        if len(set(scorers.all)) != len(scorers.all):
            self.fail(data, "co", _("An agency is named twice among the scorers."))
        return scorers

    def criterion(self, node: dict, kind: NodeKind, parent_code: str | None = None) -> CriterionSpec:
        self.known(node, "criterion")
        code = self.text(node, "code")
        if code in self.codes:
            self.fail(
                node,
                "code",
                _("Duplicate code “%(code)s” (first used at %(first)s).") % {"code": code, "first": self.codes[code]},
            )
        elif code:
            self.codes[code] = self.at(node, "code")
        if parent_code and code and not code.startswith(parent_code + "."):
            self.fail(
                node,
                "code",
                _("Code “%(code)s” must start with its parent's code “%(parent)s.”.")
                % {"code": code, "parent": parent_code},
            )
        children_data = self.sequence(node, "children")
        children = tuple(self.criterion(child, NodeKind.ITEM, code) for child in children_data)
        node_kind = NodeKind.GROUP if children else kind
        if node_kind is NodeKind.PENALTY and node.get("max") in (None, "") and node.get("points") not in (None, ""):
            node = {**node, "max": node["points"]}
        max_points = self.number(node, "max", default=Decimal(0))
        default_type = ScoreType.SUM_CHILDREN if children else None
        score_type = self.choice(node, "type", ScoreType, default_type)
        if score_type and score_type not in ALLOWED_TYPES[node_kind]:
            allowed = ", ".join(sorted(t.value for t in ALLOWED_TYPES[node_kind]))
            self.fail(
                node,
                "type",
                _("Score type “%(type)s” cannot be used for %(kind)s criteria; allowed: %(allowed)s.")
                % {"type": score_type.value, "kind": node_kind.value, "allowed": allowed},
            )
        params = node.get("params") or {}
        if not isinstance(params, dict):
            self.fail(node, "params", _("“%(field)s” must be a section with fields.") % {"field": "params"})
            params = {}
        params = {k: v for k, v in params.items() if not k.startswith("__")}
        spec = CriterionSpec(
            code=code,
            title=self.text(node, "title"),
            kind=node_kind,
            max_points=max_points,
            score_type=score_type or ScoreType.SUM_CHILDREN,
            params=_plain(params),
            children=children,
            guidance=self.text(node, "guidance", required=False),
            evidence_hint=self.text(node, "evidence", required=False),
            self_scorable=self.boolean(node, "self_scorable", True),
            na_policy=self.choice(node, "na_policy", NAPolicy, NAPolicy.ZERO),
            applies_to_groups=self.strings(node, "applies_to_groups"),
            scorers=self.scorers(node),
        )
        if children and max_points is not None:
            total = sum((c.max_points for c in children), Decimal(0))
            if total != max_points:
                self.fail(
                    node,
                    "max",
                    _("Criterion “%(code)s” is worth %(max)s points but its sub-criteria add up to %(sum)s.")
                    % {"code": code, "max": _fmt(max_points), "sum": _fmt(total)},
                )
        self.check_params(node, spec)
        return spec

    def check_params(self, node: dict, spec: CriterionSpec) -> None:
        t, top = spec.score_type, spec.max_points
        p = spec.params
        if t is ScoreType.LEVELS:
            levels = p.get("levels")
            if not isinstance(levels, list) or not levels:
                self.fail(node, "params", _("Levels need a list “levels” of code, label and points."))
                return
            seen = set()
            for level in levels:
                try:
                    points = to_decimal(level.get("points"))
                except (ScoreInputError, AttributeError):
                    self.fail(node, "params", _("Every level needs a code and points."))
                    continue
                if str(level.get("code", "")) in seen or not level.get("code"):
                    self.fail(node, "params", _("Level codes must be present and distinct."))
                seen.add(str(level.get("code", "")))
                if points < 0 or points > top:
                    self.fail(
                        node,
                        "params",
                        _("Level “%(level)s” gives %(points)s points, outside 0–%(max)s.")
                        % {"level": level.get("code"), "points": _fmt(points), "max": _fmt(top)},
                    )
        elif t in (ScoreType.PERCENT_BANDED, ScoreType.IMPORTED_INDEX) and (
            t is ScoreType.PERCENT_BANDED or p.get("bands")
        ):
            bands = p.get("bands")
            if not isinstance(bands, list) or not bands:
                self.fail(node, "params", _("Percentage bands need a list “bands” of min and points."))
                return
            mins = []
            for band in bands:
                try:
                    minimum, points = to_decimal(band.get("min")), to_decimal(band.get("points"))
                except (ScoreInputError, AttributeError):
                    self.fail(node, "params", _("Every percentage band needs min and points."))
                    continue
                mins.append(minimum)
                if not 0 <= minimum <= 100 or points < 0 or points > top:
                    self.fail(
                        node,
                        "params",
                        _("Band “≥ %(min)s %%” → %(points)s points is outside 0–100 %% or 0–%(max)s points.")
                        % {"min": _fmt(minimum), "points": _fmt(points), "max": _fmt(top)},
                    )
            if len(set(mins)) != len(mins):
                self.fail(node, "params", _("Two percentage bands start at the same value."))
        elif t is ScoreType.RANGE and p.get("step") not in (None, ""):
            try:
                step = to_decimal(p["step"])
            except ScoreInputError:
                step = Decimal(0)
            if step <= 0:
                self.fail(node, "params", _("The step must be a positive number."))
        elif t in (ScoreType.COUNT_DEDUCT, ScoreType.COUNT):
            try:
                per = to_decimal(p.get("per_case", 1))
            except ScoreInputError:
                per = Decimal(0)
            if per <= 0:
                self.fail(node, "params", _("“per_case” must be a positive number."))
        if t is ScoreType.IMPORTED_INDEX and not p.get("source"):
            self.fail(node, "params", _("An imported index needs its “source” (e.g. PAR, SIPAS)."))

    def bands(self, items: list[dict]) -> tuple[BandSpec, ...]:
        bands = []
        for order, item in enumerate(items):
            self.known(item, "band")
            bands.append(
                BandSpec(
                    code=self.text(item, "code"),
                    label=self.text(item, "label"),
                    min_points=self.number(item, "min", required=False, default=Decimal(0)),
                    max_points=self.number(item, "max", required=False, default=None),
                    order=order,
                )
            )
        if len({b.code for b in bands}) != len(bands):
            self.fail(items[0] if items else {}, "code", _("Class codes must be distinct."))
        where = items[0] if items else {}
        for problem, detail in band_problems(bands) if items else []:
            if problem == "overlap":
                a, b = detail["bands"]
                self.fail(where, None, _("Classes “%(a)s” and “%(b)s” overlap.") % {"a": a, "b": b})
            elif problem == "gap":
                upper = _fmt(detail["to"]) if detail["to"] is not None else "∞"
                self.fail(
                    where,
                    None,
                    _("No class covers totals from %(from)s to %(to)s.") % {"from": _fmt(detail["from"]), "to": upper},
                )
            elif problem == "empty_band":
                self.fail(where, None, _("Class “%(band)s” is empty.") % {"band": detail["band"]})
        return tuple(bands)

    def gates(self, items: list[dict], bands: tuple[BandSpec, ...], penalties: tuple[CriterionSpec, ...]):
        band_codes = {b.code for b in bands}
        penalty_codes = {p.code for p in penalties}
        gates = []
        for item in items:
            self.known(item, "gate")
            gate = GateSpec(
                code=self.text(item, "code"),
                title=self.text(item, "title"),
                trigger=self.choice(item, "trigger", GateTrigger, GateTrigger.FLAG),
                effect=self.choice(item, "effect", GateEffect, GateEffect.NOT_CLASSIFIED),
                target=self.text(item, "target", required=False),
                band=self.text(item, "band", required=False),
            )
            if gate.effect is GateEffect.CAP_AT_BAND and gate.band not in band_codes:
                self.fail(item, "band", _("Unknown class “%(band)s”.") % {"band": gate.band})
            if gate.trigger is GateTrigger.PENALTY and gate.target not in penalty_codes:
                self.fail(item, "target", _("Unknown penalty “%(code)s”.") % {"code": gate.target})
            if gate.trigger is GateTrigger.FLAG and not gate.target:
                self.fail(item, "target", _("“%(field)s” is required.") % {"field": "target"})
            gates.append(gate)
        return tuple(gates)

    def quotas(self, items: list[dict], bands: tuple[BandSpec, ...]) -> tuple[QuotaSpec, ...]:
        quotas = []
        for item in items:
            self.known(item, "quota")
            quota = QuotaSpec(
                band=self.text(item, "band"), max_percent=self.number(item, "max_percent", default=Decimal(100))
            )
            if quota.band not in {b.code for b in bands}:
                self.fail(item, "band", _("Unknown class “%(band)s”.") % {"band": quota.band})
            if quota.max_percent is not None and not 0 < quota.max_percent <= 100:
                self.fail(item, "max_percent", _("A quota is a percentage above 0 and at most 100."))
            quotas.append(quota)
        return tuple(quotas)

    def document(self, data: dict) -> RegulationDoc:
        if data.get("format") != FORMAT:
            self.fail(
                data,
                "format",
                _("The file must declare “format: %(format)s”.") % {"format": FORMAT},
            )
        self.known(data, "document")
        meta = self.meta(self.mapping(data, "regulation"))
        set_data = self.mapping(data, "criteria_set")
        self.known(set_data, "criteria_set")
        criteria = tuple(self.criterion(c, NodeKind.ITEM) for c in self.sequence(data, "criteria", required=True))
        bonus = tuple(self.criterion(c, NodeKind.BONUS) for c in self.sequence(data, "bonus"))
        penalties = tuple(self.criterion(c, NodeKind.PENALTY) for c in self.sequence(data, "penalties"))
        max_total = self.number(set_data, "max_total", default=Decimal(100))
        total = sum((c.max_points for c in criteria), Decimal(0))
        if criteria and max_total is not None and total != max_total:
            self.fail(
                set_data,
                "max_total",
                _("The criteria set is worth %(max)s points but its criteria add up to %(sum)s.")
                % {"max": _fmt(max_total), "sum": _fmt(total)},
            )
        bands = self.bands(self.sequence(data, "classification", required=True))
        rounding = self.number(set_data, "rounding", required=False, default=Decimal(2))
        spec = CriteriaSetSpec(
            code=self.text(set_data, "code"),
            name=self.text(set_data, "name"),
            max_total=max_total or Decimal(0),
            criteria=criteria,
            bonus=bonus,
            penalties=penalties,
            bands=bands,
            gates=self.gates(self.sequence(data, "gates"), bands, penalties),
            quotas=self.quotas(self.sequence(data, "quota"), bands),
            bonus_cap=self.number(set_data, "bonus_cap", required=False, default=Decimal(0)),
            penalty_cap=self.number(set_data, "penalty_cap", required=False, default=Decimal(0)),
            rescale_to=self.number(set_data, "rescale_to", required=False, default=None),
            ceiling=self.number(set_data, "ceiling", required=False, default=None),
            rounding=int(rounding or 2),
            applies_to_groups=self.strings(set_data, "applies_to_groups"),
            fallback_to_self=self.boolean(set_data, "fallback_to_self", True),
        )
        return RegulationDoc(meta=meta, spec=spec)


def _plain(value: Any) -> Any:
    """Strips location keys and turns Decimals into canonical numbers, for JSON storage."""
    if isinstance(value, dict):
        return {k: _plain(v) for k, v in value.items() if not str(k).startswith("__")}
    if isinstance(value, list):
        return [_plain(v) for v in value]
    if isinstance(value, Decimal):
        return _number(value)
    return value


def _number(value: Decimal) -> int | str:
    """Integral values as int; others as their exact decimal text (never float)."""
    if value == value.to_integral_value():
        return int(value)
    return format(value.normalize(), "f")


def _fmt(value: Decimal | None) -> str:
    if value is None:
        return ""
    return str(_number(value)).replace(".", ",")


def parse_document(data: dict, known_agencies: set[str] | None = None) -> RegulationDoc:
    """Validates a library document; raises LibraryErrors listing every problem found.

    With `known_agencies`, scorer codes must name agencies of the province.
    """
    parser = _Parser(known_agencies=known_agencies)
    if not isinstance(data, dict):
        raise LibraryErrors([LibraryError(Location(), _("The file is not a regulation document."))])
    doc = parser.document(data)
    if parser.errors:
        raise LibraryErrors(parser.errors)
    return doc


# --- the inverse -----------------------------------------------------------------------------


def criterion_to_data(node: CriterionSpec) -> dict:
    data: dict[str, Any] = {"code": node.code, "title": node.title, "max": _number(node.max_points)}
    if node.score_type is not ScoreType.SUM_CHILDREN:
        data["type"] = node.score_type.value
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
        scorers: dict[str, Any] = {}
        if node.scorers.primary:
            scorers["primary"] = node.scorers.primary
        if node.scorers.co:
            scorers["co"] = list(node.scorers.co)
        if node.scorers.combine is not CombineRule.PRIMARY_WINS:
            scorers["combine"] = node.scorers.combine.value
        data["scorers"] = scorers
    if node.children:
        data["children"] = [criterion_to_data(c) for c in node.children]
    return data


def document_to_data(doc: RegulationDoc) -> dict:
    """The canonical dict of a document (what the YAML writer dumps)."""
    m, s = doc.meta, doc.spec
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
    criteria_set = {
        "code": s.code,
        "name": s.name,
        "applies_to_groups": list(s.applies_to_groups),
        "max_total": _number(s.max_total),
        "rescale_to": _number(s.rescale_to) if s.rescale_to is not None else None,
        "ceiling": _number(s.ceiling) if s.ceiling is not None else None,
        "bonus_cap": _number(s.bonus_cap),
        "penalty_cap": _number(s.penalty_cap),
        "rounding": s.rounding,
        "fallback_to_self": s.fallback_to_self,
    }
    return {
        "format": FORMAT,
        "regulation": {k: v for k, v in regulation.items() if v not in (None, "", [])},
        "criteria_set": {k: v for k, v in criteria_set.items() if v is not None and v != []},
        "criteria": [criterion_to_data(c) for c in s.criteria],
        "bonus": [criterion_to_data(c) for c in s.bonus],
        "penalties": [criterion_to_data(c) for c in s.penalties],
        "classification": [
            {
                k: v
                for k, v in {
                    "code": b.code,
                    "label": b.label,
                    "min": _number(b.min_points),
                    "max": _number(b.max_points) if b.max_points is not None else None,
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
        "quota": [{"band": q.band, "max_percent": _number(q.max_percent)} for q in s.quotas],
    }
