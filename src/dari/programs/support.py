"""Cohort support (issue 17, item 6): each participating startup's milestone plan and the services
delivered to it (mentoring sessions, regulatory consulting, clinical pilots, investor
introductions, market studies).

The rules, enforced here for pages and API alike:

- The program's managers and staff write both (``can_manage_support``); the startup's members read
  their own startup's rows and mark its milestones done, or planned again (``can_mark_milestone``);
  reviewers and anyone else read nothing (``SupportQuerySet.visible_to``).
- A milestone's status moves by :func:`set_milestone_status` only: done carries the day it was done
  (today in the writer's zone when not given), planned and missed carry none.
- A service's provider, when it names a registry organization or person, must be one the writer
  may see; its hours are from 0 to ``MAX_SERVICE_HOURS``; dates lie within ``validate_in_range``.

Each use case runs in one transaction, checks permission first (``PermissionDenied``), validates
(``ValidationError``) and writes one audit entry.
"""

from __future__ import annotations

from zoneinfo import ZoneInfo

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from dari.accounts import audit
from dari.accounts.audit import Actor, log_action
from dari.core.services import Fields, lock, require
from dari.core.time import viewer_zones
from dari.core.transitions import Transitions
from dari.registry.models import Organization, Person

from .models import Milestone, Participant, ServiceDelivery
from .permissions import can_manage_support, can_mark_milestone

MILESTONE = Fields(
    creatable=("title_ko", "title_en", "due_on", "notes"), also_audited=("participant", "status", "done_on")
)
SERVICE = Fields(
    creatable=(
        "kind",
        "delivered_on",
        "provider_organization",
        "provider_person",
        "provider_name",
        "hours",
        "notes",
        "follow_up",
    ),
    also_audited=("participant",),
)

MilestoneStatus = Milestone.Status
#: A milestone is planned, then done or missed; either may be set back to planned (a mistake, a
#: new date), and a missed milestone may still be done late.
MILESTONE_STATUS = Transitions(
    MilestoneStatus,
    {
        MilestoneStatus.PLANNED: {MilestoneStatus.DONE, MilestoneStatus.MISSED},
        MilestoneStatus.DONE: {MilestoneStatus.PLANNED},
        MilestoneStatus.MISSED: {MilestoneStatus.PLANNED, MilestoneStatus.DONE},
    },
    field="status",
    refusal=gettext_lazy("A milestone cannot go from %(old)s to %(new)s."),
)
#: What the startup's own members may set a milestone to.
MEMBER_STATUSES = (MilestoneStatus.DONE, MilestoneStatus.PLANNED)


def today_for(actor: Actor):
    """Today in the writer's zone (``viewer_zones``: their own, else the partnership's first)."""
    return timezone.localdate(timezone=ZoneInfo(viewer_zones(actor.user)[0]))


def require_manager(actor: Actor, participant: Participant) -> None:
    require(
        actor.is_system or can_manage_support(actor.user, participant),
        _("Only the program's managers change a startup's plan and services."),
    )


# --- milestones --------------------------------------------------------------------------------------


@transaction.atomic
def add_milestone(actor: Actor, participant: Participant, values: dict) -> Milestone:
    """A planned milestone of ``participant`` (``MILESTONE.creatable``: a title in either language,
    ``due_on``, ``notes``). Allowed: staff and the program's managers. Audit:
    programs.milestone.created."""
    require_manager(actor, participant)
    milestone = Milestone(participant=participant)
    return audit.create(actor, milestone, values, MILESTONE, "programs.milestone.created")


@transaction.atomic
def update_milestone(
    actor: Actor, milestone: Milestone, values: dict, *, version: int | None = None
) -> Milestone:
    """Change a milestone's title, due date and notes from the ``version`` the editor saw; given
    ``status`` (and ``done_on``), move it by :func:`set_milestone_status` too. Allowed: staff and the
    program's managers. Audit: programs.milestone.changed with the changed fields, if any."""
    require_manager(actor, milestone.participant)
    values = dict(values)
    status, done_on = values.pop("status", None), values.pop("done_on", None)
    milestone = audit.update(
        actor, milestone, values, MILESTONE, "programs.milestone.changed", version=version
    )
    if status is not None:
        milestone = set_milestone_status(actor, milestone, status, done_on=done_on)
    return milestone


@transaction.atomic
def set_milestone_status(actor: Actor, milestone: Milestone, status: str, *, done_on=None) -> Milestone:
    """Move ``milestone`` to ``status`` along ``MILESTONE_STATUS``. Allowed: staff and the program's
    managers; the startup's members to done or back to planned.

    Side effects, in one transaction: ``status`` saved with ``done_on`` (the day given, else today
    in the writer's zone, when done; empty otherwise); one audit entry
    programs.milestone.status_changed with the status (and done date) before and after. The same
    status again changes only a different done date given with it; nothing is sent to anyone.
    Raises ``PermissionDenied`` or ``ValidationError`` (nothing written)."""
    allowed = can_manage_support(actor.user, milestone.participant) or (
        status in MEMBER_STATUSES and can_mark_milestone(actor.user, milestone)
    )
    require(actor.is_system or allowed, _("You may not change this milestone's status."))
    if status not in MilestoneStatus.values:
        raise ValidationError({"status": _("Unknown status %(status)s.") % {"status": status}})
    milestone = lock(milestone)
    if status == MilestoneStatus.DONE:
        done_on = done_on or milestone.done_on or today_for(actor)
    else:
        done_on = None
    if status == milestone.status and done_on == milestone.done_on:
        return milestone
    if status != milestone.status:
        MILESTONE_STATUS.check(milestone.status, status)
    changes = audit.diff(
        audit.snapshot(milestone, ["status", "done_on"]),
        {"status": status, "done_on": done_on.isoformat() if done_on else None},
    )
    milestone.status, milestone.done_on = status, done_on
    milestone.full_clean()
    milestone.save(update_fields=["status", "done_on"])
    log_action(actor, "programs.milestone.status_changed", milestone, changes)
    return milestone


@transaction.atomic
def delete_milestone(actor: Actor, milestone: Milestone) -> None:
    """Delete a milestone. Allowed: staff and the program's managers. Audit:
    programs.milestone.deleted with what it held."""
    require_manager(actor, milestone.participant)
    audit.delete(actor, milestone, MILESTONE, "programs.milestone.deleted")


# --- services delivered ------------------------------------------------------------------------------


def check_provider(actor: Actor, values: dict) -> None:
    """A provider named from the registry must be one the writer may see (else: as if unknown)."""
    if actor.is_system:
        return
    checks = (("provider_organization", Organization), ("provider_person", Person))
    for field, model in checks:
        value = values.get(field)
        if value is not None and not model.objects.visible_to(actor.user).filter(pk=value.pk).exists():
            raise ValidationError({field: _("Choose a provider from the registry that you can see.")})


@transaction.atomic
def add_service(actor: Actor, participant: Participant, values: dict) -> ServiceDelivery:
    """Record a service delivered to ``participant`` (``SERVICE.creatable``). Allowed: staff and the
    program's managers. Audit: programs.service.created."""
    require_manager(actor, participant)
    check_provider(actor, values)
    service = ServiceDelivery(participant=participant)
    return audit.create(actor, service, values, SERVICE, "programs.service.created")


@transaction.atomic
def update_service(
    actor: Actor, service: ServiceDelivery, values: dict, *, version: int | None = None
) -> ServiceDelivery:
    """Change a service delivered from the ``version`` the editor saw. Allowed: staff and the
    program's managers. Audit: programs.service.changed with the changed fields, if any."""
    require_manager(actor, service.participant)
    check_provider(actor, values)
    return audit.update(actor, service, values, SERVICE, "programs.service.changed", version=version)


@transaction.atomic
def delete_service(actor: Actor, service: ServiceDelivery) -> None:
    """Delete a service delivered. Allowed: staff and the program's managers. Audit:
    programs.service.deleted with what it held."""
    require_manager(actor, service.participant)
    audit.delete(actor, service, SERVICE, "programs.service.deleted")
