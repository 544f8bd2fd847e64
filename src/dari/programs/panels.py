from dari.core.panels import Panel, organization_panels

from .history import startup_history
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


@organization_panels.register(order=31)
def startup_history_panel(request, organization):
    """The startup's history across calls, for those who may read it (``history``)."""
    history = startup_history(request.user, organization)
    if not history:
        return None
    return Panel("programs/_history_panel.html", {"history": history, "organization": organization})
