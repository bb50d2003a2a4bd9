"""Error pages that say what happened in words an official understands."""

import logging
import sys

from django.db import InterfaceError, OperationalError
from django.http import HttpResponse, HttpResponseServerError
from django.template.loader import render_to_string
from django.utils.translation import gettext as _

logger = logging.getLogger(__name__)


def server_error(request):
    """handler500. While PostgreSQL is away (restart, failover) the request gets a clear 503 instead:
    the failed statement's transaction was rolled back by the database, so nothing is half-written,
    and the autosave script keeps the typed value and sends it again (static/js/portal.js).

    Django calls this for an exception raised anywhere in the request (a middleware loading the
    session as much as a view), with the exception still being handled.
    """
    error = sys.exc_info()[1]
    # Rendered without the request: its context processors would ask the database again.
    if isinstance(error, (OperationalError, InterfaceError)):
        message = _(
            "The server cannot reach its database for a moment. Nothing was saved; what you typed is still "
            "on the page. Please try again in a minute."
        )
        if request.headers.get("HX-Request"):
            response = HttpResponse(message, status=503, content_type="text/plain; charset=utf-8")
        else:
            response = HttpResponse(render_to_string("503.html", {"message": message}), status=503)
        response["Retry-After"] = "30"
        return response
    return HttpResponseServerError(render_to_string("500.html"))
