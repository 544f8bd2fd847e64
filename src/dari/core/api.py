"""Shared pieces of the API: the ``web_url`` field, reference schemas, the base of input schemas,
the basic-auth middleware, and the one error contract.

Errors: a view calls the services and returns their object; what they raise is answered by the
handlers that ``register_error_handlers`` puts on the ``NinjaAPI`` once. Every error is
``{"detail": "..."}`` (401, 403, 404, 409), except invalid input (422), whose ``detail`` is a list of
``{"loc": [...], "msg": ..., "type": ...}``, django-ninja's own shape: a service's ``ValidationError``
on field ``x`` is at ``["body", "payload", "x"]``, one on no field at ``["body", "payload"]``.
``errors(401, 403, ...)`` declares them in an operation's ``response``.
"""

import base64
import binascii
from functools import cache
from typing import Annotated, get_args, get_origin

from django.conf import settings
from django.contrib.auth import authenticate
from django.core.exceptions import NON_FIELD_ERRORS, PermissionDenied, ValidationError
from django.db import DataError
from django.http import JsonResponse
from django.utils.cache import patch_cache_control
from ninja import Field, Schema
from ninja.errors import HttpError
from ninja.errors import ValidationError as NinjaValidationError
from ninja.pagination import LimitOffsetPagination
from ninja.schema import DjangoGetter
from ninja.utils import check_csrf
from pydantic import ValidationInfo, field_validator, model_validator
from pydantic_core import PydanticCustomError

from .services import Conflict  # noqa: F401 (raised by services, answered 409 here)
from .text import clean_text


def absolute_url(context, path: str) -> str:
    request = context.get("request") if context else None
    return request.build_absolute_uri(path) if request is not None else path


class RowSchema(Schema):
    """An output schema that also takes a row read as a dict (``QuerySet.values()``, see
    ``dari.core.pagination.Row``) and validates it in pydantic's core as it is. django-ninja reads
    every field of every object through a getter in Python, which made a list of 50 organizations
    cost ten times the rest of its request; a row must then carry every field already (``web_url``
    included), since no ``resolve_*`` runs for it. Objects are read as ninja reads them."""

    @model_validator(mode="wrap")
    @classmethod
    def _run_root_validator(cls, values, handler, info: ValidationInfo):
        if isinstance(values, dict):
            return handler(values)
        return handler(DjangoGetter(values, cls, info.context))


class Ref(RowSchema):
    """A short reference to another object, enough to show and follow it."""

    id: int
    key: str
    name_ko: str
    name_en: str


class SourceOut(Schema):
    """Where a figure or a fact comes from."""

    id: int
    key: str
    title_ko: str
    title_en: str
    publisher: str
    url: str
    published_on: str | None

    @staticmethod
    def resolve_published_on(obj) -> str | None:
        return obj.published_on.isoformat() if obj.published_on else None


class Multiline:
    """Marks an input string that may span lines: ``description: MultilineText = ""``."""


MultilineText = Annotated[str, Multiline()]


@cache
def is_multiline(schema: type[Schema], field_name: str) -> bool:
    def marked(annotation) -> bool:
        if get_origin(annotation) is Annotated:
            return any(isinstance(extra, Multiline) for extra in annotation.__metadata__)
        return any(marked(argument) for argument in get_args(annotation))

    field = schema.model_fields[field_name]
    return any(isinstance(extra, Multiline) for extra in field.metadata) or marked(field.annotation)


def cleaned_strings(value, multiline: bool):
    """``value`` with each string in it (or in its list) cleaned; nested schemas clean their own."""
    if isinstance(value, str):
        return clean_text(value, multiline=multiline)
    if isinstance(value, list | tuple):
        return [cleaned_strings(item, multiline) for item in value]
    return value


class InputSchema(Schema):
    """The base of every API input (request bodies and query filters). Every string in it follows
    ``dari.core.text.clean_text``, single-line unless its field is ``MultilineText``: a refused
    character answers 422 on its field (``{"loc": ["body", "payload", field], "msg": ..., "type":
    "not_text"}``), invisible formatting characters are removed from single-line fields.
    """

    @field_validator("*", mode="before")
    @classmethod
    def clean_text_fields(cls, value, info: ValidationInfo):
        try:
            return cleaned_strings(value, is_multiline(cls, info.field_name))
        except ValidationError as error:
            raise PydanticCustomError(error.code, error.messages[0]) from None


class ApiBasicAuthMiddleware:
    """Lets scripts call ``/api/`` with an API token (``Authorization: Bearer <key>``) or HTTP Basic
    credentials; pages keep using the session.

    Both go through ``django.contrib.auth.authenticate``: Basic through the password backends (so
    django-axes counts its failures and locks a username+IP out like the sign-in page), Bearer through
    ``dari.accounts.backends.ApiTokenBackend``. Wrong credentials get 401 rather than silently reading
    as anonymous, so a script learns that its credentials are wrong instead of seeing less data; a
    locked-out username gets 429.

    Every ``/api/`` answer to a signed-in caller (session, Basic or Bearer) is ``Cache-Control:
    private, no-store``: it may carry personal data or private records, which no cache should keep.
    """

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        if not request.path.startswith("/api/"):
            return self.get_response(request)
        response = self.authenticated_response(request)
        if request.user.is_authenticated:
            patch_cache_control(response, private=True, no_store=True)
        return response

    def authenticated_response(self, request):
        header = request.META.get("HTTP_AUTHORIZATION", "")
        scheme, _sep, credentials = header.partition(" ")
        scheme = scheme.lower()
        if scheme in ("basic", "bearer"):
            if scheme == "bearer":
                key = credentials.strip()
                user = authenticate(request, api_token=key) if key else None
            else:
                user = self.basic_user(request, credentials)
            if getattr(request, "axes_locked_out", False):
                return JsonResponse(
                    {"detail": "Too many failed sign-ins; try again later"},
                    status=429,
                )
            if user is None:
                response = JsonResponse({"detail": "Invalid credentials"}, status=401)
                response["WWW-Authenticate"] = (
                    'Bearer realm="Dari API"' if scheme == "bearer" else 'Basic realm="Dari API"'
                )
                return response
            request.user = user
            request.authenticated_by_header = True
        return self.get_response(request)

    @staticmethod
    def basic_user(request, credentials: str):
        try:
            username, _sep, password = base64.b64decode(credentials).decode("utf-8").partition(":")
        except (binascii.Error, UnicodeDecodeError):
            return None
        return authenticate(request, username=username, password=password) if username else None


# The largest value a database integer column holds: ids, limits and offsets above it are refused
# as invalid input instead of overflowing inside the database driver.
MAX_INTEGER = 2**63 - 1


class Pagination(LimitOffsetPagination):
    """``limit``/``offset`` pagination answering ``{"items": [...], "count": N}``, with bounded inputs."""

    class Input(Schema):
        limit: int = Field(settings.NINJA_PAGINATION_PER_PAGE, ge=1, le=settings.NINJA_PAGINATION_MAX_LIMIT)
        offset: int = Field(0, ge=0, le=MAX_INTEGER)


def out_of_range(request, error):
    """A number too large for the database (an id or a filter) is the caller's error: 422, not 500."""
    return JsonResponse(
        {"detail": [{"loc": ["query"], "msg": "A number is out of range.", "type": "out_of_range"}]},
        status=422,
    )


def signed_in(request):
    """Auth for every API write and for the caller's own data: the user the middleware found
    (session, HTTP Basic or Bearer token), or None for a 401.

    A session can be ridden by another site, so session writes need Django's CSRF token. Only a
    request that the middleware signed in by its own Basic or Bearer credentials cannot be forged that
    way: a request signed in by its session cookie needs the token whatever other header it carries.
    """
    if not request.user.is_authenticated:
        return None
    writes = request.method not in ("GET", "HEAD", "OPTIONS")
    if writes and not getattr(request, "authenticated_by_header", False):
        if check_csrf(request) is not None:
            raise HttpError(403, "CSRF check failed: send the csrftoken cookie's value as X-CSRFToken.")
    return request.user


class ErrorOut(Schema):
    detail: str


class FieldErrorOut(Schema):
    loc: list[str | int]
    msg: str
    type: str


class InvalidOut(Schema):
    detail: list[FieldErrorOut]


def errors(*statuses: int) -> dict:
    """The error answers an operation declares: ``response={200: ThingOut, **errors(401, 404)}``."""
    return {status: InvalidOut if status == 422 else ErrorOut for status in statuses}


WRITE_ERRORS = errors(401, 403, 404, 422)
#: An edit that takes the version the caller saw (``dari.core.services.Versioned``) may also be 409.
EDIT_ERRORS = errors(401, 403, 404, 409, 422)


def field_errors(error: ValidationError) -> list[dict]:
    """A service's ``ValidationError`` in the shape of django-ninja's own 422 answers."""
    found = (
        error.message_dict.items() if hasattr(error, "error_dict") else [(NON_FIELD_ERRORS, error.messages)]
    )
    return [
        {
            "loc": ["body", "payload"] if field == NON_FIELD_ERRORS else ["body", "payload", field],
            "msg": str(message),
            "type": "invalid",
        }
        for field, messages in found
        for message in messages
    ]


def forbidden(request, error: PermissionDenied):
    return JsonResponse({"detail": str(error) or "Forbidden"}, status=403)


def invalid(request, error: ValidationError):
    return JsonResponse({"detail": field_errors(error)}, status=422)


def invalid_input(request, error: NinjaValidationError):
    """django-ninja's own 422 in the one shape: pydantic's extra keys (``ctx``, ``input``, ``url``)
    left out, so every 422 has exactly ``loc``, ``msg`` and ``type``."""
    detail = [{"loc": list(item["loc"]), "msg": item["msg"], "type": item["type"]} for item in error.errors]
    return JsonResponse({"detail": detail}, status=422)


def conflict(request, error: Conflict):
    return JsonResponse({"detail": str(error) or "Conflict"}, status=409)


def visible_or_422(queryset, pk: int | None, field: str):
    """The object ``pk`` of a visibility-filtered queryset, or None for None; an unknown or invisible
    id is invalid input (422 on ``field``), never a hint that it exists."""
    if pk is None:
        return None
    found = queryset.filter(pk=pk).first()
    if found is None:
        raise ValidationError({field: f"No such {field}: {pk}"})
    return found


def register_error_handlers(api) -> None:
    """Answer the services' refusals in the one error shape (not found is django-ninja's own 404)."""
    api.add_exception_handler(PermissionDenied, forbidden)
    api.add_exception_handler(ValidationError, invalid)
    api.add_exception_handler(NinjaValidationError, invalid_input)
    api.add_exception_handler(Conflict, conflict)
    api.add_exception_handler(OverflowError, out_of_range)
    api.add_exception_handler(DataError, out_of_range)
