"""Password rules beyond Django's: officials' accounts guard appraisal scores."""

from django.core.exceptions import ValidationError
from django.utils.translation import gettext as _


class CharacterClassValidator:
    """Requires at least one letter, one digit and one non-alphanumeric character."""

    def validate(self, password: str, user=None) -> None:
        has_letter = any(c.isalpha() for c in password)
        has_digit = any(c.isdigit() for c in password)
        has_symbol = any(not c.isalnum() for c in password)
        if not (has_letter and has_digit and has_symbol):
            raise ValidationError(
                _("The password must contain letters, digits and at least one symbol."),
                code="password_character_classes",
            )

    def get_help_text(self) -> str:
        return _("Your password must contain letters, digits and at least one symbol.")
