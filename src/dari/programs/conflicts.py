"""Conflicts of interest between reviewers and applicants, derived from what the registry knows and
from what reviewers declared. Read afresh every time (nothing derived is stored), so an affiliation
or an investment recorded today counts today.

A reviewer (a user) is in conflict with an organization when:

- the person linked to the reviewer's account works or worked there (an affiliation, with or
  without dates, ended or not; unconfirmed claims count too: a conflict only ever narrows);
- the reviewer is a member (or administrator) of it in Dari;
- one of the reviewer's organizations (those of the two rules above) invests in it, partners with
  it or is part of it, or it invests in, partners with or is part of that organization (registry
  relationships, whichever way they were recorded, ended or not: investments closed in the outcomes
  app reach the registry as ``invests_in`` relationships);
- the reviewer declared a conflict with it (recusal, with a reason).

:func:`conflicts_of` reads all of this for many reviewers in a fixed number of queries (five),
whatever their number; each conflict comes with its reasons, which managers are shown.
"""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass
from datetime import date
from types import SimpleNamespace

from django.contrib.contenttypes.models import ContentType
from django.db.models import Q
from django.utils.translation import gettext as _

from dari.accounts.access import ORGANIZATION_ROLES
from dari.accounts.models import Membership
from dari.core.bilingual import localized
from dari.registry.models import Affiliation, Organization, Relationship

from .models import DeclaredConflict

RELATIONSHIP_KINDS = (
    Relationship.Kind.INVESTS_IN,
    Relationship.Kind.PARTNERS_WITH,
    Relationship.Kind.PART_OF,
)


@dataclass(frozen=True)
class Reason:
    """Why a reviewer is in conflict with an organization. ``code``: ``worked_at``, ``member``,
    ``declared``, or a relationship seen from the reviewer's organization ``via``: ``invests_in``,
    ``partners_with``, ``part_of`` (``via`` … the applicant) or ``invested_by``, ``partnered_by``,
    ``has_part`` (the applicant … ``via``)."""

    code: str
    via: int | None = None
    via_name_ko: str = ""
    via_name_en: str = ""
    started_on: date | None = None
    ended_on: date | None = None
    text: str = ""

    def via_name(self) -> str:
        return str(localized(SimpleNamespace(name_ko=self.via_name_ko, name_en=self.via_name_en), "name"))

    def period(self) -> str:
        if self.started_on and self.ended_on:
            return f" ({self.started_on.isoformat()} – {self.ended_on.isoformat()})"
        if self.started_on:
            return " (%s)" % (_("since %(date)s") % {"date": self.started_on.isoformat()})
        if self.ended_on:
            return " (%s)" % (_("until %(date)s") % {"date": self.ended_on.isoformat()})
        return ""

    def describe(self) -> str:
        """The reason in the active language, for managers."""
        name = self.via_name()
        messages = {
            "worked_at": _("The reviewer works or worked at the applicant"),
            "member": _("The reviewer is a member of the applicant in Dari"),
            "declared": _("The reviewer declared a conflict: %(reason)s") % {"reason": self.text},
            "invests_in": _("%(organization)s, the reviewer's organization, invests in the applicant"),
            "partners_with": _("%(organization)s, the reviewer's organization, partners with the applicant"),
            "part_of": _("%(organization)s, the reviewer's organization, is part of the applicant"),
            "invested_by": _("The applicant invests in %(organization)s, the reviewer's organization"),
            "partnered_by": _("The applicant partners with %(organization)s, the reviewer's organization"),
            "has_part": _("The applicant is part of %(organization)s, the reviewer's organization"),
        }
        text = messages[self.code]
        if "%(organization)s" in text:
            text = text % {"organization": name}
        return text + self.period()


#: A relationship's kind, as a reason for the reviewer's side being its subject or its object.
AS_SUBJECT = {"invests_in": "invests_in", "partners_with": "partners_with", "part_of": "part_of"}
AS_OBJECT = {"invests_in": "invested_by", "partners_with": "partnered_by", "part_of": "has_part"}


def conflicts_of(user_ids) -> dict[int, dict[int, list[Reason]]]:
    """reviewer id → organization id → the reasons the reviewer is in conflict with it."""
    user_ids = list(user_ids)
    found: dict[int, dict[int, list[Reason]]] = {user_id: defaultdict(list) for user_id in user_ids}
    if not user_ids:
        return found
    own: dict[int, set[int]] = defaultdict(set)  # reviewer → their organizations
    affiliations = Affiliation.objects.filter(person__user_id__in=user_ids).values_list(
        "person__user_id", "organization_id", "started_on", "ended_on"
    )
    for user_id, organization_id, started_on, ended_on in affiliations:
        own[user_id].add(organization_id)
        found[user_id][organization_id].append(Reason("worked_at", started_on=started_on, ended_on=ended_on))
    memberships = Membership.objects.filter(
        user_id__in=user_ids,
        role__in=ORGANIZATION_ROLES,
        scope_type=ContentType.objects.get_for_model(Organization),
    ).values_list("user_id", "scope_id")
    for user_id, organization_id in set(memberships):
        own[user_id].add(organization_id)
        found[user_id][organization_id].append(Reason("member"))
    theirs = set().union(*own.values()) if own else set()
    if theirs:
        names = dict(
            (pk, (name_ko, name_en))
            for pk, name_ko, name_en in Organization.objects.filter(pk__in=theirs).values_list(
                "pk", "name_ko", "name_en"
            )
        )
        related = Relationship.objects.filter(kind__in=RELATIONSHIP_KINDS).filter(
            Q(subject_id__in=theirs) | Q(object_id__in=theirs)
        )
        holders: dict[int, list[int]] = defaultdict(list)
        for user_id, organizations in own.items():
            for organization_id in organizations:
                holders[organization_id].append(user_id)
        rows = related.values_list("subject_id", "kind", "object_id", "started_on", "ended_on")
        for subject_id, kind, object_id, started_on, ended_on in rows:
            for via, other, codes in (
                (subject_id, object_id, AS_SUBJECT),
                (object_id, subject_id, AS_OBJECT),
            ):
                for user_id in holders.get(via, ()):
                    name_ko, name_en = names[via]
                    found[user_id][other].append(
                        Reason(codes[kind], via, name_ko, name_en, started_on, ended_on)
                    )
    declared = DeclaredConflict.objects.filter(reviewer_id__in=user_ids).values_list(
        "reviewer_id", "organization_id", "reason"
    )
    for user_id, organization_id, reason in declared:
        found[user_id][organization_id].append(Reason("declared", text=reason))
    return {user_id: dict(by_organization) for user_id, by_organization in found.items()}


def conflicted_organization_ids(user) -> frozenset[int]:
    """The organizations ``user`` may not review (and whose applications they may not see)."""
    if user is None or not user.is_authenticated:
        return frozenset()
    return frozenset(conflicts_of([user.pk]).get(user.pk, {}))
