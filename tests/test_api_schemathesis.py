"""A bounded property-based run of the whole API from its OpenAPI schema: no input, however odd,
gives a server error. Runs as staff (who reaches every write path) and as an anonymous caller."""

import base64
import os

import pytest
import schemathesis
from django.apps import apps
from hypothesis import HealthCheck, Phase, settings
from hypothesis import strategies as st
from schemathesis import GenerationMode

from dari.wsgi import application

from .factories import TEST_PASSWORD, UserFactory

schema = schemathesis.openapi.from_wsgi("/api/v1/openapi.json", application)
# Examples per operation: a bounded run in CI; DARI_FUZZ_EXAMPLES=200 for a longer one (README).
EXAMPLES = int(os.environ.get("DARI_FUZZ_EXAMPLES", "12"))


@pytest.fixture
def staff_basic_auth(db, scenario):
    UserFactory(username="fuzz-staff", is_staff=True)
    token = base64.b64encode(f"fuzz-staff:{TEST_PASSWORD}".encode()).decode()
    return {"Authorization": f"Basic {token}"}


@pytest.mark.slow
@pytest.mark.django_db(transaction=True)
@schema.parametrize()
@settings(max_examples=EXAMPLES, deadline=None, suppress_health_check=list(HealthCheck), derandomize=True)
def test_no_server_error_as_staff(case, staff_basic_auth):
    response = case.call(headers=staff_basic_auth)

    assert response.status_code < 500, (case.method, case.formatted_path, response.text[:500])
    assert response.status_code not in {401, 403}, (case.method, case.formatted_path, response.text[:200])


@pytest.mark.slow
@pytest.mark.django_db(transaction=True)
@schema.parametrize()
@settings(
    max_examples=max(1, EXAMPLES // 2),
    deadline=None,
    suppress_health_check=list(HealthCheck),
    derandomize=True,
)
def test_no_server_error_anonymous(case, scenario):
    response = case.call()

    assert response.status_code < 500, (case.method, case.formatted_path, response.text[:500])
    if case.method != "GET":
        assert response.status_code in {401, 403, 404, 405, 422}, (case.method, case.formatted_path)


# Text no one can store or mean: a lone surrogate (JSON carries it as "\ud800"), NUL, ESC, a line break,
# and the invisible characters removed from names (right-to-left override, zero-width space, BOM).
UNCLEAN_TEXT = ["\ud800", "\x00", "\x1b", "\n", "\u202e", "\u200b", "\ufeff"]
# A query string or a form is UTF-8, which cannot carry a lone surrogate.
UNCLEAN_UTF8 = [character for character in UNCLEAN_TEXT if character != "\ud800"]
SEARCHED = ("/organizations", "/people", "/agreements", "/programs", "/outcomes", "/search")


# Ids in paths and bodies name existing rows, so that the unclean text reaches the services.
EXISTING = {
    "organization_id": "registry.Organization",
    "candidate_id": "registry.Organization",
    "subject_id": "registry.Organization",
    "object_id": "registry.Organization",
    "organization": "registry.Organization",
    "owner": "registry.Organization",
    "person_id": "registry.Person",
    "head": "registry.Person",
    "signatory": "registry.Person",
    "affiliation_id": "registry.Affiliation",
    "agreement_id": "agreements.Agreement",
    "item_id": "agreements.ActionItem",
    "request_id": "partnering.MeetingRequest",
}


def existing(key: str, value) -> st.SearchStrategy:
    """An id of a row that exists when the example is drawn, for an id field; ``value`` otherwise."""
    if key in EXISTING and isinstance(value, int):
        ids = list(apps.get_model(EXISTING[key]).objects.values_list("pk", flat=True)[:50])
        if ids:
            return st.sampled_from(ids)
    return st.just(value)


def with_unclean_text(value, characters: list[str]) -> st.SearchStrategy:
    """``value`` with one of ``characters`` put somewhere into each string in it, and existing ids."""
    if isinstance(value, str):
        return st.tuples(st.integers(0, len(value)), st.sampled_from(characters)).map(
            lambda where: value[: where[0]] + where[1] + value[where[0] :]
        )
    if isinstance(value, dict):
        return st.fixed_dictionaries(
            {
                key: existing(key, item) if key in EXISTING else with_unclean_text(item, characters)
                for key, item in value.items()
            }
        )
    if isinstance(value, list):
        return st.tuples(*(with_unclean_text(item, characters) for item in value)).map(list)
    return st.just(value)


def writes_and_searches(context) -> bool:
    operation = context.operation
    return operation.method.upper() in ("POST", "PATCH", "PUT") or operation.path.endswith(SEARCHED)


unclean_schema = schemathesis.openapi.from_wsgi("/api/v1/openapi.json", application).include(
    writes_and_searches
)
# Valid inputs only, so that most reach the services with their unclean text.
unclean_schema.config.generation.update(modes=[GenerationMode.POSITIVE])


@unclean_schema.hook
def flatmap_body(context, body):
    is_json = all(payload.media_type == "application/json" for payload in context.operation.body)
    return with_unclean_text(body, UNCLEAN_TEXT if is_json else UNCLEAN_UTF8)


@unclean_schema.hook
def flatmap_path_parameters(context, path_parameters):
    parameters = path_parameters or {}
    return st.fixed_dictionaries({key: existing(key, value) for key, value in parameters.items()})


@unclean_schema.hook
def flatmap_query(context, query):
    return with_unclean_text(query, UNCLEAN_UTF8)


@pytest.mark.slow
@pytest.mark.django_db(transaction=True)
@unclean_schema.parametrize()
# Generated examples only: the hooks do not apply to the schema's examples or the coverage phase.
@settings(
    max_examples=20,
    phases=[Phase.generate],
    deadline=None,
    suppress_health_check=list(HealthCheck),
    derandomize=True,
)
def test_no_server_error_on_unclean_text_as_staff(case, staff_basic_auth):
    """Every write and search, each string of its input carrying one unclean character."""
    response = case.call(headers=staff_basic_auth)

    assert response.status_code < 500, (case.method, case.formatted_path, case.body, response.text[:500])


# Sequences of calls, each later call fed with ids from an earlier answer (schemathesis infers the
# links from the schema: a list's items' ids to the operations on one item, a created row's id to its
# sub-resources), so that the calls reach real rows of the scenario and of the run itself instead of
# answering 404 to random ids. Examples (sequences) per run: DARI_FUZZ_SEQUENCES (README).
SEQUENCES = int(os.environ.get("DARI_FUZZ_SEQUENCES", "10"))
StatefulAPI = schemathesis.openapi.from_wsgi("/api/v1/openapi.json", application).as_state_machine()


class StaffSequences(StatefulAPI):
    headers: dict[str, str] = {}

    def get_call_kwargs(self, case):
        return {"headers": self.headers}

    def validate_response(self, response, case, **kwargs):
        assert response.status_code < 500, (case.method, case.formatted_path, case.body, response.text[:500])
        assert response.status_code not in {401, 403}, (case.method, case.formatted_path)


@pytest.mark.slow
@pytest.mark.django_db(transaction=True)
def test_no_server_error_in_sequences_of_calls_as_staff(staff_basic_auth):
    # The links inferred (about 1,000), one hypothesis rule each.
    assert sum(hasattr(rule, "hypothesis_stateful_rule") for rule in vars(StatefulAPI).values()) > 500
    StaffSequences.headers = staff_basic_auth
    StaffSequences.run(
        settings=settings(
            max_examples=SEQUENCES,
            stateful_step_count=8,
            deadline=None,
            suppress_health_check=list(HealthCheck),
            derandomize=True,
        )
    )
