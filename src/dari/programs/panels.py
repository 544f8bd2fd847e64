from dari.core.panels import Panel, organization_panels

from .models import Participant, Program, ProgramRole


@organization_panels.register(order=30)
def programs_of_organization(request, organization):
    programs = Program.objects.visible_to(request.user)
    roles = ProgramRole.objects.filter(organization=organization, program__in=programs).select_related(
        "program"
    )
    participations = Participant.objects.filter(
        organization=organization, program__in=programs
    ).select_related("program", "cohort__call")
    if not roles and not participations:
        return None
    return Panel("programs/_organization_panel.html", {"roles": roles, "participations": participations})
