"""Who sees the entries of a membership's history (see ``dari.accounts.history``): who holds which
role where is shown to the member themself and to those who may grant or revoke that role (staff,
the organization's administrators, the program's managers), never to the public."""

from django.utils.translation import gettext_lazy as _

from . import history
from .history import LEFT_OUT, SHOWN
from .models import Membership
from .services.memberships import can_grant


def may_grant(user, membership) -> bool:
    return can_grant(user, membership.role, membership.scope)


def membership_entries(viewer, entry):
    if viewer.is_insider or (viewer.user_id is not None and viewer.user_id == viewer.obj.user_id):
        return SHOWN
    return LEFT_OUT


history.register_insiders(Membership, may_grant)
history.register(
    Membership, "accounts.membership.", membership_entries, references={"user": history.usernames}
)
history.register_verbs(
    {
        "accounts.membership.granted": _("Role granted"),
        "accounts.membership.revoked": _("Role revoked"),
    }
)
