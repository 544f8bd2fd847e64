from django.shortcuts import get_object_or_404, render

from dari.core.pagination import paginate
from dari.core.panels import program_panels

from .models import Program


def program_list(request):
    programs = Program.objects.visible_to(request.user).with_details(request.user)
    return render(request, "programs/program_list.html", {"page": paginate(request, programs)})


def program_detail(request, pk: int):
    """A program with its operators and participants; outcomes add their panel through the outcomes app."""
    program = get_object_or_404(Program.objects.visible_to(request.user).with_details(request.user), pk=pk)
    return render(
        request,
        "programs/program_detail.html",
        {"program": program, "panels": program_panels.panels_for(request, program)},
    )
