"""Outcome use cases. An outcome is recorded at a starting stage of its kind (:func:`record_outcome`),
edited apart from its stage (:func:`update_outcome`), and moves through the stages of its kind by one
function, :func:`advance_outcome`; nothing else writes ``Outcome.stage`` after creation (the admin
shows it read-only).
"""

import dataclasses
from datetime import date
from zoneinfo import ZoneInfo

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from dari.accounts import audit
from dari.accounts.audit import Actor, log_action
from dari.core.services import Fields, lock, require, unique_key
from dari.core.transitions import Transitions
from dari.engines.fx import FxError
from dari.files.models import Purpose
from dari.files.services import store_upload
from dari.registry.models import Relationship, Source
from dari.registry.services import add_relationship

from .models import Investor, Outcome, StageChange
from .permissions import can_change_outcome, can_record_outcome, takes_part
from .values import VALUE_FIELDS, lock_values, relock_if_changed
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


def starting_stages(kind: str) -> list[str]:
    """The stages an outcome of ``kind`` may be recorded at: any unfinished one of its machine (an
    investment may first be heard of at its term sheet), never a final one (a closed round is
    recorded at ``term_sheet`` and moved on, so that closing has its evidence and side effects)."""
    machine = STAGE_MACHINES.get(kind)
    return [] if machine is None else [stage for stage in machine.values if not machine.is_final(stage)]


#: The fields of an outcome its use cases write. The kind, the first stage and the startup are given
#: when recording and fixed after (the stage moves by ``advance_outcome`` only); the key stays fixed.
OUTCOME = Fields(
    creatable=(
        "key",
        "kind",
        "stage",
        "startup",
        "program",
        "cooperation_area",
        "counterparty",
        "counterparty_description_ko",
        "counterparty_description_en",
        "counterparty_kind",
        "counterparty_country",
        "title_ko",
        "title_en",
        "summary_ko",
        "summary_en",
        "public_title_ko",
        "public_title_en",
        "public_summary_ko",
        "public_summary_en",
        "regulator",
        "pathway",
        "market_country",
        "amount",
        "currency",
        "amount_disclosure",
        "quantity",
        "quantity_unit_ko",
        "quantity_unit_en",
        "quantity_period",
        "reported_on",
        "occurred_on",
        "is_public",
        "source",
    ),
)
OUTCOME = dataclasses.replace(
    OUTCOME,
    editable=tuple(name for name in OUTCOME.creatable if name not in {"key", "kind", "stage", "startup"}),
    also_audited=VALUE_FIELDS,  # locked by the use cases, never given (see ``values``)
)


def lock_or_refuse(outcome: Outcome, before: dict | None = None) -> None:
    """Lock ``outcome``'s USD and KRW values (``values``): a new one's, or a changed one's when its
    amount, currency or date differs from ``before``. An amount in a currency the ECB has no rate
    for is refused on ``currency`` (422)."""
    try:
        if before is None:
            lock_values(outcome)
        else:
            relock_if_changed(outcome, before)
    except FxError:
        raise ValidationError(
            {"currency": _("Dari cannot convert this currency to USD and KRW: no ECB reference rate.")}
        ) from None


def check_program(startup, program) -> None:
    """An outcome's program is one its startup takes part in (422 on ``program``)."""
    if program is not None and startup is not None and not takes_part(startup, program):
        raise ValidationError({"program": _("The startup does not take part in this program.")})


@transaction.atomic
def record_outcome(actor: Actor, values: dict) -> Outcome:
    """Record a new outcome. ``values``: fields of ``OUTCOME.creatable``; ``stage`` one of
    ``starting_stages(kind)``; ``key`` made from the English title when missing. Allowed: staff,
    members of the startup, managers of its program (``can_record_outcome``).

    Side effects, all in one transaction:
    - the amount's USD and KRW values are locked with the ECB rates of its date (``values``), or
      left pending when that day's rate is not published yet;
    - the outcome is saved, with the audit entry ``outcomes.outcome.created``;
    - its first ``StageChange`` (the stage, as of the outcome's ``occurred_on`` or else
      ``reported_on``, its source, who recorded it and when);
    - for a round, ``values["investors"]`` (see :func:`write_investors`), the lead becoming the
      counterparty when none is given.
    Raises ``PermissionDenied``, or ``ValidationError`` (a final or unknown stage, a program the
    startup does not take part in, the model's rules)."""
    values = dict(values)
    investors = values.pop("investors", None) or []
    startup, program = values.get("startup"), values.get("program")
    require(
        actor.is_system or can_record_outcome(actor.user, startup, program),
        _("You may not record outcomes of this startup."),
    )
    check_program(startup, program)
    kind, stage = values.get("kind"), values.get("stage")
    if kind in STAGE_MACHINES and stage not in starting_stages(kind):
        raise ValidationError(
            {
                "stage": _("An outcome of this kind starts at one of: %(stages)s.")
                % {"stages": ", ".join(str(Stage(value).label) for value in starting_stages(kind))}
            }
        )
    if not values.get("key"):
        values["key"] = unique_key(
            Outcome, values.get("title_en", ""), getattr(startup, "key", ""), fallback="outcome"
        )
    if investors and not values.get("counterparty"):
        values["counterparty"] = lead_of(investors)  # the round's counterparty is its lead
    outcome = audit.create(
        actor, Outcome(), values, OUTCOME, "outcomes.outcome.created", prepare=lock_or_refuse
    )
    if investors:
        write_investors(actor, outcome, investors)
    StageChange.objects.create(
        outcome=outcome,
        stage=outcome.stage,
        recorded_on=outcome.occurred_on or outcome.reported_on,
        source=outcome.source,
        recorded_by=actor.user,
        recorded_at=timezone.now(),
    )
    return outcome


@transaction.atomic
def update_outcome(actor: Actor, outcome: Outcome, values: dict, *, version: int | None = None) -> Outcome:
    """Change an outcome's fields (``OUTCOME.changeable``: not its kind, stage, startup or key) from
    the ``version`` the editor saw (``Conflict`` if someone saved since). Allowed: those who may
    change it (``can_change_outcome``); a new program must be one they may record in too.
    ``values["investors"]``, when given, replaces the round's investors (:func:`write_investors`).
    A changed amount, currency or date locks the USD and KRW values again (``values``); other
    changes leave them, and their rate, as they were.
    Audit: outcomes.outcome.changed with the changed fields, if any."""
    require(can_change_outcome(actor.user, outcome), _("You may not change this outcome."))
    values = dict(values)
    investors = values.pop("investors", None)

    def program_rules(outcome: Outcome, before: dict) -> None:
        lock_or_refuse(outcome, before)
        if investors is None and outcome.amount is not None:
            shares = [
                share for share in outcome.investors.values_list("share", flat=True) if share is not None
            ]
            if shares and sum(shares) > outcome.amount:
                raise ValidationError(
                    {"amount": _("The investors' shares add up to more than the round's amount.")}
                )
        if outcome.program_id != before["program"]:
            require(
                can_record_outcome(actor.user, outcome.startup, outcome.program),
                _("You may not record outcomes of this startup."),
            )
            check_program(outcome.startup, outcome.program)

    outcome = audit.update(
        actor, outcome, values, OUTCOME, "outcomes.outcome.changed", version=version, prepare=program_rules
    )
    if investors is not None:
        write_investors(actor, outcome, investors)
    return outcome


def lead_of(investors: list[dict]):
    """The lead's organization among ``investors``, else the first one's."""
    leads = [item["organization"] for item in investors if item.get("role") == Investor.Role.LEAD]
    return leads[0] if leads else investors[0]["organization"]


def write_investors(actor: Actor, outcome: Outcome, investors: list[dict]) -> None:
    """Make ``investors`` (dicts of ``organization``, ``role`` lead or participant, ``share`` or None)
    the round's investors, replacing those it had. A round is an investment; it has at most one lead,
    each organization once and never the startup itself; a share is in the round's currency and the
    known shares add up to at most the round's amount (``ValidationError`` on ``investors``).
    Audit: outcomes.outcome.investors_changed with ``{"investors": [old, new]}`` when they change."""

    def refuse(message):
        raise ValidationError({"investors": message})

    rows = [
        Investor(
            outcome=outcome,
            organization=item["organization"],
            role=item.get("role") or Investor.Role.PARTICIPANT,
            share=item.get("share"),
        )
        for item in investors
    ]
    if rows and outcome.kind != Kind.INVESTMENT:
        refuse(_("Only an investment has investors."))
    organizations = [row.organization.pk for row in rows]
    if len(set(organizations)) != len(organizations):
        refuse(_("Each investor is listed once."))
    if outcome.startup_id in organizations:
        refuse(_("A startup does not invest in itself."))
    if sum(row.role == Investor.Role.LEAD for row in rows) > 1:
        refuse(_("A round has one lead investor."))
    for row in rows:
        try:
            row.full_clean(exclude=["outcome"], validate_unique=False, validate_constraints=False)
        except ValidationError as error:
            refuse(error.messages)
    shares = [row.share for row in rows if row.share is not None]
    if shares and not outcome.currency:
        refuse(_("A share is in the round's currency: give the round's amount and currency first."))
    if shares and outcome.amount is not None and sum(shares) > outcome.amount:
        refuse(_("The investors' shares add up to more than the round's amount."))

    def listed(items):
        return [
            [item.organization_id, item.role, None if item.share is None else str(item.share)]
            for item in items
        ]

    before = listed(outcome.investors.order_by("role", "organization_id"))
    outcome.investors.all().delete()
    Investor.objects.bulk_create(rows)
    after = listed(outcome.investors.order_by("role", "organization_id"))
    if before != after:
        log_action(actor, "outcomes.outcome.investors_changed", outcome, {"investors": [before, after]})


def record_investment(actor: Actor, outcome: Outcome) -> None:
    """The registry's ``invests_in`` from each investor (the counterparty and the round's investors)
    to the startup of a closed investment, each once. Recorded by Dari's rule in the name of the one
    who closed the round: a program manager may close it without being a member of either
    organization."""
    investors = [outcome.counterparty] if outcome.counterparty_id else []
    investors += [item.organization for item in outcome.investors.select_related("organization")]
    kind = Relationship.Kind.INVESTS_IN
    done = {outcome.startup_id}
    for investor in investors:
        if investor.pk in done:
            continue
        done.add(investor.pk)
        if Relationship.objects.filter(subject=investor, kind=kind, object_id=outcome.startup_id).exists():
            continue
        add_relationship(
            dataclasses.replace(actor, is_system=True),
            investor,
            kind,
            outcome.startup,
            {"started_on": outcome.occurred_on},
        )


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
    evidence_file=None,
) -> Outcome:
    """Move ``outcome`` to ``stage`` as of ``on`` (by default today in the partnership's first time
    zone, Seoul), with the ``source`` that reports it, an ``evidence_file`` (an upload: a term sheet,
    a signed contract) and a note. Allowed: Dari itself (the scenario), staff, members of the startup
    and managers of its program (``can_change_outcome``); the move must be one of
    ``STAGE_MACHINES[outcome.kind]``.

    Side effects, all in one transaction:
    - ``Outcome.stage`` is saved;
    - the ``evidence_file``, if any, is stored as a protected file owned by the outcome (purpose
      evidence; its own audit entry ``files.file.uploaded``), seen by those who may see the amount;
    - one ``StageChange`` row (stage, date, note, source, evidence file, the actor's user and the
      time now) is added to the outcome's history;
    - one audit entry ``outcomes.outcome.stage_changed`` with ``{"stage": [old, new]}``;
    - an investment moved to ``closed`` records the registry relationship ``invests_in`` from its
      counterparty organization and from each investor of the round to the startup, each unless it
      exists (audit entry ``registry.relationship.created``); a counterparty known only by
      description records nothing.
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
        recorded_by=actor.user,
        recorded_at=timezone.now(),
    )
    change.full_clean()  # before the file is stored: a refused change leaves no file behind
    if evidence_file is not None:
        change.evidence_file = store_upload(actor, evidence_file, outcome, Purpose.EVIDENCE)
    change.save()
    outcome.stage = stage  # the machine has checked it; the rest of the outcome is not touched
    outcome.save(update_fields=["stage"])
    log_action(actor, "outcomes.outcome.stage_changed", outcome, {"stage": [old, stage]})
    if outcome.kind == Kind.INVESTMENT and stage == Stage.CLOSED:
        record_investment(actor, outcome)
    return outcome


def lock_pending_values(now=None) -> str:
    """Lock the values of the amounts that were waiting for their day's ECB rate, now that a newer
    history knows it (the periodic runner's task; ``dari load_ecb_rates`` brings the history). Each
    outcome locked has its audit entry ``outcomes.outcome.values_locked`` by Dari itself."""
    locked = 0
    pending = Outcome.objects.filter(amount__isnull=False, rate_on__isnull=True)
    waiting = list(pending.values_list("pk", flat=True))
    for pk in waiting:
        with transaction.atomic():
            outcome = Outcome.objects.select_for_update().get(pk=pk)
            if not outcome.is_rate_pending:
                continue
            try:
                lock_values(outcome)
            except FxError:
                continue  # a currency without a rate cannot be recorded; an old row stays as it is
            if outcome.rate_on is None:
                continue  # still pending
            outcome.save(update_fields=list(VALUE_FIELDS))
            log_action(
                Actor.system(),
                "outcomes.outcome.values_locked",
                outcome,
                {name: [None, audit.json_value(getattr(outcome, name))] for name in VALUE_FIELDS},
            )
            locked += 1
    return f"{locked} of {len(waiting)} pending amount(s) locked"
