"""Reading the fields of a regulation document: each value read with its location (line or cell),
its type checked, every problem collected instead of stopping at the first. The document's
sections are read with these by `parsing`."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field
from decimal import Decimal
from typing import Any

from django.utils.translation import gettext as _

from ..engine import score_types
from ..engine.leaf import ScoreInputError, to_decimal
from .document import (
    CHOICE_LABELS,
    FIELDS,
    LibraryError,
    Location,
)


@dataclass
class FieldReader:
    errors: list[LibraryError] = field(default_factory=list)

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

    def report(self, node: Any, key: str | None, messages: list[str]) -> None:
        for message in messages:
            self.fail(node, key, message)

    def report_at(self, node: Any, problems: list[tuple[str | None, str]]) -> None:
        for key, message in problems:
            self.fail(node, key, message)

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
        return self.pick(node, key, enum, [e.value for e in enum], default)

    def score_type(self, node: dict, default: str | None) -> str | None:
        """The code of a registered score type (engine/score_types)."""
        codes = [str(t.code) for t in score_types.all_types()]
        return self.pick(node, "type", lambda code: score_types.get(code).code, codes, default)

    def pick(self, node: dict, key: str, read, allowed: list[str], default=None):
        """One of the `allowed` values, read by `read` (ValueError or KeyError when unknown)."""
        label = CHOICE_LABELS.get(key, lambda: key)()
        value = node.get(key)
        if value in (None, ""):
            if default is None:
                self.fail(node, key, _("“%(field)s” is required.") % {"field": key})
            return default
        try:
            return read(str(value).strip().lower())
        except (ValueError, KeyError):
            self.fail(
                node,
                key,
                _("Unknown %(field)s “%(value)s”; allowed: %(allowed)s.")
                % {"field": label, "value": value, "allowed": ", ".join(allowed)},
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
