"""Template filters for points and marks, and the attributes of a self-saving grid cell."""

from decimal import Decimal

from django import template
from django.urls import reverse
from django.utils.html import format_html

from .. import score_types
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
    return score_types.display(node, str(raw))


@register.filter
def mark_placeholder(node) -> str:
    """What to type for a mark in a plain text box: the values of a list, or the type's placeholder."""
    widget = score_types.widget(node)
    return widget.codes if widget.is_list else widget.placeholder


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


@register.simple_tag
def autosave(view_name: str, dossier_id: int, criterion_id: int) -> str:
    """The attributes of a grid cell that saves itself when changed (htmx): the whole row is posted
    to the view, and the row it answers replaces this one."""
    return format_html(
        'hx-post="{}" hx-trigger="change" hx-include="closest tr" hx-target="closest tr" hx-swap="outerHTML"',
        reverse(view_name, args=[dossier_id, criterion_id]),
    )


@register.filter
def score_widget(node):
    """How a mark of the criterion is entered (a list of labels, or a box), as its score type says:
    for the forms beside the grid (bonus and penalty items, a change after finalization)."""
    return score_types.widget(node)
