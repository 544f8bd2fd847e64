"""One way to run a state machine.

A machine is a transition table, declared once next to its use cases, and *one* function that moves
an object along it and whose docstring lists every side effect (audit entry, history row,
notification, index refresh), as pretalx's ``set_submission_state`` does::

    ITEM_STATUS = Transitions(
        ActionItem.Status,
        {
            Status.OPEN: {Status.IN_PROGRESS, Status.DROPPED},
            Status.IN_PROGRESS: {Status.DONE, Status.DROPPED},
        },
        field="status",
        refusal=_lazy("An action item cannot go from %(old)s to %(new)s."),
    )

    def change_action_item_status(actor, item, status):
        ITEM_STATUS.check(item.status, status)      # ValidationError (422) when not allowed
        ...

States without outgoing transitions are final. Tests walk :meth:`Transitions.pairs` (every
(from, to) of the states), expecting the allowed ones to succeed with their side effects and the
others to be refused without a change.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping

from django.core.exceptions import ValidationError
from django.db import models
from django.utils.translation import gettext as _


class Transitions:
    def __init__(
        self,
        states: type[models.TextChoices],
        table: Mapping[str, Iterable[str]],
        *,
        field: str,
        refusal: str,
        among: Iterable[str] | None = None,
    ):
        """``among``: the states of this machine when it uses part of a shared vocabulary (an
        outcome of one kind uses the stages of that kind)."""
        self.values = [state for state in states.values if among is None or state in set(among)]
        unknown = {state for state in table} | {state for targets in table.values() for state in targets}
        unknown -= set(self.values)
        if unknown:
            raise ValueError(f"States not in this machine: {sorted(unknown)}")
        self.states = states
        self.table = {state: frozenset(table.get(state, ())) for state in self.values}
        self.field = field
        self.refusal = refusal

    def allows(self, old: str, new: str) -> bool:
        return new in self.table.get(old, frozenset())

    def next_states(self, old: str) -> list[str]:
        """The states ``old`` may move to, in the order the choices declare them."""
        return [state for state in self.values if self.allows(old, state)]

    def is_final(self, state: str) -> bool:
        return not self.table.get(state)

    def pairs(self) -> list[tuple[str, str]]:
        """Every (from, to) pair of distinct states, allowed or not: what the all-pairs tests walk."""
        return [(old, new) for old in self.values for new in self.values if old != new]

    def check(self, old: str, new: str) -> None:
        """Refuse (``ValidationError`` on :attr:`field`) an unknown state or a move the table does not
        allow. The same state is not a move: callers treat it as nothing to do."""
        if new not in self.values:
            raise ValidationError({self.field: _("Unknown state %(state)s.") % {"state": new}})
        if not self.allows(old, new):
            raise ValidationError(
                {self.field: self.refusal % {"old": self.states(old).label, "new": self.states(new).label}}
            )
