"""Partnering-event scheduling (issue 18): which requested meeting takes place when and where.

Pure Python with OR-Tools CP-SAT; no Django. The apps turn an event into an :class:`Instance` (or
read an instance file, ``instance.schema.json``), call :func:`solve`, and save the :class:`Schedule`
only after :func:`validate` (the independent checker) finds nothing; ``solve`` already refuses to
return a schedule the validator rejects.

- ``instance.py``: the instance model, the JSON format and its checks;
- ``problem.py``: the instance as positions and pools of alike locations (solver and greedy only);
- ``solver.py``: CP-SAT in two phases (weighted meetings; then idle gaps and fairness);
- ``greedy.py``: the baseline, highest weight first, earliest slot; also the solver's first hint;
- ``validator.py``: every violation of a schedule, typed; shares no code with the solver;
- ``reschedule.py``: changes (cancellations, availability) and solving with the previous schedule;
- ``metrics.py``: figures about a schedule (idle gaps, unmet requests);
- ``cli.py``: ``dari schedule_instance FILE --time-limit 30 --out SCHEDULE.json``.
"""

from .greedy import solve_greedy
from .instance import (
    Assignment,
    Instance,
    InstanceError,
    Location,
    Meeting,
    Participant,
    Slot,
    Venue,
    load_instance,
    parse_instance,
)
from .reschedule import cancel_meeting, cancel_participant, change_availability, reschedule, with_previous
from .schedule import Schedule, parse_schedule
from .solver import SolverOptions, solve
from .validator import InvalidSchedule, Kind, Violation, validate

__all__ = [
    "Assignment",
    "Instance",
    "InstanceError",
    "InvalidSchedule",
    "Kind",
    "Location",
    "Meeting",
    "Participant",
    "Schedule",
    "Slot",
    "SolverOptions",
    "Venue",
    "Violation",
    "cancel_meeting",
    "cancel_participant",
    "change_availability",
    "load_instance",
    "parse_instance",
    "parse_schedule",
    "reschedule",
    "solve",
    "solve_greedy",
    "validate",
    "with_previous",
]
