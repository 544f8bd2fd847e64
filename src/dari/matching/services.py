"""Matching use cases: keep a matching profile, mark a suggestion relevant or not. (Meeting
requests made from suggestions are partnering's: ``dari.partnering.services``.)

Each function runs in one transaction, checks the actor's permission (``PermissionDenied``),
validates (``ValidationError`` with field errors) and records an audit entry
(``matching.<model>.<verb>``). A changed profile schedules an index refresh after the commit.
"""

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils.translation import gettext as _

from dari.accounts import audit
from dari.accounts.audit import Actor, log_action
from dari.core.services import Fields, require
from dari.registry.models import Organization

from .models import Feedback, MatchingProfile
from .permissions import can_change_matching_profile, can_view_suggestions

PROFILE = Fields(
    creatable=(
        "stage",
        "amount_sought_usd",
        "needs_ko",
        "needs_en",
        "thesis_ko",
        "thesis_en",
        "check_min_usd",
        "check_max_usd",
        "stages_of_interest",
        "regions_of_interest",
    )
)


@transaction.atomic
def update_matching_profile(actor: Actor, organization: Organization, values: dict) -> MatchingProfile:
    """Create or change ``organization``'s matching profile with ``values`` (fields of
    ``PROFILE.creatable``); returns it. Audit: matching.profile.changed, in the organization's
    history. A change schedules an index refresh after the commit."""
    require(
        can_change_matching_profile(actor.user, organization),
        _("You may not change this organization's matching profile."),
    )
    profile, _created = MatchingProfile.objects.get_or_create(organization=organization)
    profile = audit.update(actor, profile, values, PROFILE, "matching.profile.changed", about=organization)
    if profile.audited_changes:
        from .tasks import schedule_index_refresh

        schedule_index_refresh()
    return profile


@transaction.atomic
def mark_suggestion(
    actor: Actor, subject: Organization, candidate: Organization, is_relevant: bool
) -> Feedback:
    """Record the actor's verdict on ``candidate`` as a suggestion for ``subject`` (one per pair;
    a new mark replaces the old). The caller has checked the actor may see ``candidate``."""
    require(actor.user is not None and can_view_suggestions(actor.user, subject), _("You may not do this."))
    if subject.pk == candidate.pk:
        raise ValidationError({"candidate": _("An organization is not a suggestion for itself.")})
    feedback, created = Feedback.objects.update_or_create(
        user=actor.user, subject=subject, candidate=candidate, defaults={"is_relevant": is_relevant}
    )
    log_action(
        actor,
        "matching.feedback.marked",
        subject,
        {"candidate": [None, candidate.pk], "is_relevant": [None, is_relevant]},
    )
    return feedback


@transaction.atomic
def clear_mark(actor: Actor, subject: Organization, candidate: Organization) -> bool:
    """Remove the actor's mark on ``candidate`` for ``subject``; returns whether there was one."""
    require(actor.user is not None and can_view_suggestions(actor.user, subject), _("You may not do this."))
    deleted, _rows = Feedback.objects.filter(user=actor.user, subject=subject, candidate=candidate).delete()
    if deleted:
        log_action(actor, "matching.feedback.cleared", subject, {"candidate": [candidate.pk, None]})
    return bool(deleted)
