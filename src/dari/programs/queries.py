"""Programs: anyone sees public programs; their managers and reviewers, and the members of the
organizations that run or join them, see them too; staff see all."""

from django.db import models
from django.db.models import Exists, OuterRef, Q

from dari.accounts.access import Access, access_for


def organizations_of_programs(program_ids) -> Q:
    """Organizations that run or take part in any of ``program_ids`` (a Q over Organization)."""
    from .models import Participant, ProgramRole

    return Q(pk__in=Participant.objects.filter(program_id__in=program_ids).values("organization_id")) | Q(
        pk__in=ProgramRole.objects.filter(program_id__in=program_ids).values("organization_id")
    )


def program_staff_see_their_organizations(access: Access) -> Q | None:
    """Registered as a registry visibility grant: program managers see the organizations of their
    programs, public or not. Reviewers do not: they see the applications assigned to them
    (``ApplicationQuerySet.visible_to``), and through them only what a review needs."""
    return organizations_of_programs(access.managed_program_ids) if access.managed_program_ids else None


class ProgramQuerySet(models.QuerySet):
    def visible_to(self, user):
        access = access_for(user)
        if access.sees_everything:
            return self
        condition = Q(is_public=True)
        if access.program_ids:
            condition |= Q(pk__in=access.program_ids)
        if access.organization_ids:
            from .models import Participant, ProgramRole

            mine = access.organization_ids
            condition |= Q(pk__in=Participant.objects.filter(organization_id__in=mine).values("program_id"))
            condition |= Q(pk__in=ProgramRole.objects.filter(organization_id__in=mine).values("program_id"))
        return self.filter(condition)

    def search(self, text: str):
        text = text.strip()
        if not text:
            return self
        return self.filter(
            models.Q(name_ko__icontains=text)
            | models.Q(name_en__icontains=text)
            | models.Q(key__icontains=text)
        )

    def with_roles(self, user):
        """Programs with the roles whose organizations ``user`` may see (the program page, which
        reads its participants a page at a time: ``ParticipantQuerySet.seen_by``)."""
        from dari.registry.models import Organization

        from .models import ProgramRole

        organizations = Organization.objects.visible_to(user)
        return self.select_related("source").prefetch_related(
            models.Prefetch(
                "roles",
                queryset=ProgramRole.objects.filter(organization__in=organizations).select_related(
                    "organization"
                ),
            ),
        )

    def with_details(self, user):
        """Programs with the roles and participants whose organizations ``user`` may see."""
        from .models import Participant

        return self.with_roles(user).prefetch_related(
            models.Prefetch("participants", queryset=Participant.objects.seen_by(user))
        )


class CallQuerySet(models.QuerySet):
    def visible_to(self, user):
        """Staff see every call; a program's managers see its calls, drafts included; anyone else
        sees the calls past draft of the programs they may see."""
        access = access_for(user)
        if access.sees_everything:
            return self
        from .models import Program

        condition = Q(program__in=Program.objects.visible_to(user)) & ~Q(status="draft")
        if access.managed_program_ids:
            condition |= Q(program_id__in=access.managed_program_ids)
        return self.filter(condition)


class ApplicationQuerySet(models.QuerySet):
    def visible_to(self, user):
        """Deny by default: the startup's members see their own applications; the managers of the
        call's program and staff see all of the call's; a reviewer of the program sees those
        assigned to them (not recused), never one whose startup they are in conflict with
        (``conflicts.py``: a conflict found after the assignment hides it too); nobody else any."""
        access = access_for(user)
        if access.sees_everything:
            return self
        condition = Q(pk__in=[])
        if access.organization_ids:
            condition |= Q(startup_id__in=access.organization_ids)
        if access.managed_program_ids:
            condition |= Q(call__program_id__in=access.managed_program_ids)
        if access.reviewed_program_ids:
            condition |= reviewer_condition(user, access)
        return self.filter(condition)

    # Hooks of the protected-files service (``dari.files.queries``) for the files of applications.

    def file_ids_withheld_from(self, user) -> list[int]:
        """The application files ``user`` may not have although they see the application: in a
        blind review, every file of the application but the answers to its questions that are not
        identifying (an identifying answer's file, and any file an answer no longer names)."""
        from dari.files.models import StoredFile

        from .permissions import blind_application_ids

        blind = blind_application_ids(user)
        if not blind:
            return []
        shown = set()
        for application in self.model.objects.filter(pk__in=blind).select_related("call"):
            for question in application.call.form:
                if question["kind"] == "file" and not question.get("identifying"):
                    shown.add(application.answers.get(question["key"]))
        owned = StoredFile.objects.owned_by_any(self.model, blind)
        return [pk for pk in owned.values_list("pk", flat=True) if pk not in shown]

    def owner_ids_with_nameless_files(self, user) -> frozenset[int]:
        """Applications whose files ``user`` gets without their names: those reviewed blind."""
        from .permissions import blind_application_ids

        return blind_application_ids(user)


def reviewer_condition(user, access: Access) -> Q:
    """The applications ``user`` reviews (a Q over Application)."""
    from .conflicts import conflicted_organization_ids
    from .models import Review

    assigned = Review.objects.filter(reviewer=user).exclude(status="recused").values("application_id")
    return (
        Q(pk__in=assigned)
        & Q(call__program_id__in=access.reviewed_program_ids)
        & ~Q(startup_id__in=conflicted_organization_ids(user))
    )


class ReviewQuerySet(models.QuerySet):
    def visible_to(self, user):
        """Staff and the program's managers see every review of its calls; a reviewer sees their own
        (not once a conflict hides the application), and the others' submitted reviews of the same
        application and phase once they have submitted theirs, where the phase (or the call) shares
        reviews. Applicants see none here: with a released decision they read the comments meant for
        them, and only those (``released_feedback``)."""
        access = access_for(user)
        if access.sees_everything:
            return self
        condition = Q(pk__in=[])
        if access.managed_program_ids:
            condition |= Q(application__call__program_id__in=access.managed_program_ids)
        if access.reviewed_program_ids:
            from .models import Application

            reviewable = Application.objects.filter(reviewer_condition(user, access)).values("pk")
            mine = Q(reviewer=user) & Q(application_id__in=reviewable)
            condition |= mine
            own_submitted = self.model.objects.filter(
                mine, status="submitted", application_id=OuterRef("application_id")
            )
            same_phase = Exists(own_submitted.filter(phase_id=OuterRef("phase_id"))) | (
                Q(phase__isnull=True) & Exists(own_submitted.filter(phase__isnull=True))
            )
            shared = Q(phase__isnull=False, phase__reviews_shared=True) | Q(
                phase__isnull=True, application__call__reviews_shared=True
            )
            condition |= Q(status="submitted") & shared & same_phase
        return self.filter(condition)


class CohortQuerySet(models.QuerySet):
    def visible_to(self, user):
        """The cohorts of the programs ``user`` may see."""
        from .models import Program

        return self.filter(program__in=Program.objects.visible_to(user))


class DecisionQuerySet(models.QuerySet):
    def visible_to(self, user):
        """Staff and the program's managers see every decision of its calls, pending or released;
        the applicant's members see their application's decision once it is released, never before;
        nobody else any (reviewers included)."""
        access = access_for(user)
        if access.sees_everything:
            return self
        condition = Q(pk__in=[])
        if access.managed_program_ids:
            condition |= Q(application__call__program_id__in=access.managed_program_ids)
        if access.organization_ids:
            condition |= Q(application__startup_id__in=access.organization_ids, status="released")
        return self.filter(condition)


def released_feedback(user, application) -> list[str]:
    """The reviewers' comments for the applicant on ``application``, for ``user``: once its decision
    is released, to those who see that decision (the applicant's members, the program's managers and
    staff: ``DecisionQuerySet.visible_to``), from the submitted reviews, in the order they were
    submitted, without the reviewers' names, their scores or their comments for the managers. Nobody
    reads any before the release."""
    return released_feedback_by_application(user, [application.pk]).get(application.pk, [])


def released_feedback_by_application(user, application_ids) -> dict[int, list[str]]:
    """``released_feedback`` for several applications at once (a startup's history): application id
    → its comments for the applicant, in two queries whatever the number of applications."""
    from .models import Decision

    released = Decision.objects.visible_to(user).filter(application_id__in=application_ids, status="released")
    comments = feedback_reviews().filter(application_id__in=released.values("application_id"))
    found: dict[int, list[str]] = {}
    for application_id, text in comments.values_list("application_id", "comment_to_applicant"):
        found.setdefault(application_id, []).append(text)
    return found


def feedback_reviews():
    """The reviews whose comment for the applicant goes with a released decision: the submitted ones
    that have one and whose comment the managers did not withhold, in the order they were submitted.
    Who reads them: :func:`released_feedback`."""
    from .models import Review

    return (
        Review.objects.filter(status=Review.Status.SUBMITTED, feedback_withheld=False)
        .exclude(comment_to_applicant="")
        .order_by("submitted_at", "pk")
    )


def support_condition(user, prefix: str = "") -> Q | None:
    """Who sees a participant's support (its milestone plan and the services delivered), as a Q over
    the model reached through ``prefix`` (``""`` for Participant, ``"participant__"`` for its rows);
    None: every row (staff). The program's managers see their program's participants; the startup's
    members see their own; nobody else any, reviewers included."""
    access = access_for(user)
    if access.sees_everything:
        return None
    condition = Q(pk__in=[])
    if access.managed_program_ids:
        condition |= Q(**{f"{prefix}program_id__in": access.managed_program_ids})
    if access.organization_ids:
        condition |= Q(**{f"{prefix}organization_id__in": access.organization_ids})
    return condition


class ParticipantQuerySet(models.QuerySet):
    def seen_by(self, user):
        """The participants whose organizations ``user`` may see, with what a list of them shows."""
        from dari.registry.queries import organization_seen

        seen = organization_seen(user, "organization")
        return (self if seen is None else self.filter(seen)).select_related("organization", "cohort__call")

    def support_visible_to(self, user):
        """The participants whose support plan and services ``user`` may read (``support_condition``)."""
        condition = support_condition(user)
        return self if condition is None else self.filter(condition)


class SupportQuerySet(models.QuerySet):
    """Milestones and services delivered: seen with their participant's support."""

    def visible_to(self, user):
        condition = support_condition(user, "participant__")
        return self if condition is None else self.filter(condition)


def history_program_ids(user, organization) -> frozenset[int] | None:
    """The programs whose part of ``organization``'s history ``user`` may read: None for every
    program (staff, and the organization's own members), the programs they manage where the
    organization applied or took part, or an empty set (nothing: reviewers and anyone else). A
    reviewer who also manages a program reads that program's part only, never what they review."""
    from .models import Application, Participant

    access = access_for(user)
    if access.sees_everything or organization.pk in access.organization_ids:
        return None
    if not access.managed_program_ids:
        return frozenset()
    managed = access.managed_program_ids
    involved = set(
        Participant.objects.filter(organization=organization, program_id__in=managed).values_list(
            "program_id", flat=True
        )
    )
    involved |= set(
        Application.objects.filter(startup=organization, call__program_id__in=managed).values_list(
            "call__program_id", flat=True
        )
    )
    return frozenset(involved)
