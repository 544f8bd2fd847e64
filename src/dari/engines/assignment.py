"""Assigning reviewers to applications: each application gets exactly ``per_application`` reviews,
the reviewers' loads differ by at most one, and no reviewer is ever given an application they are
in conflict with. Pure Python, no Django: ``dari.programs`` calls it with ids and stores the result.

The problem is a flow with bounds. Let ``T`` be every review wanted (those already assigned plus
the new ones) and ``m`` the reviewers: balanced loads are ``k = T // m`` or ``k + 1``, so reviewer
``r``, who already has ``e_r`` reviews, takes between ``k - e_r`` and ``k + 1 - e_r`` new ones. A
greedy pass fills the applications with the fewest possible reviewers first, choosing among the
reviewers still under their ceiling those the managers prefer (``affinity``: preferences and
matching expertise), then the least loaded. Augmenting paths then fill any slot the greedy pass
left (moving other applications' reviews along the way) and lift any reviewer left under the
floor; both searches are exact, so when they fail no assignment exists and :class:`Impossible`
says why. Nothing is returned half-done.

A reviewer who already has more than ``k + 1`` reviews (assigned by hand) keeps them and takes no
new one; loads are then balanced among the others.
"""

from __future__ import annotations

from collections import deque
from collections.abc import Hashable, Iterable, Mapping
from dataclasses import dataclass, field


class Impossible(Exception):  # noqa: N818 (a domain outcome, not a programming error)
    """No assignment meets the request. ``application``: the one that cannot get its reviews (or
    None), ``reviewer``: one who cannot reach a balanced load (or None), ``eligible``: how many
    reviewers could review that application."""

    def __init__(self, message: str, *, application=None, reviewer=None, eligible: int | None = None):
        super().__init__(message)
        self.application = application
        self.reviewer = reviewer
        self.eligible = eligible


@dataclass
class Request:
    """``applications`` and ``reviewers`` (ids, in a stable order); ``per_application`` reviews
    each; ``conflicts``: (application, reviewer) pairs never assigned; ``existing``: (application,
    reviewer) pairs already assigned (counted, never moved); ``affinity``: (application, reviewer)
    → a preference, higher first (missing: 0)."""

    applications: list[Hashable]
    reviewers: list[Hashable]
    per_application: int
    conflicts: set[tuple] = field(default_factory=set)
    existing: set[tuple] = field(default_factory=set)
    affinity: Mapping[tuple, float] = field(default_factory=dict)


def balanced_bounds(loads: dict, total_new: int) -> tuple[dict, dict]:
    """The fewest and most new reviews each reviewer takes so that, once ``total_new`` are added to
    ``loads``, the loads are as even as they can be (water-filling: a reviewer already above the
    level keeps what they have and takes none)."""
    reviewers = sorted(loads, key=lambda reviewer: loads[reviewer])
    total = sum(loads.values()) + total_new
    # Drop reviewers who already hold more than the even share of what is left, highest first.
    active = list(reviewers)
    while active:
        level = total // len(active)
        if loads[active[-1]] <= level + (1 if total % len(active) else 0):
            break
        total -= loads[active.pop()]
    lower, upper = {}, {}
    if not active:
        return {reviewer: 0 for reviewer in loads}, {reviewer: 0 for reviewer in loads}
    level, extra = divmod(total, len(active))
    for reviewer in loads:
        if reviewer in active:
            lower[reviewer] = max(0, level - loads[reviewer])
            upper[reviewer] = max(0, level + (1 if extra else 0) - loads[reviewer])
        else:
            lower[reviewer] = upper[reviewer] = 0
    return lower, upper


def assign(request: Request) -> list[tuple]:
    """The new (application, reviewer) pairs. Raises :class:`Impossible` (with the application or
    the reviewer that cannot be served) when no assignment meets the request."""
    n = request.per_application
    if n < 1:
        raise Impossible("Ask for at least one review per application.")
    reviewers = list(dict.fromkeys(request.reviewers))
    applications = list(dict.fromkeys(request.applications))
    have: dict = {application: set() for application in applications}
    loads = {reviewer: 0 for reviewer in reviewers}
    for application, reviewer in request.existing:
        if application in have:
            have[application].add(reviewer)
            if reviewer in loads:
                loads[reviewer] += 1
    eligible = {
        application: [
            reviewer
            for reviewer in reviewers
            if reviewer not in have[application] and (application, reviewer) not in request.conflicts
        ]
        for application in applications
    }
    need = {application: max(0, n - len(have[application])) for application in applications}
    for application in applications:
        if len(have[application]) + len(eligible[application]) < n:
            raise Impossible(
                f"Application {application} can have {len(eligible[application])} more reviewer(s) "
                f"without a conflict, and needs {need[application]}.",
                application=application,
                eligible=len(eligible[application]),
            )
    total_new = sum(need.values())
    if total_new == 0:
        return []
    lower, upper = balanced_bounds(loads, total_new)
    order = {reviewer: index for index, reviewer in enumerate(reviewers)}
    new: dict = {application: [] for application in applications}  # application -> reviewers
    taken: dict = {reviewer: [] for reviewer in reviewers}  # reviewer -> applications
    affinity = request.affinity

    def add(application, reviewer):
        new[application].append(reviewer)
        taken[reviewer].append(application)

    def remove(application, reviewer):
        new[application].remove(reviewer)
        taken[reviewer].remove(application)

    # Greedy: the most constrained applications first.
    position = {application: index for index, application in enumerate(applications)}
    for application in sorted(applications, key=lambda item: (len(eligible[item]), position[item])):
        candidates = [
            reviewer for reviewer in eligible[application] if len(taken[reviewer]) < upper[reviewer]
        ]
        candidates.sort(
            key=lambda reviewer: (
                -affinity.get((application, reviewer), 0),
                len(taken[reviewer]) + loads[reviewer],
                order[reviewer],
            )
        )
        for reviewer in candidates[: need[application]]:
            add(application, reviewer)

    # Fill the slots left: an augmenting path from the application to a reviewer under the ceiling,
    # each step handing one application's review from one reviewer to another.
    for application in applications:
        while len(new[application]) < need[application]:
            path = _path_to_slack(application, eligible, new, taken, lambda r: len(taken[r]) < upper[r])
            if path is None:
                raise Impossible(
                    f"Application {application} cannot get {n} reviews with the reviewers' loads "
                    f"differing by at most one: too few reviewers without a conflict.",
                    application=application,
                    eligible=len(eligible[application]),
                )
            _apply(path, add, remove)

    # Lift the reviewers under the floor: take a review over from someone above theirs.
    for reviewer in reviewers:
        while len(taken[reviewer]) < lower[reviewer]:
            path = _path_from_reviewer(reviewer, eligible, new, taken, lower)
            if path is None:
                raise Impossible(
                    f"Reviewer {reviewer} cannot reach a balanced load: too few applications "
                    f"without a conflict for them.",
                    reviewer=reviewer,
                )
            for application, giver, receiver in path:
                remove(application, giver)
                add(application, receiver)
    return [(application, reviewer) for application in applications for reviewer in new[application]]


def _path_to_slack(start, eligible, new, taken, has_slack):
    """A shortest chain start → r1 (r1 gives up a1) → a1 → r2 ... ending at a reviewer with slack,
    as the list of (application, reviewer-added) and (application, reviewer-removed) steps."""
    previous: dict = {}
    queue = deque([start])
    seen_applications = {start}
    seen_reviewers = set()
    while queue:
        application = queue.popleft()
        for reviewer in eligible[application]:
            if reviewer in seen_reviewers or reviewer in new[application]:
                continue
            seen_reviewers.add(reviewer)
            previous[reviewer] = application
            if has_slack(reviewer):
                return _unwind(reviewer, previous)
            for other in taken[reviewer]:
                if other not in seen_applications:
                    seen_applications.add(other)
                    previous[("application", other)] = reviewer
                    queue.append(other)
    return None


def _unwind(reviewer, previous) -> list[tuple]:
    """The steps of a path found by :func:`_path_to_slack`: ``("add", application, reviewer)`` and
    ``("remove", application, reviewer)``, in an order that keeps every step valid."""
    steps = []
    while True:
        application = previous[reviewer]
        steps.append(("add", application, reviewer))
        giver = previous.get(("application", application))
        if giver is None:
            return steps
        steps.append(("remove", application, giver))
        reviewer = giver


def _apply(steps, add, remove):
    for action, application, reviewer in steps:
        (add if action == "add" else remove)(application, reviewer)


def _path_from_reviewer(start, eligible, new, taken, lower):
    """A chain in which ``start`` takes over an application's review from r1, r1 takes over another
    from r2, ..., ending at a reviewer above their floor; as (application, giver, receiver) steps in
    the order to apply them."""
    by_reviewer: dict = {}
    for application, reviewers in eligible.items():
        for reviewer in reviewers:
            by_reviewer.setdefault(reviewer, []).append(application)
    previous: dict = {}
    queue = deque([start])
    seen = {start}
    while queue:
        receiver = queue.popleft()
        for application in by_reviewer.get(receiver, ()):
            if receiver in new[application]:
                continue
            for giver in new[application]:
                if giver in seen:
                    continue
                seen.add(giver)
                previous[giver] = (application, receiver)
                if len(taken[giver]) > lower[giver]:
                    steps = []
                    while giver != start:
                        application, receiver = previous[giver]
                        steps.append((application, giver, receiver))
                        giver = receiver
                    return steps
                queue.append(giver)
    return None


def loads_of(pairs: Iterable[tuple]) -> dict:
    """Reviews per reviewer in ``pairs``."""
    counts: dict = {}
    for _application, reviewer in pairs:
        counts[reviewer] = counts.get(reviewer, 0) + 1
    return counts
