from django.db.models import Prefetch
from django.shortcuts import get_object_or_404, render

from dari.core.pagination import paginate
from dari.core.panels import program_panels
from dari.registry.models import Organization

from .models import Participant, Program, ProgramRole


def program_list(request):
    programs = Program.objects.visible_to(request.user).prefetch_related(
        Prefetch("roles", queryset=ProgramRole.objects.select_related("organization"))
    )
    return render(request, "programs/program_list.html", {"page": paginate(request, programs)})


def program_detail(request, pk: int):
    """A program with its operators and participants; outcomes add their panel through the outcomes app."""
    visible_organizations = Organization.objects.visible_to(request.user)
    program = get_object_or_404(
        Program.objects.visible_to(request.user)
        .select_related("source")
        .prefetch_related(
            Prefetch("roles", queryset=ProgramRole.objects.select_related("organization")),
            Prefetch(
                "participants",
                queryset=Participant.objects.filter(organization__in=visible_organizations).select_related(
                    "organization"
                ),
            ),
        ),
        pk=pk,
    )
    return render(
        request,
        "programs/program_detail.html",
        {"program": program, "panels": program_panels.panels_for(request, program)},
    )
