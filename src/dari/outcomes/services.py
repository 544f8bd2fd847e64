"""Outcome use cases. An outcome moves through the stages of its kind by one function,
:func:`advance_outcome`; nothing else writes ``Outcome.stage`` (the admin shows it read-only).
"""

from datetime import date
from zoneinfo import ZoneInfo

from django.conf import settings
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from dari.accounts.audit import Actor, log_action
from dari.core.services import lock, require
from dari.core.transitions import Transitions
from dari.registry.models import Source

from .models import Outcome, StageChange
from .permissions import can_change_outcome
from .vocabulary import STAGES_BY_KIND, Kind, Stage

REFUSAL = gettext_lazy("An outcome cannot go from %(old)s to %(new)s.")


def progression(kind: str, steps: list[str], exits: list[str]) -> Transitions:
    """A machine whose ``steps`` go forward, any of them skipped (a term sheet may come without a
    recorded review; talks may end before anything is signed), and whose every unfinished step may
    leave by one of the ``exits``. The last step and the exits are final."""
    table = {}
    for number, step in enumerate(steps[:-1]):
        table[step] = {*steps[number + 1 :], *exits}
    return Transitions(Stage, table, field="stage", refusal=REFUSAL, among=STAGES_BY_KIND[kind])


#: The stages each kind of outcome may move through (values from ``vocabulary``, never renamed).
STAGE_MACHINES: dict[str, Transitions] = {
    Kind.INVESTMENT: progression(
        Kind.INVESTMENT, ["sourced", "in_review", "term_sheet", "closed"], ["declined", "withdrawn"]
    ),
    Kind.CONTRACT: progression(
        Kind.CONTRACT, ["negotiating", "provisional", "signed", "delivering", "ended"], []
    ),
    Kind.PARTNERSHIP: progression(Kind.PARTNERSHIP, ["discussing", "loi", "active", "ended"], []),
    Kind.MARKET_ENTRY: progression(Kind.MARKET_ENTRY, ["preparing", "entered"], ["withdrawn"]),
    Kind.REGULATORY: progression(
        Kind.REGULATORY, ["preparing", "submitted", "approved"], ["rejected", "withdrawn"]
    ),
    Kind.CLINICAL_PILOT: progression(Kind.CLINICAL_PILOT, ["planned", "running", "completed"], ["ended"]),
}


@transaction.atomic
def advance_outcome(
    actor: Actor,
    outcome: Outcome,
    stage: str,
    *,
    on: date | None = None,
    source: Source | None = None,
    note_ko: str = "",
    note_en: str = "",
) -> Outcome:
    """Move ``outcome`` to ``stage`` as of ``on`` (by default today in the partnership's first time
    zone, Seoul), with the ``source``
    that reports it and a note. Allowed: Dari itself (the scenario), staff, members of the startup
    and managers of its program (``can_change_outcome``); the move must be one of
    ``STAGE_MACHINES[outcome.kind]``.

    Side effects, all in one transaction:
    - ``Outcome.stage`` is saved;
    - one ``StageChange`` row (stage, date, note, source) is added to the outcome's history;
    - one audit entry ``outcomes.outcome.stage_changed`` with ``{"stage": [old, new]}``.
    No notification is sent and no search index is refreshed (outcomes are not indexed).
    Raises ``PermissionDenied``, or ``ValidationError`` on ``stage`` (a move the machine refuses;
    nothing is written) or on the change (a second change to the same stage on the same day).
    The same stage again changes nothing.
    """
    require(actor.is_system or can_change_outcome(actor.user, outcome), _("You may not change this outcome."))
    outcome = lock(outcome)
    if stage == outcome.stage:
        return outcome
    STAGE_MACHINES[outcome.kind].check(outcome.stage, stage)
    old = outcome.stage
    change = StageChange(
        outcome=outcome,
        stage=stage,
        recorded_on=on or timezone.localdate(timezone=ZoneInfo(settings.PARTNERSHIP_TIME_ZONES[0])),
        note_ko=note_ko.strip(),
        note_en=note_en.strip(),
        source=source,
    )
    change.full_clean()
    change.save()
    outcome.stage = stage  # the machine has checked it; the rest of the outcome is not touched
    outcome.save(update_fields=["stage"])
    log_action(actor, "outcomes.outcome.stage_changed", outcome, {"stage": [old, stage]})
    return outcome
