"""The Dari API, ``/api/v1/``. Each app contributes routers; lists are ``{"items": [...], "count": N}``."""

from django.db import DataError
from ninja import NinjaAPI

from dari import __version__
from dari.accounts.api import me_router
from dari.agreements.api import router as agreements_router
from dari.core.api import out_of_range
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

api = NinjaAPI(
    title="Dari API",
    version=__version__,
    description=(
        "Read the registry, agreements, programs and outcomes of a cross-border bio-industry partnership. "
        "Bilingual fields come as *_ko/*_en; datetimes are ISO 8601 in the event's own zone, with the IANA "
        "zone in a sibling field. Anonymous callers see public records only."
    ),
    urls_namespace="api-v1",
)
api.add_exception_handler(OverflowError, out_of_range)
api.add_exception_handler(DataError, out_of_range)
api.add_router("/clusters", clusters_router)
api.add_router("/organizations", organizations_router)
api.add_router("/people", people_router)
api.add_router("/affiliations", affiliations_router)
api.add_router("/relationships", relationships_router)
api.add_router("/agreements", agreements_router)
api.add_router("/action-items", "dari.agreements.api.action_items_router")
api.add_router("/programs", programs_router)
api.add_router("/outcomes", outcomes_router)
api.add_router("/jobs", jobs_router)
api.add_router("/me", me_router)
api.add_router("/files", "dari.files.api.router")
api.add_router("/search", "dari.matching.api.search_router")
api.add_router("/organizations", "dari.matching.api.router")
api.add_router("/meeting-requests", "dari.matching.api.meeting_router")
api.add_router("/notifications", "dari.notifications.api.router")
