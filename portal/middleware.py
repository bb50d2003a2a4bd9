"""Vietnamese by default, whatever the browser says; English only for whoever chooses it."""

from django.conf import settings
from django.utils import translation


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
