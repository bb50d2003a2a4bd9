"""Human-readable texts for engine explanations and regulation diffs (pages, PDFs, commands)."""

from __future__ import annotations

from decimal import Decimal
from typing import Any

from django.utils.translation import gettext as _

from .engine.diff import Change
from .engine.types import Step


def fmt(value: Any) -> str:
    """Points as officials write them: 7,5 — 90 — 12,25."""
    if value is None:
        return "—"
    if isinstance(value, Decimal):
        text = format(value.normalize(), "f") if value == value.to_integral_value() else format(value, "f")
        if "." in text:
            text = text.rstrip("0").rstrip(".")
        return text.replace(".", ",")
    return str(value)


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
}


def change_text(change: Change) -> str:
    label = FIELD_LABELS.get(change.field, lambda: change.field)()
    values = {"code": change.code, "field": label, "before": fmt(change.before), "after": fmt(change.after)}
    if change.kind == "added":
        return _("Added criterion %(code)s (%(after)s points)") % values
    if change.kind == "removed":
        return _("Removed criterion %(code)s (%(before)s points)") % values
    if change.kind == "changed":
        if change.field in ("max_points",):
            return _("Criterion %(code)s: %(field)s %(before)s → %(after)s") % values
        return _("Criterion %(code)s: %(field)s changed") % values
    if change.kind == "set_changed":
        return _("Criteria set: %(field)s %(before)s → %(after)s") % values
    if change.kind == "bands_changed":
        return _("Classification bands changed")
    if change.kind == "gates_changed":
        return _("Classification conditions changed")
    return str(change)


def step_text(step: Step, labels: dict[str, str] | None = None) -> str:
    """One line of an engine explanation in the current language."""
    labels = labels or {}
    d = step.detail
    v = {
        "code": step.criterion,
        "before": fmt(step.before),
        "after": fmt(step.after),
    }
    rule = step.rule
    if rule == "not_in_group":
        return _("%(code)s does not apply to this group: left out, the rest rescaled") % v
    if rule == "na_zero":
        return _("%(code)s not applicable: scores 0") % v
    if rule == "na_full":
        return _("%(code)s not applicable: counts as full points (%(after)s)") % v
    if rule == "na_exclude":
        return _("%(code)s not applicable: left out, the rest rescaled") % v
    if rule == "combine":
        marks = ", ".join(f"{k}: {fmt(p)}" for k, p in d.get("marks", {}).items())
        return _("%(code)s: scorers' marks %(marks)s combined (%(rule)s) into %(after)s") % {
            **v,
            "marks": marks,
            "rule": d.get("rule"),
        }
    if rule == "fallback_self":
        return _("%(code)s: not appraised, the self-score %(after)s is kept") % v
    if rule == "appraised_replaces_self":
        return _("%(code)s: appraised %(after)s replaces self-score %(before)s") % v
    if rule == "cap_node":
        return _("%(code)s: sub-criteria add up to %(before)s, capped at the maximum %(after)s") % v
    if rule == "na_rescale":
        return _(
            "Criteria worth %(excluded)s points do not apply: %(before)s of %(achievable)s rescaled to %(after)s"
        ) % {
            **v,
            "excluded": fmt(d.get("excluded")),
            "achievable": fmt(d.get("achievable")),
        }
    if rule == "rescale":
        return _("Reported on the %(to)s-point scale: %(before)s → %(after)s") % {**v, "to": fmt(d.get("to"))}
    if rule == "bonus":
        return _("Bonus %(code)s: +%(after)s") % v
    if rule == "bonus_cap":
        return _("Bonus points %(before)s capped at %(after)s") % v
    if rule == "penalty":
        return _("Penalty %(code)s: −%(after)s") % v
    if rule == "penalty_cap":
        return _("Penalty points %(before)s capped at %(after)s") % v
    if rule == "floor":
        return _("Total %(before)s raised to the floor of 0") % v
    if rule == "ceiling":
        return _("Total %(before)s capped at the highest total %(after)s") % v
    if rule == "band":
        band = d.get("band")
        return _("Total %(after)s: class %(band)s") % {**v, "band": labels.get(band, band or "—")}
    if rule == "gate_cap":
        return _("Condition %(code)s: class lowered from %(from)s to %(to)s") % {
            **v,
            "from": labels.get(d.get("from"), d.get("from")),
            "to": labels.get(d.get("to"), d.get("to")),
        }
    if rule == "gate_not_classified":
        return _("Condition %(code)s: not classified") % v
    if rule == "gate_no_change":
        return _("Condition %(code)s applies but does not change the class") % v
    if rule == "quota":
        return _(
            "Quota: at most %(percent)s%% of the group may be %(band)s (%(allowed)s agencies); lowered to %(to)s"
        ) % {
            "percent": fmt(d.get("percent")),
            "band": labels.get(d.get("band"), d.get("band")),
            "allowed": d.get("allowed"),
            "to": labels.get(d.get("to"), d.get("to") or "—"),
        }
    if rule == "tie_break":
        by = {
            "appraised_total": _("higher appraised total"),
            "penalty_count": _("fewer penalties"),
            "submitted_at": _("earlier submission"),
            "name": _("alphabetical order"),
            "key": _("alphabetical order"),
        }.get(d.get("by"), d.get("by"))
        return _("Equal total with the agency above; order decided by %(by)s") % {"by": by}
    return rule


def input_error_text(error, node=None) -> str:
    """A ScoreInputError (code + params) as a sentence the person who typed the mark understands."""
    p = error.params
    code = error.code
    if code == "not_a_number":
        return _("“%(value)s” is not a number.") % {"value": p.get("value")}
    if code == "out_of_range":
        return _("The mark must be between %(min)s and %(max)s.") % {"min": fmt(p.get("min")), "max": fmt(p.get("max"))}
    if code == "off_step":
        return _("The mark must be a multiple of %(step)s.") % {"step": fmt(p.get("step"))}
    if code == "percent_out_of_range":
        return _("A percentage must be between 0 and 100.")
    if code == "not_a_count":
        return _("Enter a whole number of cases (0, 1, 2 …).")
    if code == "not_yes_no":
        return _("Choose yes or no.")
    if code == "unknown_level":
        return _("Choose one of the levels in the list.")
    if code == "empty":
        return _("Enter a mark.")
    return _("This mark cannot be accepted.")
