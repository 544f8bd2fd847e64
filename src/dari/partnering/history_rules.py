"""Who sees meeting requests' entries in an organization's history (see ``dari.accounts.history``).

A request made, answered or withdrawn is logged on the requesting organization, under the names it
had in matching (``matching.meeting_request.*``), and seen by those who see the request in the
meeting-request list and API. A candidate is named only to viewers who may see that organization.
"""

from django.utils.translation import gettext_lazy as _

from dari.accounts import history
from dari.accounts.history import LEFT_OUT, SHOWN
from dari.registry.models import Organization

from .models import MeetingRequest

organization_names = history.visible_names(Organization.objects.visible_to)


def visible_requests(viewer) -> tuple[set[int], set[int]]:
    """The ids of the subject's meeting requests the viewer sees, and of their candidates."""
    rows = MeetingRequest.objects.visible_to(viewer.user).filter(subject=viewer.obj)
    pairs = list(rows.values_list("pk", "candidate_id"))
    return {pk for pk, _candidate in pairs}, {candidate for _pk, candidate in pairs}


def meeting_request_entries(viewer, entry):
    """An answer names its request; a request made or withdrawn only its candidate, and the viewer
    sees it when they see a request of this organization to that candidate."""
    requests, candidates = viewer.once("matching.meeting_requests", lambda: visible_requests(viewer))
    request_id = last_value(entry.changes.get("request"))
    if request_id is not None:
        return SHOWN if request_id in requests else LEFT_OUT
    candidate_id = last_value(entry.changes.get("candidate"))
    return SHOWN if candidate_id in candidates else LEFT_OUT


def last_value(values):
    """The id an entry's ``[old, new]`` names: the new one, else the old one."""
    if isinstance(values, list):
        return next((value for value in reversed(values) if value is not None), None)
    return values


def request_ids(viewer, ids: set[int]) -> dict[int, object]:
    requests, _candidates = viewer.once("matching.meeting_requests", lambda: visible_requests(viewer))
    return {pk: pk for pk in ids & requests}


history.register(
    Organization,
    "matching.meeting_request.",
    meeting_request_entries,
    references={"candidate": organization_names, "request": request_ids},
    labels=MeetingRequest,
)
history.register_verbs(
    {
        "matching.meeting_request.created": _("Meeting requested"),
        "matching.meeting_request.accepted": _("Meeting request accepted"),
        "matching.meeting_request.declined": _("Meeting request declined"),
        "matching.meeting_request.withdrawn": _("Meeting request withdrawn"),
    }
)
