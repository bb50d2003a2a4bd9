"""The user's own settings (reminder preferences), and the limits on login and password reset."""

from django import forms
from django.conf import settings
from django.contrib import messages
from django.contrib.auth import views as auth_views
from django.contrib.auth.decorators import login_required
from django.shortcuts import redirect, render
from django.utils.decorators import method_decorator
from django.utils.translation import gettext as _
from django_ratelimit.decorators import ratelimit

from ..forms import PortalLoginForm
from ..models import User


class PreferencesForm(forms.ModelForm):
    class Meta:
        model = User
        fields = ["full_name", "email", "email_reminders", "reminder_digest"]


@login_required
def preferences(request):
    form = PreferencesForm(request.POST or None, instance=request.user)
    if request.method == "POST" and form.is_valid():
        form.save()
        messages.success(request, _("Your settings have been saved."))
        return redirect("preferences")
    return render(request, "portal/preferences.html", {"form": form})


def _login_rate(group, request):
    return settings.LOGIN_RATE


def _reset_rate(group, request):
    return settings.PASSWORD_RESET_RATE


# Per real client address (portal.security.client_ip): one address cannot try passwords for many
# accounts; the per-account lock is axes' (username + address), so nobody else can lock a user out.
@method_decorator(ratelimit(group="login", key="ip", rate=_login_rate, method="POST"), name="post")
class LoginView(auth_views.LoginView):
    authentication_form = PortalLoginForm
    redirect_authenticated_user = True


# Password reset sends e-mail: limited per address and per e-mail address asked for.
@method_decorator(ratelimit(group="password-reset", key="ip", rate=_reset_rate, method="POST"), name="post")
@method_decorator(
    ratelimit(group="password-reset-email", key="post:email", rate=_reset_rate, method="POST"), name="post"
)
class PasswordResetView(auth_views.PasswordResetView):
    pass


def rate_limited(request, exception):
    """What a person sees after too many tries (HTTP 429), in Vietnamese."""
    return render(request, "registration/rate_limited.html", status=429)
