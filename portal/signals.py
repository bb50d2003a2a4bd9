"""Signal receivers of the portal core (connected in PortalConfig.ready)."""

import time

from django.contrib.auth.signals import user_logged_in
from django.dispatch import receiver

from .middleware import SessionTouchMiddleware


@receiver(user_logged_in)
def session_touched_at_login(sender, request, user, **kwargs):
    # Logging in writes the new session anyway: count it as the first touch, so the first page
    # after it does not write the session again.
    session = getattr(request, "session", None)
    if session is not None:
        session[SessionTouchMiddleware.KEY] = int(time.time())
