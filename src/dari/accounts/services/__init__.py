"""Account use cases. Each runs in one transaction, checks permission and writes an audit entry;
the web pages, the API and the CLI all call these functions."""

from .api_tokens import create_api_token, revoke_api_token
from .invitations import accept_invitation, find_invitation, invite, revoke_invitation
from .memberships import can_grant, ensure_demo_superuser, grant_membership, revoke_membership, scope_parts
from .personal_data import delete_account, export_personal_data
from .profile import send_verification_email, update_profile, verify_email
from .registrations import approve_registration, can_decide_registration, register, reject_registration

__all__ = [
    "accept_invitation",
    "approve_registration",
    "can_decide_registration",
    "can_grant",
    "create_api_token",
    "delete_account",
    "ensure_demo_superuser",
    "export_personal_data",
    "find_invitation",
    "grant_membership",
    "invite",
    "register",
    "reject_registration",
    "revoke_api_token",
    "revoke_invitation",
    "revoke_membership",
    "scope_parts",
    "send_verification_email",
    "update_profile",
    "verify_email",
]
