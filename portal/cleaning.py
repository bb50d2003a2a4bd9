"""What people type, as the portal stores it: NFC, no control characters, a bounded length.

Vietnamese can arrive composed (NFC, what Windows keyboards send) or decomposed (NFD, macOS and
some copy-pastes): the same word in two byte forms would not match in a search, a sort or a
comparison with the stored value, and counts twice the characters. Everything typed is stored NFC.
Used by services (the cell saves reach them without a form) and by forms (TypedTextField).
"""

from __future__ import annotations

import unicodedata

from django import forms
from django.core import validators
from django.core.exceptions import ValidationError
from django.utils.formats import number_format
from django.utils.text import capfirst
from django.utils.translation import gettext as _

# Notes, comments and reasons; explanations and requests for evidence may run longer.
NOTE_MAX_CHARS = 2000
EXPLANATION_MAX_CHARS = 5000

_KEPT_CONTROLS = {"\n", "\t"}


def normalize_typed(value: str) -> str:
    """NFC, line ends as \\n, control characters (NUL included: PostgreSQL refuses it) removed, trimmed."""
    text = unicodedata.normalize("NFC", value.replace("\r\n", "\n").replace("\r", "\n"))
    return "".join(ch for ch in text if ch in _KEPT_CONTROLS or unicodedata.category(ch) != "Cc").strip()


def too_long_message(label: str, limit: int, count: int) -> str:
    return _("%(field)s is too long: at most %(limit)s characters (now %(count)s). Shorten it and save again.") % {
        "field": capfirst(label),
        "limit": number_format(limit, force_grouping=True),
        "count": number_format(count, force_grouping=True),
    }


def typed(value: str | None, *, field: str, label: str, limit: int) -> str:
    """`value` normalised; longer than `limit` it is refused (ValidationError on `field`, named `label`)."""
    text = normalize_typed(value or "")
    if len(text) > limit:
        raise ValidationError({field: too_long_message(label, limit, len(text))})
    return text


def typed_text(model, field: str, value: str | None, limit: int | None = None) -> str:
    """`value` as stored in `model.field`, named as the model names it; the limit is `limit` or the
    column's max_length."""
    model_field = model._meta.get_field(field)
    return typed(value, field=field, label=str(model_field.verbose_name), limit=limit or model_field.max_length)


def typed_reason(value: str | None) -> str:
    """A reason given for a change (kept in the history and sent to the people concerned)."""
    return typed(value, field="reason", label=_("reason"), limit=NOTE_MAX_CHARS)


class TypedTextField(forms.CharField):
    """A form's free-text field: normalised like the services do, its length counted after NFC (a
    decomposed “ệ” is three code points) and refused with the services' message; the browser gets
    the same maxlength. Give it a label: the message names the field."""

    def __init__(self, *, max_length: int = NOTE_MAX_CHARS, **kwargs):
        super().__init__(max_length=max_length, **kwargs)
        self.validators = [v for v in self.validators if not isinstance(v, validators.MaxLengthValidator)]

    def to_python(self, value):
        value = super().to_python(value)
        return normalize_typed(value) if isinstance(value, str) else value

    def validate(self, value):
        super().validate(value)
        if value and len(value) > self.max_length:
            raise ValidationError(too_long_message(str(self.label), self.max_length, len(value)), code="max_length")
