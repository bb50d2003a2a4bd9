"""Account forms: Django's, with labels and messages in our catalogue and crispy layout."""

from collections.abc import Callable
from typing import Any

from django.contrib.auth import forms as auth_forms
from django.core.exceptions import ValidationError
from django.utils.translation import gettext_lazy as _


class PortalLoginForm(auth_forms.AuthenticationForm):
    error_messages = {
        "invalid_login": _(
            "Incorrect username or password. Note that both fields are case-sensitive; after "
            "several failed attempts the account is locked for a while."
        ),
        "inactive": _("This account is inactive."),
    }

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["username"].label = _("Username")
        self.fields["password"].label = _("Password")


def add_service_errors(form, error, *, unnamed_to: str | None = None) -> None:
    """Shows a service's ValidationError on the form: field errors beside their field, the rest on
    top — or beside `unnamed_to` (an upload's field: the upload checks speak about the file)."""
    if hasattr(error, "error_dict"):
        for field, errors in error.error_dict.items():
            for message in errors:
                form.add_error(field if field in form.fields else None, message)
    else:
        for message in error.messages:
            form.add_error(unnamed_to, message)


def saved_through(form, save: Callable[[], Any]) -> tuple[bool, Any]:
    """A form's write, as every view does it: `save` (the use case's service) runs only when the
    form is valid, and a refusal of the service stands on the form (add_service_errors).
    (True, what `save` returned) once saved; (False, None) when the form or the service refused."""
    if not form.is_valid():
        return False, None
    try:
        return True, save()
    except ValidationError as error:
        add_service_errors(form, error)
        return False, None
