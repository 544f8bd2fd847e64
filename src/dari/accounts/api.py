"""The signed-in caller's own account, for scripts: ``/api/v1/me/...``."""

from typing import Any

from ninja import Router

from dari.core.api import ErrorOut, signed_in

from . import services

me_router = Router(tags=["accounts"])


@me_router.get(
    "/data",
    response={200: dict[str, Any], 401: ErrorOut},
    auth=signed_in,
    summary="Everything Dari holds about me",
)
def my_personal_data(request):
    """The same JSON as the profile page's "Download my data": account, memberships, invitations,
    registration requests, API tokens (never their hashes), audit entries, linked registry person."""
    return services.export_personal_data(request.user)
