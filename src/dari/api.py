"""The Dari API, ``/api/v1/``. Each app contributes routers; lists are ``{"items": [...], "count": N}``."""

from functools import cache

from django.urls import reverse
from ninja import NinjaAPI, Schema

from dari import __version__
from dari.accounts.api import me_router
from dari.agreements.api import router as agreements_router
from dari.core.api import register_error_handlers
from dari.jobs.api import router as jobs_router
from dari.outcomes.api import router as outcomes_router
from dari.programs.api import router as programs_router
from dari.registry.api import (
    affiliations_router,
    clusters_router,
    organizations_router,
    people_router,
    relationships_router,
)

#: What every operation may answer when its caller is over the rate limit (dari.core.ratelimit).
TOO_MANY_REQUESTS = {
    "description": "Too many requests from this token, user or address this minute",
    "headers": {
        "Retry-After": {
            "description": "Seconds until the next minute's requests",
            "schema": {"type": "integer"},
        }
    },
    # The one error shape (dari.core.api.ErrorOut), which every operation's other errors declare too.
    "content": {"application/json": {"schema": {"$ref": "#/components/schemas/ErrorOut"}}},
}


class DariAPI(NinjaAPI):
    def get_openapi_schema(self, *args, **kwargs):
        """The document, with the rate limit's 429 declared on every operation."""
        schema = super().get_openapi_schema(*args, **kwargs)
        for operations in schema["paths"].values():
            for operation in operations.values():
                if isinstance(operation, dict) and "responses" in operation:
                    operation["responses"].setdefault(429, TOO_MANY_REQUESTS)
        return schema


api = DariAPI(
    title="Dari API",
    version=__version__,
    description=(
        "Read the registry, agreements, programs and outcomes of a cross-border bio-industry partnership. "
        "Bilingual fields come as *_ko/*_en; datetimes are ISO 8601 in the event's own zone, with the IANA "
        "zone in a sibling field. Anonymous callers see public records only."
    ),
    urls_namespace="api-v1",
)
register_error_handlers(api)
api.add_router("/clusters", clusters_router)
api.add_router("/organizations", organizations_router)
api.add_router("/people", people_router)
api.add_router("/affiliations", affiliations_router)
api.add_router("/relationships", relationships_router)
api.add_router("/agreements", agreements_router)
api.add_router("/action-items", "dari.agreements.api.action_items_router")
api.add_router("/programs", programs_router)
api.add_router("/calls", "dari.programs.api.calls_router")
api.add_router("/applications", "dari.programs.api.applications_router")
api.add_router("/calls", "dari.programs.review_api.call_reviews_router")
api.add_router("/reviews", "dari.programs.review_api.reviews_router")
api.add_router("/calls", "dari.programs.decision_api.call_decisions_router")
api.add_router("/applications", "dari.programs.decision_api.application_decision_router")
api.add_router("/participants", "dari.programs.support_api.participants_router")
api.add_router("/organizations", "dari.programs.support_api.history_router")
api.add_router("/outcomes", outcomes_router)
api.add_router("/jobs", jobs_router)
api.add_router("/me", me_router)
api.add_router("/files", "dari.files.api.router")
api.add_router("/search", "dari.matching.api.search_router")
api.add_router("/organizations", "dari.matching.api.router")
api.add_router("/organizations", "dari.partnering.api.router")
api.add_router("/meeting-requests", "dari.partnering.api.meeting_router")
api.add_router("/events", "dari.partnering.api.events_router")
api.add_router("/meetings", "dari.partnering.api.reports_router")
api.add_router("/notifications", "dari.notifications.api.router")
api.add_router("/kpis", "dari.reports.api.router")
api.add_router("/imports", "dari.exchange.api.imports_router")
api.add_router("/exports", "dari.exchange.api.exports_router")


class ResourceOut(Schema):
    name: str
    url: str


class IndexOut(Schema):
    resources: list[ResourceOut]
    openapi: str
    docs: str


@cache
def resource_paths() -> list[str]:
    """The API's collections: each path of one segment under the root that answers GET."""
    root = reverse("api-v1:api-root")
    paths = api.get_openapi_schema()["paths"]
    return sorted(
        path
        for path, operations in paths.items()
        if "get" in operations and path.startswith(root) and path != root and "/" not in path[len(root) :]
    )


@api.get("/", response=IndexOut, summary="The index of the API's resources", url_name="api-root")
def api_root(request):
    """Public: what the API offers, with the addresses of its OpenAPI document and its documentation."""
    return {
        "resources": [
            {"name": path.rsplit("/", 1)[-1], "url": request.build_absolute_uri(path)}
            for path in resource_paths()
        ],
        "openapi": request.build_absolute_uri(reverse("api-v1:openapi-json")),
        "docs": request.build_absolute_uri(reverse("api-v1:openapi-view")),
    }
