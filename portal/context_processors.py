"""Template context shared by every page: portal name and the bell's unread count."""

from django.conf import settings

from .selectors import unread_notification_count


def portal(request):
    user = getattr(request, "user", None)
    context = {"PORTAL_NAME": settings.PORTAL_NAME}
    if user is not None and user.is_authenticated:
        context["unread_notifications"] = unread_notification_count(user=user)
    return context
