"""The API's one error contract, checked on every write operation of the OpenAPI document: each declares
the errors it may answer (401, 403, 404 when it names an object in its path, 422 when it takes input), and
each declared error, provoked, answers in the declared shape: ``{"detail": "..."}``, or for 422 a list of
``{"loc": [...], "msg": ..., "type": ...}``."""

import json
import re

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.test import Client, RequestFactory

from dari.api import api
from dari.core.api import Conflict, register_error_handlers

pytestmark = pytest.mark.django_db

WRITES = ("post", "put", "patch", "delete")
MISSING_ID = 2_000_000_000  # an id no object has
SCHEMA = api.get_openapi_schema()


def write_operations() -> list[tuple[str, str]]:
    return [
        (method, path)
        for path, operations in SCHEMA["paths"].items()
        for method in operations
        if method in WRITES
    ]


def resolve(schema: dict) -> dict:
    """The schema a reference names; of an optional body (``X | None``), X's."""
    while "$ref" in schema or ("anyOf" in schema and "properties" not in schema):
        if "$ref" in schema:
            schema = SCHEMA["components"]["schemas"][schema["$ref"].rsplit("/", 1)[-1]]
        else:
            options = [option for option in schema["anyOf"] if option.get("type") != "null"]
            if len(options) != 1 or "$ref" not in options[0]:
                break
            schema = options[0]
    return schema


def example(schema: dict):
    """A value that the JSON schema accepts: each required field with a value of its type."""
    schema = resolve(schema)
    if "anyOf" in schema:
        return example(next(s for s in schema["anyOf"] if s.get("type") != "null"))
    if "allOf" in schema:
        return example(schema["allOf"][0])
    if "enum" in schema:
        return schema["enum"][0]
    kind = schema.get("type")
    if kind == "object":
        return {
            name: example(field)
            for name, field in schema.get("properties", {}).items()
            if name in schema.get("required", [])
        }
    if kind == "array":
        return []
    if kind == "integer":
        return 1
    if kind == "number":
        return 1.0
    if kind == "boolean":
        return True
    return {"date": "2024-01-01", "date-time": "2024-01-01T00:00:00", "time": "09:00:00"}.get(
        schema.get("format"), "x"
    )


def wrong_type(schema: dict) -> dict:
    """A body that the schema refuses: a field that is not an object given an object."""
    body = example(schema)
    name = next(
        name
        for name, field in schema["properties"].items()
        if resolve(field).get("type") not in ("object", None) or "anyOf" in field
    )
    return body | {name: {"not": "of its type"}}


def request_body(operation: dict) -> tuple[str, dict] | None:
    content = operation.get("requestBody", {}).get("content", {})
    for media_type, spec in content.items():
        return media_type, resolve(spec["schema"])
    return None


def path_parameters(path: str) -> list[str]:
    return re.findall(r"{(\w+)}", path)


def call(client: Client, method: str, path: str, operation: dict, body=None, ids=MISSING_ID, **extra):
    url = re.sub(r"{\w+}", str(ids), path)
    found = request_body(operation)
    if found is None:
        return getattr(client, method)(url, **extra)
    media_type, schema = found
    if body is None:
        body = example(schema)
    if media_type == "application/json":
        return getattr(client, method)(url, data=json.dumps(body), content_type="application/json", **extra)
    return getattr(client, method)(url, data=body, **extra)


def assert_detail(response, status: int):
    assert response.status_code == status, response.content
    body = response.json()
    assert set(body) == {"detail"}, body
    assert isinstance(body["detail"], str) and body["detail"], body


def assert_field_errors(response):
    assert response.status_code == 422, response.content
    body = response.json()
    assert set(body) == {"detail"}, body
    assert body["detail"], body
    for error in body["detail"]:
        assert set(error) == {"loc", "msg", "type"}, error
        assert isinstance(error["loc"], list) and error["loc"], error
        assert isinstance(error["msg"], str) and isinstance(error["type"], str), error


def declared(operation: dict) -> set[int]:
    return {int(status) for status in operation["responses"] if int(status) >= 400}


OPERATIONS = write_operations()


def test_there_are_write_operations_to_check():
    assert len(OPERATIONS) > 20


@pytest.mark.parametrize(("method", "path"), OPERATIONS)
def test_each_write_declares_its_errors_in_the_shared_shapes(method, path):
    operation = SCHEMA["paths"][path][method]
    expected = {401, 403}
    if path_parameters(path):
        expected |= {404}
    if path_parameters(path) or request_body(operation):
        expected |= {422}
    assert expected <= declared(operation), (method, path, declared(operation))
    for status, response in operation["responses"].items():
        if int(status) >= 400:
            reference = response["content"]["application/json"]["schema"]["$ref"]
            assert reference.endswith("/InvalidOut" if int(status) == 422 else "/ErrorOut"), (
                status,
                reference,
            )


@pytest.mark.parametrize(("method", "path"), OPERATIONS)
def test_each_declared_error_answers_in_its_shape(method, path, staff_user):
    operation = SCHEMA["paths"][path][method]
    statuses = declared(operation)

    assert_detail(call(Client(), method, path, operation), 401)

    if 403 in statuses:
        # A session write without its CSRF token: refused to everyone, whatever the object.
        guarded = Client(enforce_csrf_checks=True)
        guarded.force_login(staff_user)
        assert_detail(call(guarded, method, path, operation), 403)

    staff = Client()
    staff.force_login(staff_user)
    if 404 in statuses and path_parameters(path):
        assert_detail(call(staff, method, path, operation), 404)

    if 422 in statuses:
        found = request_body(operation)
        if found and found[0] == "application/json":
            invalid = call(staff, method, path, operation, body=wrong_type(found[1]), ids=1)
        elif found:
            invalid = call(staff, method, path, operation, body={}, ids=1)  # its required fields left out
        else:
            invalid = call(staff, method, path, operation, ids="not-a-number")
        assert_field_errors(invalid)


class TinyApi:
    def __init__(self):
        self.handlers = {}

    def add_exception_handler(self, exception, handler):
        self.handlers[exception] = handler


@pytest.mark.parametrize(
    ("error", "status", "body"),
    [
        (PermissionDenied(), 403, {"detail": "Forbidden"}),
        (PermissionDenied("Staff only."), 403, {"detail": "Staff only."}),
        (Conflict("Someone changed it meanwhile."), 409, {"detail": "Someone changed it meanwhile."}),
        (
            ValidationError({"name_en": "Too long."}),
            422,
            {"detail": [{"loc": ["body", "payload", "name_en"], "msg": "Too long.", "type": "invalid"}]},
        ),
        (
            ValidationError("Not both."),
            422,
            {"detail": [{"loc": ["body", "payload"], "msg": "Not both.", "type": "invalid"}]},
        ),
    ],
)
def test_a_service_refusal_answers_in_the_one_shape(error, status, body):
    tiny = TinyApi()
    register_error_handlers(tiny)
    handler = next(handler for kind, handler in tiny.handlers.items() if isinstance(error, kind))

    response = handler(RequestFactory().post("/api/v1/"), error)

    assert response.status_code == status
    assert json.loads(response.content) == body


def test_the_index_lists_the_resources_for_anyone():
    response = Client().get("/api/v1/")

    assert response.status_code == 200
    body = response.json()
    names = {resource["name"] for resource in body["resources"]}
    assert {"organizations", "people", "agreements", "programs", "outcomes"} <= names
    assert all(resource["url"].startswith("http://testserver/api/v1/") for resource in body["resources"])
    assert body["openapi"] == "http://testserver/api/v1/openapi.json"
    assert body["docs"] == "http://testserver/api/v1/docs"
    for resource in body["resources"]:
        assert Client().get(resource["url"]).status_code in (200, 401, 422), (
            resource
        )  # search needs its query
