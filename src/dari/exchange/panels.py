"""Export links beside the organization and outcome lists and on a program's page, and the way to
the Import page for those who may import."""

from django.urls import reverse

from dari.core.panels import Panel, list_panels, program_panels

from .forms import KIND_LABELS
from .services import importable_kinds
from .tables import FORMATS

#: The kinds each list offers to export: the people come with the organizations (no list of their own).
LIST_KINDS = {"organizations": ("organizations", "people"), "outcomes": ("outcomes",)}


def links(kinds, query: str = "") -> list[dict]:
    return [
        {
            "url": reverse("exchange:export", args=[kind, fmt]) + query,
            "label": f"{KIND_LABELS[kind]} {fmt.upper()}",
        }
        for kind in kinds
        for fmt in FORMATS
    ]


@list_panels.register(order=50)
def export_links(request, name):
    if name not in LIST_KINDS or not request.user.is_authenticated:
        return None
    may_import = any(kind in importable_kinds(request.user) for kind in LIST_KINDS[name])
    query = ""
    if name == "outcomes":
        # The outcomes export is the list as filtered: its query, without the page it shows.
        narrowed = request.GET.copy()
        narrowed.pop("page", None)
        query = "?" + narrowed.urlencode() if narrowed else ""
    return Panel(
        "exchange/_export_links.html",
        {
            "links": links(LIST_KINDS[name], query),
            "import_url": reverse("exchange:import") if may_import else "",
        },
    )


@program_panels.register(order=50)
def participant_export_links(request, program):
    if not request.user.is_authenticated:
        return None
    return Panel("exchange/_export_links.html", {"links": links(["participants"], f"?program={program.key}")})
