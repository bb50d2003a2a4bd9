"""The bell: list and mark read."""

from django.contrib.auth.decorators import login_required
from django.shortcuts import redirect, render
from django.views.decorators.http import require_POST

from .. import selectors, services


@login_required
def notification_list(request):
    context = {"notifications": selectors.notifications_for(user=request.user)}
    return render(request, "portal/notification_list.html", context)


@login_required
@require_POST
def notification_mark_read(request, pk: int | None = None):
    services.notification_mark_read(user=request.user, notification_id=pk)
    if request.htmx:
        return render(request, "portal/_bell.html")  # the context processor recounts
    return redirect("notification_list")
