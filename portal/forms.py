"""Account forms: Django's, with labels and messages in our catalogue and crispy layout."""

from django.contrib.auth import forms as auth_forms
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
