"""Who sees matching's entries in an organization's history (see ``dari.accounts.history``).

Matching logs its use cases on the organization: a changed matching profile is seen by those who may
read the profile; a relevance mark by the user who made it (and staff): it tunes their suggestions
only. A candidate is named only to viewers who may see that organization. (Meeting requests, whose
entries are still named ``matching.meeting_request.*``, are partnering's rules.)
"""

from django.utils.translation import gettext_lazy as _

from dari.accounts import history
from dari.accounts.history import LEFT_OUT, SHOWN
from dari.registry.models import Organization

from .models import Feedback, MatchingProfile
from .permissions import can_view_matching_profile

organization_names = history.visible_names(Organization.objects.visible_to)


def profile_entries(viewer, entry):
    shown = viewer.once("matching.profile", lambda: can_view_matching_profile(viewer.user, viewer.obj))
    return SHOWN if shown else LEFT_OUT


def feedback_entries(viewer, entry):
    return SHOWN if viewer.sees_everything or viewer.made(entry) else LEFT_OUT


history.register(Organization, "matching.profile.", profile_entries, labels=MatchingProfile)
history.register(
    Organization,
    "matching.feedback.",
    feedback_entries,
    references={"candidate": organization_names},
    labels=Feedback,
)
history.register_verbs(
    {
        "matching.profile.changed": _("Matching profile changed"),
        "matching.feedback.marked": _("Suggestion marked"),
        "matching.feedback.cleared": _("Suggestion mark cleared"),
    }
)
