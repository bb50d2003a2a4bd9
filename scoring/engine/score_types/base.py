"""What a score type is: one class holding everything the portal knows about it.

Pure Python, like the rest of the engine. Text meant for people is English source text, marked
for the catalogue by names makemessages extracts: `gettext_noop` for a bare string (a label), `_`
for a `Text` carrying its parameters. The scoring layer (scoring/score_types.py) translates both
into the current language. Words a regulation wrote (a level's label) are shown as written, as a
plain str.
"""

from __future__ import annotations

from collections.abc import Iterator, Mapping
from dataclasses import dataclass, field
from decimal import Decimal
from types import MappingProxyType
from typing import Any, ClassVar

from ..numbers import ZERO, canonical_number, decimal_text
from ..types import CriterionSpec, NodeKind


def gettext_noop(message: str) -> str:
    """Marks a message for the catalogue; it is translated where it is shown."""
    return message


@dataclass(frozen=True)
class Text:
    """A message to translate, and its parameters (Decimals are shown as points: 7,5)."""

    message: str
    params: Mapping[str, Any] = field(default_factory=dict)


def _(message: str, **params: Any) -> Text:
    """A message to translate where it is shown (makemessages extracts the name `_`)."""
    return Text(message, params)


# What a type answers for people: a message to translate, words of the regulation shown as
# written, or several of these (shown one after the other, separated by “; ”).
Shown = Text | str | tuple["Shown", ...]


@dataclass(frozen=True)
class Widget:
    """How a mark is entered on the dossier page: one of `choices` (value, label), or typed into a
    text box with a placeholder when there are none."""

    choices: tuple[tuple[str, Shown], ...] = ()
    placeholder: Shown = ""


# What a mark refused by the readers every type shares means (ScoreInputError codes).
INPUT_ERRORS: Mapping[str, str] = MappingProxyType(
    {
        "not_a_number": gettext_noop("“%(value)s” is not a number."),
        "non_ascii_digits": gettext_noop("“%(value)s” is not a number here: type only the digits 0–9."),
        "out_of_range": gettext_noop("The mark must be between %(min)s and %(max)s."),
        "off_step": gettext_noop("The mark must be a multiple of %(step)s."),
        "percent_out_of_range": gettext_noop("A percentage must be between 0 and 100."),
        "not_a_count": gettext_noop("Enter a whole number of cases (0, 1, 2 …)."),
        "not_yes_no": gettext_noop("Choose yes or no."),
        "unknown_level": gettext_noop("Choose one of the levels in the list."),
        "empty": gettext_noop("Enter a mark."),
    }
)
UNACCEPTABLE = gettext_noop("This mark cannot be accepted.")


class ScoreTypeDef:
    """One score type. A new type subclasses this, sets `code` and `label`, writes `points`,
    overrides what differs from a plain number of points, and is decorated with `@register`."""

    code: ClassVar[str]  # as written in library files ("type: …") and stored on criteria
    label: ClassVar[str]  # gettext_noop("…"): how the type is named to people
    used_for: ClassVar[frozenset[NodeKind]] = frozenset({NodeKind.ITEM})  # where a regulation may use it
    numeric_params: ClassVar[frozenset[str]] = frozenset()  # parameters written as numbers in YAML
    input_errors: ClassVar[Mapping[str, str]] = MappingProxyType({})  # the type's own error codes → message

    def points(self, spec: CriterionSpec, raw: Any) -> Decimal:
        """Points earned (for a penalty: deducted) by a raw mark, before any cap of a parent;
        ScoreInputError when the mark cannot be read."""
        raise NotImplementedError

    def canonical(self, spec: CriterionSpec, raw: Any) -> str:
        """The mark as stored ("8,5" → "8.5"); validates it on the way (ScoreInputError)."""
        self.points(spec, raw)
        return canonical_number(raw)

    def cases(self, spec: CriterionSpec, raw: Any) -> int:
        """How many penalties a mark counts as (tie-break: fewer penalties ranks higher)."""
        return 1

    def param_problems(self, spec: CriterionSpec) -> Iterator[Shown]:
        """What is wrong with the criterion's `params` for this type (checked on library import)."""
        return iter(())

    def widget(self, spec: CriterionSpec) -> Widget:
        return Widget(placeholder=f"0–{decimal_text(spec.max_points)}")

    def hint(self, spec: CriterionSpec) -> Shown:
        """How to type the mark in the offline Excel form."""
        return _("Points %(min)s–%(max)s", min=ZERO, max=spec.max_points)

    def display(self, spec: CriterionSpec, raw: str) -> Shown:
        """A stored mark as a person reads it."""
        return raw.replace(".", ",")

    def unit(self, spec: CriterionSpec) -> Shown:
        """What a number typed in the mark's box counts (shown beside the box): points by default."""
        return _("points")

    def full_marks(self, spec: CriterionSpec) -> str:
        """A mark that earns the criterion's maximum (tests, demos)."""
        return canonical_number(spec.max_points)

    def imported_index(self, spec: CriterionSpec) -> tuple[str, int] | None:
        """(source, years from the period's year) of the imported index (PAR, SIPAS …) the portal
        fills this mark in from, if any."""
        return None
