"""The score types: one module per type in this package, each registered here by `@register`.

A province's new score type is one new module beside these (every module of the package is
imported below, so nothing else names it) plus its tests; docs/ARCHITECTURE.md walks through one.
Everything that depends on the type — points, the stored form of a mark, the parameter checks of
the library format, the widget, the Excel hint, how a mark reads, the label — asks `get(code)`.
"""

from __future__ import annotations

import importlib
import pkgutil
from collections.abc import Iterator

from ..types import NodeKind
from .base import INPUT_ERRORS, UNACCEPTABLE, ScoreTypeDef, Shown, Text, Widget, gettext_noop

# Criterion.score_type is a CharField of this length.
MAX_CODE_LENGTH = 20

_REGISTRY: dict[str, ScoreTypeDef] = {}


def register(cls: type[ScoreTypeDef]) -> type[ScoreTypeDef]:
    """Class decorator: makes a score type known under its code (one type per code)."""
    code = str(cls.code)
    if not code or len(code) > MAX_CODE_LENGTH or code != code.strip().lower():
        raise ValueError(f"score type code {code!r}: lower case, 1–{MAX_CODE_LENGTH} characters")
    if code in _REGISTRY and type(_REGISTRY[code]) is not cls:
        raise ValueError(f"score type {code!r} is already registered by {type(_REGISTRY[code]).__name__}")
    _REGISTRY[code] = cls()
    return cls


def unregister(code: str) -> None:
    """Forgets a type (tests that register one of their own)."""
    _REGISTRY.pop(str(code), None)


def get(code: str) -> ScoreTypeDef:
    """The type registered under `code`; KeyError for an unknown one."""
    return _REGISTRY[str(code)]


def find(code: str) -> ScoreTypeDef | None:
    """The type registered under `code`, or None."""
    return _REGISTRY.get(str(code))


def code_of(code: str) -> str:
    """A stored code as its type declares it (a built-in type's ScoreType member); unknown codes as
    given, so that scoring them says what is missing (ScoreInputError "not_scorable")."""
    definition = find(code)
    return definition.code if definition else str(code)


def all_types() -> Iterator[ScoreTypeDef]:
    """Every registered type, in the order of their codes."""
    return iter(sorted(_REGISTRY.values(), key=lambda t: str(t.code)))


def allowed_for(kind: NodeKind) -> list[str]:
    """Codes of the types a regulation may use for a kind of criterion (a bonus is no percentage)."""
    return [str(t.code) for t in all_types() if kind in t.used_for]


def numeric_params() -> frozenset[str]:
    """Parameter names any type reads as numbers (written as numbers in YAML)."""
    return frozenset().union(*(t.numeric_params for t in _REGISTRY.values()))


def _load_modules() -> None:
    for module in pkgutil.iter_modules(__path__):
        importlib.import_module(f"{__name__}.{module.name}")


_load_modules()

__all__ = [
    "INPUT_ERRORS",
    "MAX_CODE_LENGTH",
    "UNACCEPTABLE",
    "ScoreTypeDef",
    "Shown",
    "Text",
    "Widget",
    "all_types",
    "allowed_for",
    "code_of",
    "find",
    "get",
    "gettext_noop",
    "numeric_params",
    "register",
    "unregister",
]
