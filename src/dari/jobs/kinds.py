"""Human names of job kinds. An app that starts jobs registers its kinds in its ``AppConfig.ready``."""

_labels: dict[str, object] = {}
_startable: dict[str, tuple[object, object, str]] = {}


def register_kind(kind: str, label, *, start_url: str = "", start_help=None) -> None:
    """Name ``kind`` (a dotted name such as ``reports.export_pdf``) with a translatable ``label``.
    With ``start_url`` (a URL name answering POST), /jobs/ offers a button that starts such a job,
    explained by ``start_help``."""
    _labels[kind] = label
    if start_url:
        _startable[kind] = (label, start_help or "", start_url)


def startable_kinds() -> list[tuple[object, object, str]]:
    """(label, help, URL name) of the kinds anyone signed in may start from /jobs/."""
    return list(_startable.values())


def kind_label(kind: str) -> str:
    """The label of ``kind`` in the active language; the dotted name itself if none is registered."""
    return str(_labels.get(kind, kind))
