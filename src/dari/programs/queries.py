"""Programs: anyone sees public programs; their managers and reviewers, and the members of the
organizations that run or join them, see them too; staff see all."""

from django.db import models
from django.db.models import Q

from dari.accounts.access import Access, access_for


def organizations_of_programs(program_ids) -> Q:
    """Organizations that run or take part in any of ``program_ids`` (a Q over Organization)."""
    from .models import Participant, ProgramRole

    return Q(pk__in=Participant.objects.filter(program_id__in=program_ids).values("organization_id")) | Q(
        pk__in=ProgramRole.objects.filter(program_id__in=program_ids).values("organization_id")
    )


def program_staff_see_their_organizations(access: Access) -> Q | None:
    """Registered as a registry visibility grant: program managers and reviewers see the
    organizations of their programs, public or not."""
    return organizations_of_programs(access.program_ids) if access.program_ids else None


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

    def with_details(self, user):
        """Programs with the roles and participants whose organizations ``user`` may see."""
        from dari.registry.models import Organization

        from .models import Participant, ProgramRole

        organizations = Organization.objects.visible_to(user)
        return self.select_related("source").prefetch_related(
            models.Prefetch(
                "roles",
                queryset=ProgramRole.objects.filter(organization__in=organizations).select_related(
                    "organization"
                ),
            ),
            models.Prefetch(
                "participants",
                queryset=Participant.objects.filter(organization__in=organizations).select_related(
                    "organization"
                ),
            ),
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
        call's program and staff see all of the call's; nobody else sees any (reviewers neither,
        until reviews give them their assignments)."""
        access = access_for(user)
        if access.sees_everything:
            return self
        condition = Q(pk__in=[])
        if access.organization_ids:
            condition |= Q(startup_id__in=access.organization_ids)
        if access.managed_program_ids:
            condition |= Q(call__program_id__in=access.managed_program_ids)
        return self.filter(condition)
