"""Account forms: Django's, with labels and messages in our catalogue and crispy layout."""

from collections.abc import Callable
from typing import Any

from django import forms
from django.contrib import messages
from django.contrib.auth import forms as auth_forms
from django.core.exceptions import ValidationError
from django.http import HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext_lazy as _

from .uploads import ALLOWED_EXTENSIONS


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


def saved_through(form, save: Callable[[], Any], *, unnamed_to: str | None = None) -> tuple[bool, Any]:
    """A form's write, as every view does it: `save` (the use case's service) runs only when the
    form is valid, and a refusal of the service stands on the form (add_service_errors, with
    `unnamed_to` as there). (True, what `save` returned) once saved; (False, None) when the form
    or the service refused."""
    if not form.is_valid():
        return False, None
    try:
        return True, save()
    except ValidationError as error:
        add_service_errors(form, error, unnamed_to=unnamed_to)
        return False, None


def form_page(
    request,
    template: str,
    form,
    save: Callable[[], Any],
    *,
    done: str,
    next_url: Callable[[Any], str],
    context: dict | None = None,
    unnamed_to: str | None = None,
) -> HttpResponse:
    """A page with one form, as every create/edit view has it: the form shown (GET); posted, saved
    through the use case (saved_through), then `done` said and the browser sent to `next_url(what
    save returned)`; refused, the page again with what was typed and the errors (status 400)."""
    if request.method == "POST":
        saved, value = saved_through(form, save, unnamed_to=unnamed_to)
        if saved:
            messages.success(request, done)
            return redirect(next_url(value))
    return render(request, template, {"form": form, **(context or {})}, status=400 if form.is_bound else 200)


def upload_field(label, *, required: bool = True, **kwargs) -> forms.FileField:
    """A document or evidence upload as every form offers it: the browser's picker limited to the
    kinds portal.uploads accepts, and those kinds named under the field."""
    kwargs.setdefault("help_text", _("PDF, Word, Excel or a scan (JPG/PNG)."))
    widget = forms.ClearableFileInput(attrs={"accept": ",".join(ALLOWED_EXTENSIONS)})
    return forms.FileField(label=label, required=required, widget=widget, **kwargs)
