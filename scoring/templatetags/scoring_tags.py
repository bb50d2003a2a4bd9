"""Template filters for points and marks."""

from decimal import Decimal

from django import template

from ..explain import fmt

register = template.Library()


@register.filter
def points(value) -> str:
    """7,5 — as officials write points; "—" when there is none."""
    if value in (None, ""):
        return "—"
    return fmt(Decimal(str(value)))


@register.filter
def signed_points(value) -> str:
    if value in (None, ""):
        return ""
    value = Decimal(str(value))
    return ("+" if value > 0 else "") + fmt(value)


@register.filter
def raw_label(node, raw: str) -> str:
    """A stored mark as a person reads it: the level's label, Có/Không, or the number."""
    from django.utils.translation import gettext as _

    if node.score_type == "levels":
        for level in node.params.get("levels", []):
            if str(level["code"]) == str(raw):
                return str(level["label"])
    if node.score_type == "boolean":
        return _("Yes") if str(raw).lower() in ("true", "1", "có", "yes") else _("No")
    return str(raw).replace(".", ",")


@register.filter
def dom_id(code: str) -> str:
    """A criterion code as a safe, unique HTML id part ("2.6.a" → "2_6_a")."""
    return "".join(ch if ch.isalnum() else "_" for ch in str(code))


@register.filter
def step_text(step, bands=None) -> str:
    from ..explain import step_text as render

    return render(step, bands or {})


@register.filter
def sub(a, b):
    try:
        return Decimal(str(a)) - Decimal(str(b))
    except ArithmeticError:
        return ""
