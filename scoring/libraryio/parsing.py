"""Reading a regulation document: every field read with its location, every problem collected
(the checks of each concern are in `checks`), the RegulationDoc built when there is none."""

from __future__ import annotations

from dataclasses import dataclass, field
from decimal import Decimal

from django.utils.translation import gettext as _

from ..engine.types import (
    SET_COMBINE_RULES,
    BandSpec,
    CeilingAt,
    CombineRule,
    CriteriaSetSpec,
    CriterionSpec,
    GateEffect,
    GateSpec,
    GateTrigger,
    NAPolicy,
    NodeKind,
    PenaltyMeasure,
    QuotaSpec,
    RoundAt,
    Scorers,
    ScoreType,
    UnclassifiedRank,
)
from . import checks
from .document import (
    FORMAT,
    SET_CONTENT,
    LibraryError,
    LibraryErrors,
    Location,
    RegulationDoc,
    RegulationMeta,
    plain_data,
)
from .reading import FieldReader

MAX_PLACES = 2  # results are stored with two decimal places


@dataclass
class _Parser(FieldReader):
    known_agencies: set[str] | None = None
    codes: dict[str, Location] = field(default_factory=dict)

    # -- sections ------------------------------------------------------------------------
    def meta(self, node: dict) -> RegulationMeta:
        self.known(node, "regulation")
        program = self.text(node, "program")
        self.report(node, "program", checks.program_problems(program))
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
        self.report_at(data, checks.scorer_problems(scorers, self.known_agencies))
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
        score_type = self.score_type(node, ScoreType.SUM_CHILDREN if children else None)
        self.report(node, "type", checks.type_problems(score_type, node_kind))
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
            params=plain_data(params),
            children=children,
            guidance=self.text(node, "guidance", required=False),
            evidence_hint=self.text(node, "evidence", required=False),
            self_scorable=self.boolean(node, "self_scorable", True),
            na_policy=self.choice(node, "na_policy", NAPolicy, NAPolicy.ZERO),
            applies_to_groups=self.strings(node, "applies_to_groups"),
            scorers=self.scorers(node),
        )
        self.report(node, "max", checks.children_problems(spec))
        self.report(node, "params", checks.param_problems(spec))
        return spec

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
        self.report_at(items[0] if items else {}, checks.class_problems(tuple(bands)))
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
            self.report_at(item, checks.gate_problems(gate, band_codes, penalty_codes))
            gates.append(gate)
        return tuple(gates)

    def quotas(self, items: list[dict], bands: tuple[BandSpec, ...]) -> tuple[QuotaSpec, ...]:
        quotas = []
        for item in items:
            self.known(item, "quota")
            quota = QuotaSpec(
                band=self.text(item, "band"), max_percent=self.number(item, "max_percent", default=Decimal(100))
            )
            self.report_at(item, checks.quota_problems(quota, {b.code for b in bands}))
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
        if "criteria_sets" not in data:
            set_data = self.mapping(data, "criteria_set")
            self.known(set_data, "criteria_set")
            return RegulationDoc(meta=meta, specs=(self.criteria_set(set_data, data),))
        # Several sets (one per kind of unit): each entry carries its fields and its content.
        for key in ("criteria_set", *sorted(SET_CONTENT)):
            if key in data:
                self.fail(
                    data,
                    key,
                    _("With “criteria_sets”, “%(field)s” belongs inside each set.") % {"field": key},
                )
        entries = self.sequence(data, "criteria_sets", required=True)
        if not entries:
            self.fail(data, "criteria_sets", _("“%(field)s” is required.") % {"field": "criteria_sets"})
        specs = []
        seen: dict[str, Location] = {}
        for entry in entries:
            self.known(entry, "criteria_sets_entry")
            self.codes = {}  # criterion codes are unique within a set; two sets may both have "1"
            spec = self.criteria_set(entry, entry)
            if spec.code in seen:
                self.fail(
                    entry,
                    "code",
                    _("Duplicate code “%(code)s” (first used at %(first)s).")
                    % {"code": spec.code, "first": seen[spec.code]},
                )
            seen.setdefault(spec.code, self.at(entry, "code"))
            specs.append(spec)
        return RegulationDoc(meta=meta, specs=tuple(specs))

    def criteria_set(self, set_data: dict, content: dict) -> CriteriaSetSpec:
        """One criteria set: its fields from `set_data`, its criteria, classes … from `content`
        (the top of a one-set file, or the set's own entry)."""
        criteria = tuple(self.criterion(c, NodeKind.ITEM) for c in self.sequence(content, "criteria", required=True))
        bonus = tuple(self.criterion(c, NodeKind.BONUS) for c in self.sequence(content, "bonus"))
        penalties = tuple(self.criterion(c, NodeKind.PENALTY) for c in self.sequence(content, "penalties"))
        max_total = self.number(set_data, "max_total", default=Decimal(100))
        self.report(set_data, "max_total", checks.set_total_problems(max_total, criteria))
        bands = self.bands(self.sequence(content, "classification", required=True))
        rescale_to = self.number(set_data, "rescale_to", required=False, default=None)
        return CriteriaSetSpec(
            code=self.text(set_data, "code"),
            name=self.text(set_data, "name"),
            max_total=max_total or Decimal(0),
            criteria=criteria,
            bonus=bonus,
            penalties=penalties,
            bands=bands,
            gates=self.gates(self.sequence(content, "gates"), bands, penalties),
            quotas=self.quotas(self.sequence(content, "quota"), bands),
            bonus_cap=self.number(set_data, "bonus_cap", required=False, default=Decimal(0)),
            penalty_cap=self.number(set_data, "penalty_cap", required=False, default=Decimal(0)),
            rescale_to=rescale_to,
            # Absent, the ceiling is the scale: stated as a number from here on.
            ceiling=self.number(set_data, "ceiling", required=False, default=None) or rescale_to or max_total,
            applies_to_groups=self.strings(set_data, "applies_to_groups"),
            fallback_to_self=self.boolean(set_data, "fallback_to_self", True),
            **self.arithmetic(set_data),
        )

    def arithmetic(self, set_data: dict) -> dict:
        """Rounding, the ceiling's place, co-scorers, tie-breaks and the unclassified: each with
        the default README states when a file leaves it out."""
        return {
            "rounding": self.places(set_data),
            "round_at": self.choice(set_data, "round_at", RoundAt, RoundAt.TOTAL),
            "ceiling_at": self.choice(set_data, "ceiling_at", CeilingAt, CeilingAt.BEFORE_PENALTY),
            "combine": self.pick(
                set_data,
                "combine",
                _set_combine_rule,
                [rule.value for rule in SET_COMBINE_RULES],
                CombineRule.AVERAGE,
            ),
            "tie_break_penalties": self.choice(set_data, "tie_break_penalties", PenaltyMeasure, PenaltyMeasure.CASES),
            "unclassified_rank": self.choice(set_data, "unclassified_rank", UnclassifiedRank, UnclassifiedRank.LAST),
            "show_unclassified_total": self.boolean(set_data, "show_unclassified_total", True),
        }

    def places(self, set_data: dict) -> int:
        """Decimal places: 0 (whole points), 1 or 2 — stored results keep two."""
        value = self.number(set_data, "rounding", required=False, default=Decimal(2))
        if value is None:
            return 2
        if value != value.to_integral_value() or not 0 <= value <= MAX_PLACES:
            self.fail(
                set_data,
                "rounding",
                _("“%(field)s” is a number of decimal places from 0 to %(max)s.")
                % {"field": "rounding", "max": MAX_PLACES},
            )
            return 2
        return int(value)


def _set_combine_rule(value: str) -> CombineRule:
    rule = CombineRule(value)
    if rule not in SET_COMBINE_RULES:
        raise ValueError(value)
    return rule


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
