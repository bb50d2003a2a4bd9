"""The score types as people see them, in the current language: labels, the dossier page's widget,
the Excel form's hint, how a stored mark reads, and the problems of a type's parameters.

The types themselves live in scoring/engine/score_types/ (pure: one module per type, registered);
this layer only translates what they answer (`Text`, marked for the catalogue there).
"""

from __future__ import annotations

from dataclasses import dataclass
from decimal import Decimal
from typing import Any

from django.utils.functional import lazy
from django.utils.translation import gettext

from .engine import score_types
from .engine.leaf import score_type_of
from .engine.numbers import ScoreInputError, decimal_text
from .engine.score_types import INPUT_ERRORS, UNACCEPTABLE, Shown, Text
from .engine.types import CriterionSpec, NodeKind


def shown(value: Shown | Decimal | Any) -> str:
    """A type's answer as text: messages translated, points as officials write them (7,5)."""
    if isinstance(value, Text):
        message = gettext(value.message)
        if "%(" not in value.message:
            return message
        return message % {key: shown(param) for key, param in value.params.items()}
    if isinstance(value, tuple):
        return "; ".join(shown(part) for part in value)
    if isinstance(value, Decimal):
        return decimal_text(value)
    return str(value)


def label(code: str) -> str:
    """The type's name (“Có / không”), or the code of a type this portal does not know."""
    definition = score_types.find(code)
    return gettext(definition.label) if definition else str(code)


_lazy_label = lazy(label, str)


def choices() -> list[tuple[str, Any]]:
    """Choices of Criterion.score_type: every registered type. A callable (Django ≥ 5.0), so the
    field's migration names this function rather than listing the types: a new type needs no
    migration. Its path is in the migration: keep the name."""
    return [(str(t.code), _lazy_label(str(t.code))) for t in score_types.all_types()]


@dataclass(frozen=True)
class ShownWidget:
    """How a mark is entered on the dossier page, translated: a list or a text box."""

    choices: list[tuple[str, str]]
    placeholder: str

    @property
    def is_list(self) -> bool:
        return bool(self.choices)

    @property
    def codes(self) -> str:
        """What an appraiser may type in the free mark box for a list: its values."""
        return " · ".join(value for value, _label in self.choices)


def widget(node: CriterionSpec) -> ShownWidget:
    answer = score_type_of(node).widget(node)
    return ShownWidget([(value, shown(text)) for value, text in answer.choices], shown(answer.placeholder))


def hint(node: CriterionSpec) -> str:
    """How to type the mark in the offline Excel form."""
    return shown(score_type_of(node).hint(node))


def display(node: CriterionSpec, raw: str) -> str:
    """A stored mark as a person reads it: a level's label, Có/Không, 7,5."""
    return shown(score_type_of(node).display(node, raw)) if raw else ""


def box_value(node: CriterionSpec, raw: str | None) -> str:
    """A stored mark as its box on the page shows it back: the value a list selects, or the number
    with the decimal comma the person typed ("8.5" → "8,5"). The one place a box gets its text."""
    if not raw:
        return ""
    return raw if widget(node).is_list else display(node, raw)


def unit(node: CriterionSpec) -> str:
    """What the number in the criterion's box counts: “%”, “trường hợp”, “điểm”."""
    return shown(score_type_of(node).unit(node))


def param_problems(node: CriterionSpec) -> list[str]:
    """What is wrong with the parameters of the criterion's score type."""
    definition = score_types.find(node.score_type)
    return [shown(problem) for problem in definition.param_problems(node)] if definition else []


def kind_problems(code: str | None, kind: NodeKind) -> list[str]:
    """A score type is allowed only for some kinds of criteria (a bonus is not a percentage)."""
    allowed = score_types.allowed_for(kind)
    if code and code not in allowed:
        return [
            gettext("Score type “%(type)s” cannot be used for %(kind)s criteria; allowed: %(allowed)s.")
            % {"type": code, "kind": kind.value, "allowed": ", ".join(allowed)}
        ]
    return []


def input_error_text(error: ScoreInputError, node: CriterionSpec | None = None) -> str:
    """A refused mark as a sentence the person who typed it understands: the criterion's type's
    own message for the code, else the shared readers', else any type's that names the code."""
    own = score_types.find(node.score_type) if node is not None else None
    messages = [own.input_errors] if own else []
    messages += [INPUT_ERRORS, *(t.input_errors for t in score_types.all_types())]
    message = next((m[error.code] for m in messages if error.code in m), UNACCEPTABLE)
    return shown(Text(message, error.params))
