"""Request-wide behaviour: the language, and caching of private pages."""

import time

from django.conf import settings
from django.utils import translation
from django.utils.cache import patch_cache_control


class PortalLocaleMiddleware:
    """Like Django's LocaleMiddleware but ignoring Accept-Language: many officials' browsers ship
    with English preferences, and the portal is a Vietnamese administration's tool. The language
    chosen in the footer (the language cookie) is honoured."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        chosen = request.COOKIES.get(settings.LANGUAGE_COOKIE_NAME)
        language = chosen if chosen in dict(settings.LANGUAGES) else settings.LANGUAGE_CODE
        translation.activate(language)
        request.LANGUAGE_CODE = translation.get_language()
        response = self.get_response(request)
        response.headers.setdefault("Content-Language", request.LANGUAGE_CODE)
        return response


class NoStoreWhenSignedInMiddleware:
    """Pages and downloads of a signed-in person are never kept by the browser or a shared proxy:
    officials share office computers, and the back button after logging out must not show them."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        response = self.get_response(request)
        user = getattr(request, "user", None)
        if user is not None and user.is_authenticated:
            patch_cache_control(response, no_store=True, private=True)
        return response


class SessionTouchMiddleware:
    """Keeps a signed-in session alive while its person works, writing it at most once a minute.

    Sessions expire after SESSION_COOKIE_AGE of inactivity; restarting that clock on every request
    (SESSION_SAVE_EVERY_REQUEST) cost three queries per page and per autosave.
    """

    KEY = "_touched"

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        response = self.get_response(request)
        user = getattr(request, "user", None)
        session = getattr(request, "session", None)
        if user is not None and user.is_authenticated and session is not None and not session.is_empty():
            now = int(time.time())
            if now - session.get(self.KEY, 0) >= settings.SESSION_TOUCH_SECONDS:
                session[self.KEY] = now  # modified: SessionMiddleware saves it and renews the cookie
        return response
