"""The user's own settings (reminder preferences)."""

from django import forms
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _

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
