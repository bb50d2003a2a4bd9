"""Human-readable texts for engine explanations and regulation diffs (pages, PDFs, commands)."""

from __future__ import annotations

from django.utils.translation import gettext as _
from django.utils.translation import gettext_noop

from . import score_types
from .engine.diff import Change
from .engine.numbers import decimal_text as fmt
from .engine.types import Step, StepKind
from .models.regulations import (
    CEILING_AT_CHOICES,
    COMBINE_CHOICES,
    PENALTY_MEASURE_CHOICES,
    ROUND_AT_CHOICES,
    UNCLASSIFIED_RANK_CHOICES,
)

FIELD_LABELS = {
    "title": lambda: _("title"),
    "kind": lambda: _("kind"),
    "max_points": lambda: _("maximum points"),
    "score_type": lambda: _("score type"),
    "params": lambda: _("parameters"),
    "na_policy": lambda: _("when not applicable"),
    "self_scorable": lambda: _("self-scored by the agency"),
    "scorers": lambda: _("scorers"),
    "max_total": lambda: _("maximum total"),
    "rescale_to": lambda: _("reported on the scale of"),
    "ceiling": lambda: _("highest total with bonus"),
    "bonus_cap": lambda: _("bonus cap"),
    "penalty_cap": lambda: _("penalty cap"),
    "rounding": lambda: _("decimal places"),
    "applies_to_groups": lambda: _("applies to groups (khối)"),
    "ceiling_at": lambda: _("ceiling applies"),
    "round_at": lambda: _("rounding at"),
    "combine": lambda: _("co-scorers' marks without a primary scorer"),
    "tie_break_penalties": lambda: _("“fewer penalties” counts"),
    "unclassified_rank": lambda: _("unclassified agencies"),
    "show_unclassified_total": lambda: _("show the total of unclassified agencies"),
    "fallback_to_self": lambda: _("keep the self-score where nobody appraised"),
}
# Set fields whose values are codes: shown by their labels.
VALUE_LABELS = {
    "ceiling_at": CEILING_AT_CHOICES,
    "round_at": ROUND_AT_CHOICES,
    "combine": COMBINE_CHOICES,
    "tie_break_penalties": PENALTY_MEASURE_CHOICES,
    "unclassified_rank": UNCLASSIFIED_RANK_CHOICES,
}


def _value_text(name: str, value) -> str:
    if name in VALUE_LABELS:
        return str(dict(VALUE_LABELS[name]).get(str(value), value))
    if isinstance(value, bool):
        return _("yes") if value else _("no")
    if isinstance(value, tuple | list):
        return ", ".join(str(v) for v in value) or "—"
    return fmt(value)


def change_text(change: Change) -> str:
    label = FIELD_LABELS.get(change.field, lambda: change.field)()
    values = {
        "code": change.code,
        "field": label,
        "before": _value_text(change.field, change.before),
        "after": _value_text(change.field, change.after),
    }
    # A title follows in quotation marks, so a reader sees which criterion a code now means.
    if change.kind == "added":
        return _("Added criterion %(code)s (%(after)s points)") % values + f": “{change.title}”"
    if change.kind == "removed":
        return _("Removed criterion %(code)s (%(before)s points)") % values + f": “{change.title}”"
    if change.kind == "changed":
        if change.field in ("max_points",):
            return _("Criterion %(code)s: %(field)s %(before)s → %(after)s") % values
        if change.field == "title":
            return _("Criterion %(code)s: %(field)s changed") % values + f": “{change.before}” → “{change.after}”"
        return _("Criterion %(code)s: %(field)s changed") % values
    if change.kind == "set_changed":
        return _("Criteria set: %(field)s %(before)s → %(after)s") % values
    if change.kind == "bands_changed":
        return _("Classification bands changed")
    if change.kind == "gates_changed":
        return _("Classification conditions changed")
    return str(change)


def _simple(text: str):
    """A step whose text needs only its criterion, before and after."""
    return lambda step, v, labels: _(text) % v


def _combine(step: Step, v: dict, labels: dict) -> str:
    # The scorers' marks without their codes: the page names the scorers beside their marks.
    marks = "; ".join(fmt(p) for p in step.detail.get("marks", {}).values())
    rule = dict(COMBINE_CHOICES).get(step.detail.get("rule"), "—")
    return _("%(code)s: scorers' marks %(marks)s combined (%(rule)s) into %(after)s") % {
        **v,
        "marks": marks,
        "rule": rule,
    }


def _na_rescale(step: Step, v: dict, labels: dict) -> str:
    return _("Criteria worth %(excluded)s points do not apply: %(before)s of %(achievable)s rescaled to %(after)s") % {
        **v,
        "excluded": fmt(step.detail.get("excluded")),
        "achievable": fmt(step.detail.get("achievable")),
    }


def _rescale(step: Step, v: dict, labels: dict) -> str:
    return _("Reported on the %(to)s-point scale: %(before)s → %(after)s") % {**v, "to": fmt(step.detail.get("to"))}


def _band(step: Step, v: dict, labels: dict) -> str:
    band = step.detail.get("band")
    return _("Total %(after)s: class %(band)s") % {**v, "band": labels.get(band, band or "—")}


def _gate_cap(step: Step, v: dict, labels: dict) -> str:
    d = step.detail
    return _("Condition %(code)s: class lowered from %(from)s to %(to)s") % {
        **v,
        "from": labels.get(d.get("from"), d.get("from")),
        "to": labels.get(d.get("to"), d.get("to")),
    }


def _quota(step: Step, v: dict, labels: dict) -> str:
    d = step.detail
    return _("Quota: at most %(percent)s%% of the group may be %(band)s (%(allowed)s agencies); lowered to %(to)s") % {
        "percent": fmt(d.get("percent")),
        "band": labels.get(d.get("band"), d.get("band")),
        "allowed": d.get("allowed"),
        "to": labels.get(d.get("to"), d.get("to") or "—"),
    }


TIE_BREAKS = {
    "appraised_total": lambda: _("higher appraised total"),
    "penalty_count": lambda: _("fewer penalties"),
    "submitted_at": lambda: _("earlier submission"),
    "name": lambda: _("alphabetical order"),
    "key": lambda: _("alphabetical order"),
}


def _tie_break(step: Step, v: dict, labels: dict) -> str:
    by = TIE_BREAKS.get(step.detail.get("by"), TIE_BREAKS["key"])()
    return _("Equal total with the agency above; order decided by %(by)s") % {"by": by}


# One text per kind of step (a test renders each in Vietnamese).
STEP_TEXTS = {
    StepKind.NOT_IN_GROUP: _simple(gettext_noop("%(code)s does not apply to this group: left out, the rest rescaled")),
    StepKind.NA_ZERO: _simple(gettext_noop("%(code)s not applicable: scores 0")),
    StepKind.NA_FULL: _simple(gettext_noop("%(code)s not applicable: counts as full points (%(after)s)")),
    StepKind.NA_EXCLUDE: _simple(gettext_noop("%(code)s not applicable: left out, the rest rescaled")),
    StepKind.COMBINE: _combine,
    StepKind.FALLBACK_SELF: _simple(gettext_noop("%(code)s: not appraised, the self-score %(after)s is kept")),
    StepKind.APPRAISED_REPLACES_SELF: _simple(
        gettext_noop("%(code)s: appraised %(after)s replaces self-score %(before)s")
    ),
    StepKind.CAP_NODE: _simple(
        gettext_noop("%(code)s: sub-criteria add up to %(before)s, capped at the maximum %(after)s")
    ),
    StepKind.NA_RESCALE: _na_rescale,
    StepKind.RESCALE: _rescale,
    StepKind.BONUS: _simple(gettext_noop("Bonus %(code)s: +%(after)s")),
    StepKind.BONUS_CAP: _simple(gettext_noop("Bonus points %(before)s capped at %(after)s")),
    StepKind.PENALTY: _simple(gettext_noop("Penalty %(code)s: −%(after)s")),
    StepKind.PENALTY_CAP: _simple(gettext_noop("Penalty points %(before)s capped at %(after)s")),
    StepKind.FLOOR: _simple(gettext_noop("Total %(before)s raised to the floor of 0")),
    StepKind.CEILING: _simple(gettext_noop("Total %(before)s capped at the highest total %(after)s")),
    StepKind.BAND: _band,
    StepKind.GATE_CAP: _gate_cap,
    StepKind.GATE_NOT_CLASSIFIED: _simple(gettext_noop("Condition %(code)s: not classified")),
    StepKind.GATE_NO_CHANGE: _simple(gettext_noop("Condition %(code)s applies but does not change the class")),
    StepKind.QUOTA: _quota,
    StepKind.TIE_BREAK: _tie_break,
}


def step_text(step: Step, labels: dict[str, str] | None = None) -> str:
    """One line of an engine explanation in the current language (`labels`: class code → label)."""
    values = {"code": step.criterion, "before": fmt(step.before), "after": fmt(step.after)}
    return STEP_TEXTS[StepKind(step.rule)](step, values, labels or {})


def input_error_text(error, node=None) -> str:
    """A ScoreInputError (code + params) as a sentence the person who typed the mark understands."""
    return score_types.input_error_text(error, node)
