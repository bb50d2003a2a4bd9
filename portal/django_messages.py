"""Django's own user-facing messages whose Vietnamese translation is missing upstream.

Listed here only so `makemessages` carries them into our catalogue, which takes precedence over
Django's (LOCALE_PATHS). Never imported for behaviour.
"""

from django.utils.translation import gettext_noop as _
from django.utils.translation import ngettext

MESSAGES = [
    _("Enter a valid duration."),
    _("Enter a complete value."),
    _("Null characters are not allowed."),
    _("Value must be valid JSON."),
    _("Enter a valid JSON."),
    _("Date out of range"),
    _("That page number is not an integer"),
    _("That page number is less than 1"),
    _("That page contains no results"),
    _("“%(pk)s” is not a valid value."),
    _("ManagementForm data is missing or has been tampered with"),
    _("The inline value did not match the parent instance."),
    _(
        "%(datetime)s couldn’t be interpreted in time zone %(current_timezone)s; it may be ambiguous or it may "
        "not exist."
    ),
    _("File extension “%(extension)s” is not allowed. Allowed extensions are: %(allowed_extensions)s."),
    _("Forbidden"),
]


def _plurals(n: int) -> None:  # pragma: no cover - extraction only
    ngettext("Please submit %d or more forms.", "Please submit %d or more forms.", n)
    ngettext(
        "This password is too short. It must contain at least %d character.",
        "This password is too short. It must contain at least %d characters.",
        n,
    )
