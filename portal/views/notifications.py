"""The bell: list and mark read."""

from django.contrib.auth.decorators import login_required
from django.http import Http404
from django.shortcuts import redirect, render
from django.views.decorators.http import require_POST

from .. import selectors, services
from ..models import Notification


@login_required
def notification_list(request):
    context = {"notifications": selectors.notifications_for(user=request.user)}
    return render(request, "portal/notification_list.html", context)


@login_required
@require_POST
def notification_mark_read(request, pk: int | None = None):
    # Someone else's notification answers 404, like one that does not exist.
    if pk is not None and not Notification.objects.filter(pk=pk, recipient=request.user).exists():
        raise Http404
    services.notification_mark_read(user=request.user, notification_id=pk)
    if request.htmx:
        # Counted again: the count that came with the user predates the marking.
        return render(
            request,
            "portal/_bell.html",
            {"unread_notifications": selectors.unread_notification_count(user=request.user)},
        )
    return redirect("notification_list")
