"""Human names of job kinds. An app that starts jobs registers its kinds in its ``AppConfig.ready``."""

from django.utils.translation import gettext_lazy as _

REGISTRY_CHECK = "jobs.registry_check"

_labels: dict[str, object] = {REGISTRY_CHECK: _("Check the registry")}


def register_kind(kind: str, label) -> None:
    """Name ``kind`` (a dotted name such as ``reports.export_pdf``) with a translatable ``label``."""
    _labels[kind] = label


def kind_label(kind: str) -> str:
    """The label of ``kind`` in the active language; the dotted name itself if none is registered."""
    return str(_labels.get(kind, kind))
