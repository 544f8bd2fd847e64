"""Who may run events, register delegates, and answer and withdraw meeting requests. Pages, the API
and services ask these; asking for a meeting from a suggestion is for those who see the subject's
suggestions (``dari.matching.permissions``), at an event for those who act for the subject there."""

from dari.accounts.access import access_for
from dari.matching.permissions import can_view_suggestions


def can_create_event(user) -> bool:
    return access_for(user).sees_everything


def can_change_event(user, event) -> bool:
    """Staff and the event's organizers set it up and move its status."""
    access = access_for(user)
    return access.sees_everything or event.pk in access.organized_event_ids


def can_act_for(user, event, organization) -> bool:
    """Who acts for ``organization`` at ``event`` (registers its delegates, asks and answers its
    meetings there): its own members, the event's organizers and staff."""
    access = access_for(user)
    return access.is_authenticated and (
        organization.pk in access.organization_ids or can_change_event(user, event)
    )


def can_mark_availability(user, delegate) -> bool:
    """The delegate themself, their organization's members, the event's organizers and staff."""
    return bool(user and user.is_authenticated) and (
        delegate.user_id == user.pk or can_act_for(user, delegate.event, delegate.organization)
    )


def can_answer_meeting_request(user, request) -> bool:
    """The requested organization's own members, and staff, accept or decline a request (and
    propose other delegates, at an event, where its organizers may too)."""
    access = access_for(user)
    return access.is_authenticated and (
        access.sees_everything
        or request.candidate_id in access.organization_ids
        or (request.event_id is not None and request.event_id in access.organized_event_ids)
    )


def can_withdraw_meeting_request(user, request) -> bool:
    """Whoever made the request, and the people who act on the subject's suggestions."""
    if request.event_id is not None and can_act_for(user, request.event, request.subject):
        return True
    return bool(user and user.is_authenticated) and (
        request.requested_by_id == user.pk or can_view_suggestions(user, request.subject)
    )


def can_move_meeting_request(user, request, status: str) -> bool:
    """Withdrawing, and accepting the other delegates the requested side proposed, are the requesting
    side's; any other move (an answer) the requested side's."""
    if status == "withdrawn" or (status == "accepted" and request.status == "proposed"):
        return can_withdraw_meeting_request(user, request)
    return can_answer_meeting_request(user, request)


def report_sides(user, meeting) -> list[int]:
    """The sides of ``meeting`` (organization ids) ``user`` reports for: the sides they are a member
    of, and the side they attend as one of its delegates. Not the organizers, not staff as such: a
    report is a side's own word."""
    access = access_for(user)
    if not access.is_authenticated:
        return []
    request = meeting.request
    sides = (request.subject_id, request.candidate_id)
    attending = {
        delegate.organization_id for delegate in request.delegates.all() if delegate.user_id == user.pk
    }
    return [side for side in sides if side in access.organization_ids or side in attending]


def can_report_meeting(user, meeting, organization_id: int) -> bool:
    return organization_id in report_sides(user, meeting)


def can_read_report_note(user, report) -> bool:
    """A report's note is for its own side (members, its delegates at the meeting) and staff."""
    return access_for(user).sees_everything or can_report_meeting(
        user, report.meeting, report.organization_id
    )


def can_view_event_analytics(user, event) -> bool:
    """The event's organizers and staff."""
    return can_change_event(user, event)
