"""A program's yearly targets per KPI (``models.Target``) and the progress the KPI figures make
towards them, as far as the viewer may see: a hidden amount adds nothing to the progress (the
figure says how many were left out, as everywhere else)."""

from __future__ import annotations

import dataclasses
from dataclasses import dataclass
from decimal import Decimal

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils.translation import gettext as _

from dari.accounts import audit
from dari.accounts.access import access_for
from dari.accounts.audit import Actor
from dari.core.services import Fields, require

from .kpis import DEFINITIONS, Figure, Filters, figures
from .models import Target

TARGET = Fields(creatable=("program", "year", "kpi", "measure", "value"), editable=("value",))
#: The KPI counted in startups, not outcomes: it has no amount.
STARTUPS = "startups_supported"


def kpi_choices() -> list[tuple[str, str]]:
    """The figures a target may be set for, in the order the reports list them."""
    from django.utils.translation import gettext_lazy

    return [(definition.key, definition.label) for definition in DEFINITIONS] + [
        (STARTUPS, gettext_lazy("Startups supported"))
    ]


def can_set_targets(user, program) -> bool:
    """Staff and the program's managers."""
    access = access_for(user)
    return access.sees_everything or program.pk in access.managed_program_ids


def check_target(kpi: str, measure: str) -> None:
    if kpi not in dict(kpi_choices()):
        raise ValidationError({"kpi": _("Choose one of the figures listed.")})
    if measure != Target.Measure.COUNT and kpi == STARTUPS:
        raise ValidationError({"measure": _("Startups supported are counted; they have no amount.")})


@transaction.atomic
def set_target(actor: Actor, program, values: dict) -> Target:
    """Set ``program``'s target for ``values["year"]``, ``["kpi"]`` and ``["measure"]`` (count, usd or
    krw) to ``values["value"]``: a new one, or the existing one changed. Allowed: staff and the
    program's managers. Audit: reports.target.created or .changed."""
    require(can_set_targets(actor.user, program), _("You may not set this program's targets."))
    values = {**values, "measure": values.get("measure") or Target.Measure.COUNT}
    check_target(values.get("kpi", ""), values["measure"])
    existing = Target.objects.filter(
        program=program, year=values.get("year"), kpi=values["kpi"], measure=values["measure"]
    ).first()
    if existing is not None:
        return audit.update(actor, existing, {"value": values.get("value")}, TARGET, "reports.target.changed")
    return audit.create(actor, Target(), {**values, "program": program}, TARGET, "reports.target.created")


@transaction.atomic
def delete_target(actor: Actor, target: Target) -> None:
    require(can_set_targets(actor.user, target.program), _("You may not set this program's targets."))
    audit.delete(actor, target, TARGET, "reports.target.deleted")


@dataclass
class Progress:
    """One target with what its figure reached (``None`` where nothing is known yet in that
    measure), the share reached (1 is the target met), and what the figure left out."""

    target: Target
    label: str
    figure: Figure
    reached: Decimal | None

    @property
    def share(self) -> Decimal | None:
        if self.reached is None or not self.target.value:
            return None
        return self.reached / self.target.value

    @property
    def percent(self) -> int | None:
        share = self.share
        return None if share is None else int(share * 100)

    @property
    def bar_percent(self) -> int:
        """The width of a progress bar: the percent reached, at most 100."""
        return min(self.percent or 0, 100)


def reached(figure: Figure, measure: str) -> Decimal | None:
    if measure == Target.Measure.USD:
        return figure.usd_total if figure.usd_total is not None else Decimal(0)
    if measure == Target.Measure.KRW:
        return figure.krw_total if figure.krw_total is not None else Decimal(0)
    return Decimal(figure.count)


def progress(user, program, year: int | None = None, *, filters: Filters | None = None) -> list[Progress]:
    """The targets of ``program`` (of ``year``, or every year), each with its figure for that program
    and year as ``user`` may see it; one KPI query per year."""
    targets = list(Target.objects.filter(program=program, **({"year": year} if year else {})))
    labels = dict(kpi_choices())
    by_year: dict[int, dict[str, Figure]] = {}
    result = []
    for target in sorted(targets, key=lambda target: (-target.year, _order(target.kpi), target.measure)):
        if target.year not in by_year:
            chosen = dataclasses.replace(filters or Filters(), program=program.key, year=target.year)
            by_year[target.year] = {figure.key: figure for figure in figures(user, chosen)}
        figure = by_year[target.year][target.kpi]
        result.append(Progress(target, str(labels[target.kpi]), figure, reached(figure, target.measure)))
    return result


def _order(kpi: str) -> int:
    keys = [key for key, _label in kpi_choices()]
    return keys.index(kpi) if kpi in keys else len(keys)
