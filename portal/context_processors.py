"""Template context shared by every page: portal name and the bell's unread count."""

from django.conf import settings

from .cleaning import EXPLANATION_MAX_CHARS, NOTE_MAX_CHARS
from .selectors import unread_notification_count

# The services' length limits, as maxlength on the hand-written inputs: the browser stops the typing
# there, so a too-long text is never sent and lost on a redirect.
TEXT_LIMITS = {"note": NOTE_MAX_CHARS, "explanation": EXPLANATION_MAX_CHARS}


def portal(request):
    user = getattr(request, "user", None)
    context = {"PORTAL_NAME": settings.PORTAL_NAME, "TEXT_LIMITS": TEXT_LIMITS}
    if user is not None and user.is_authenticated:
        # Counted with the user itself by the auth backend (portal.selectors.signed_in_user).
        count = getattr(user, "unread_notifications", None)
        context["unread_notifications"] = unread_notification_count(user=user) if count is None else count
    return context
