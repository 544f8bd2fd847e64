"""The suggestions panel on the organization page (registered here: the registry cannot import matching)."""

from dari.core.panels import Panel, organization_panels
from dari.engines.matching.profiles import PARTNER_KINDS, STARTUP_KIND

from .permissions import can_change_matching_profile, can_view_suggestions

PANEL_SUGGESTIONS = 5


@organization_panels.register(order=50)
def suggestions_for_organization(request, organization):
    """The top suggestions, for startups and partners only, to those who may see them."""
    if organization.kind not in (STARTUP_KIND, *PARTNER_KINDS):
        return None
    if not can_view_suggestions(request.user, organization):
        return None
    from . import engine
    from .actions import suggestion_actions

    return Panel(
        "matching/_organization_panel.html",
        {
            "subject": organization,
            "is_startup": organization.kind == STARTUP_KIND,
            "suggestions": engine.suggestions(request.user, organization, k=PANEL_SUGGESTIONS),
            "can_edit_profile": can_change_matching_profile(request.user, organization),
            "index_ready": engine.is_ready(),
            "suggestion_actions": suggestion_actions(request.user, organization),
        },
    )
