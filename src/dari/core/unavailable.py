"""The answer when the database is away (restarting, failing over): 503 with Retry-After, a short
page in the viewer's language or the API's JSON, instead of a 500.

It is Django's ``handler500``, so it also answers errors raised in a middleware (the API's
authentication reads the database before any view runs). The page is rendered without the page
kit's context processors, which read the database themselves. Once the database is back, the next
request reconnects (``CONN_HEALTH_CHECKS``): nothing needs restarting.
"""

import sys

from django.db import InterfaceError, OperationalError
from django.http import HttpResponse, JsonResponse
from django.template.loader import render_to_string
from django.utils.translation import gettext
from django.views.defaults import server_error

RETRY_AFTER_SECONDS = 10


def database_unavailable() -> bool:
    error = sys.exc_info()[1]
    return isinstance(error, OperationalError | InterfaceError)


def server_error_or_unavailable(request, *args, **kwargs):
    if not database_unavailable():
        return server_error(request, *args, **kwargs)
    if request.path.startswith("/api/"):
        response = JsonResponse(
            {"detail": gettext("The service is briefly unavailable. Try again in a few seconds.")},
            status=503,
        )
    else:
        response = HttpResponse(render_to_string("503.html"), status=503)
    response["Retry-After"] = str(RETRY_AFTER_SECONDS)
    return response
