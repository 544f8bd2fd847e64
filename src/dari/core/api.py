"""Shared pieces of the API: the ``web_url`` field, reference schemas, the basic-auth middleware."""

import base64
import binascii

from django.contrib.auth import authenticate
from ninja import Schema


def absolute_url(context, path: str) -> str:
    request = context.get("request") if context else None
    return request.build_absolute_uri(path) if request is not None else path


class Ref(Schema):
    """A short reference to another object, enough to show and follow it."""

    id: int
    key: str
    name_ko: str
    name_en: str


class ApiBasicAuthMiddleware:
    """Lets scripts call ``/api/`` with HTTP Basic credentials; pages keep using the session.

    A wrong password gets 401 rather than silently reading as anonymous, so a script learns that its
    credentials are wrong instead of seeing less data.
    """

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        header = request.META.get("HTTP_AUTHORIZATION", "")
        if request.path.startswith("/api/") and header.lower().startswith("basic "):
            try:
                username, _sep, password = base64.b64decode(header[6:]).decode("utf-8").partition(":")
            except (binascii.Error, UnicodeDecodeError):
                username, password = "", ""
            user = authenticate(request, username=username, password=password) if username else None
            if user is None:
                from django.http import JsonResponse

                response = JsonResponse({"detail": "Invalid credentials"}, status=401)
                response["WWW-Authenticate"] = 'Basic realm="Dari API"'
                return response
            request.user = user
        return self.get_response(request)
