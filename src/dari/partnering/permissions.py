"""Who may answer and withdraw meeting requests. Pages, the API and services ask these; asking for
a meeting is for those who see the subject's suggestions (``dari.matching.permissions``)."""

from dari.accounts.access import access_for
from dari.matching.permissions import can_view_suggestions


def can_answer_meeting_request(user, request) -> bool:
    """The requested organization's own members, and staff, accept or decline a request."""
    access = access_for(user)
    return access.is_authenticated and (
        access.sees_everything or request.candidate_id in access.organization_ids
    )


def can_withdraw_meeting_request(user, request) -> bool:
    """Whoever made the request, and the people who act on the subject's suggestions."""
    return bool(user and user.is_authenticated) and (
        request.requested_by_id == user.pk or can_view_suggestions(user, request.subject)
    )


def can_move_meeting_request(user, request, status: str) -> bool:
    """Withdrawing is the requesting side's; any other move (an answer) the requested side's."""
    if status == "withdrawn":
        return can_withdraw_meeting_request(user, request)
    return can_answer_meeting_request(user, request)
