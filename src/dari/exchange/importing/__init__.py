"""Importers, one per kind, and the engine that runs them (``engine.run_import``)."""

from .engine import Importer, Problem, Report, run_import
from .organizations import OrganizationImporter, PersonImporter
from .outcomes import OutcomeImporter, ParticipantImporter

IMPORTERS: dict[str, type[Importer]] = {
    importer.kind: importer
    for importer in (OrganizationImporter, PersonImporter, ParticipantImporter, OutcomeImporter)
}
KINDS = tuple(IMPORTERS)

__all__ = ["IMPORTERS", "KINDS", "Importer", "Problem", "Report", "run_import"]
