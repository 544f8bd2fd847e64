"""Importing program participants and outcomes: staff, and program managers for their programs."""

from __future__ import annotations

from decimal import Decimal
from types import SimpleNamespace

from django.core.exceptions import ValidationError
from django.core.validators import MinValueValidator
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from dari.accounts.access import access_for
from dari.accounts.audit import snapshot
from dari.core.bilingual import current_language, localized
from dari.core.money import CURRENCY_CHOICES
from dari.core.rates import rate_table
from dari.core.services import Fields
from dari.engines.fx import FxError, Rate, RateTable
from dari.outcomes.models import Investor, Outcome, StageChange
from dari.outcomes.services import OUTCOME
from dari.outcomes.values import SOURCE_FIELDS, VALUE_FIELDS, locked_values
from dari.outcomes.vocabulary import Disclosure, Kind, Period, Stage
from dari.programs.models import Participant, Program, yearly_cohort
from dari.registry.models import Organization, Relationship, Source

from ..tables import read_number
from .engine import (
    WRITE_BATCH,
    Column,
    Importer,
    Plan,
    audit_plans,
    changed,
    check_versions,
    chunked,
    insert_many,
    insert_rows,
    keys_of,
    new_instance,
    write_audit,
)
from .organizations import KEY_HELP, split_list

#: A participant's fields as its audit entries record them (programs has no use cases of its own yet).
PARTICIPANT = Fields(creatable=("since", "status"), also_audited=("program", "organization"))


def may_import_program_data(user) -> bool:
    """Staff, and program managers (for their own programs' rows, checked row by row)."""
    access = access_for(user)
    return access.sees_everything or bool(access.managed_program_ids)


class ProgramRowsImporter(Importer):
    """What participants and outcomes share: programs and organizations found by key, as far as the
    importer may see them, and the manager's scope."""

    @classmethod
    def may_import(cls, user) -> bool:
        return may_import_program_data(user)

    def load_references(self, records, organization_columns) -> None:
        access = access_for(self.actor.user)
        self.sees_everything = self.actor.is_system or access.sees_everything
        self.managed = access.managed_program_ids
        self.programs = dict(Program.objects.values_list("key", "pk"))
        keys = set()
        for _number, row in records:
            for name in organization_columns:
                keys.update(split_list(str(row.get(name, ""))))
        keys = {key.split("=", 1)[0].strip() for key in keys}
        visible = (
            Organization.objects.all()
            if self.sees_everything
            else Organization.objects.visible_to(self.actor.user)
        )
        self.organizations = {}
        # Their names too, for the labels of what the write records (no query per row, none later).
        self.organization_names = {}
        for chunk in chunked(keys):
            for key, pk, name_ko, name_en in visible.filter(key__in=chunk).values_list(
                "key", "pk", "name_ko", "name_en"
            ):
                self.organizations[key] = pk
                self.organization_names[pk] = (name_ko, name_en)

    def organization(self, row, name, *, required=False):
        key = self.text(row, name)
        if not key:
            if required:
                self.problem(name, _("Give the organization's key."))
            return None
        found = self.organizations.get(key)
        if found is None:
            self.problem(name, _("No organization you may see has the key %(key)s.") % {"key": key})
        return found

    def program(self, row, *, required):
        key = self.text(row, "program")
        if not key:
            if required:
                self.problem(
                    "program", _("Give the program's key: you may import rows of your programs only.")
                )
            return None
        program_id = self.programs.get(key)
        if program_id is None:
            self.problem("program", _("No program has the key %(key)s.") % {"key": key})
        elif not self.sees_everything and program_id not in self.managed:
            self.problem("program", _("You do not manage the program %(key)s.") % {"key": key})
            return None
        return program_id


class ParticipantImporter(ProgramRowsImporter):
    kind = "participants"
    columns = (
        Column(
            "program",
            "key",
            required=True,
            help=gettext_lazy("The program's key"),
            example="ulsan-bio-accelerator",
        ),
        Column(
            "organization", "key", required=True, help=gettext_lazy("The startup's key"), example="thyroscope"
        ),
        Column("since", "date", help=gettext_lazy("2024-01-18"), example="2024-01-18"),
        Column("status", "choice", help=", ".join(Participant.Status.values), example="active"),
        Column(
            "call",
            "number",
            help=gettext_lazy(
                "The round of the call whose cohort the startup joined (by the call's decisions); "
                "empty for a participant recorded without a call"
            ),
            example="",
        ),
    )

    def prepare(self, records) -> None:
        self.load_references(records, ["organization"])
        # A row is a startup's participation in a program, recorded without a call (its earliest
        # such one) or in the cohort of the call of round ``call``: (program, organization, round).
        self.existing = {}
        for item in (
            Participant.objects.filter(organization_id__in=list(self.organizations.values()))
            .select_related("cohort__call")
            .order_by("-cohort__year", "-pk")
        ):
            call = item.cohort.call
            self.existing[(item.program_id, item.organization_id, call.round if call else None)] = item

    def plan_row(self, row):
        program_id = self.program(row, required=True)
        organization_id = self.organization(row, "organization", required=True)
        if program_id is None or organization_id is None:
            return None
        round_number = self.round(row)
        self.claim_key((program_id, organization_id, round_number), "organization")
        existing = self.existing.get((program_id, organization_id, round_number))
        if existing is None and round_number is not None:
            self.problem(
                "call",
                _(
                    "A startup joins the cohort of a call only by the call's decisions: it is not a "
                    "participant of round %(round)s."
                )
                % {"round": round_number},
            )
            return None
        obj = existing or Participant(program_id=program_id, organization_id=organization_id)
        before = snapshot(obj, PARTICIPANT.audited) if existing else None
        if "since" in row:
            obj.since = self.date(row, "since")
        if "status" in row:
            obj.status = self.choice(row, "status", Participant.Status) or Participant.Status.ACTIVE
        self.validate(obj, list(PARTICIPANT.creatable), default_column="organization")
        after = snapshot(obj, PARTICIPANT.audited)
        return Plan(self._row, obj, before, changed(before, after) if before is not None else after)

    def round(self, row) -> int | None:
        """The ``call`` column: a call's round, or None when empty."""
        if not str(row.get("call") or "").strip():
            return None
        value = self.number(row, "call")
        if value is None or value != int(value) or value < 1:
            if value is not None:
                self.problem("call", _("Give the round of the call as a whole number, such as 2."))
            return None
        return int(value)

    def write(self, plans, progress) -> None:
        new = [plan for plan in plans if plan.is_new]
        changed_plans = [plan for plan in plans if not plan.is_new]
        for plan in new:  # a new participant joins its program's cohort of the year it joined
            since = plan.obj.since
            plan.obj.cohort = yearly_cohort(Program(pk=plan.obj.program_id), since.year if since else None)
        Participant.objects.bulk_create([plan.obj for plan in new], batch_size=WRITE_BATCH)
        if changed_plans:
            Participant.objects.bulk_update([plan.obj for plan in changed_plans], ["since", "status"])
        audit_plans(self.actor, "programs.participant", new, changed_plans, PARTICIPANT.audited)
        progress(len(plans), len(plans), _("Wrote %(count)d participants") % {"count": len(plans)})


TEXT_COLUMNS = (
    "counterparty_description_ko",
    "counterparty_description_en",
    "title_ko",
    "title_en",
    "public_title_ko",
    "public_title_en",
    "regulator",
    "pathway",
    "quantity_unit_ko",
    "quantity_unit_en",
)
LONG_TEXT_COLUMNS = ("summary_ko", "summary_en", "public_summary_ko", "public_summary_en")
FIXED = {"kind", "stage", "startup"}
CURRENCIES = [code for code, _label in CURRENCY_CHOICES]
#: The outcome fields an import writes (its values locked here, never given).
IMPORTED_FIELDS = [name for name in OUTCOME.audited if name not in VALUE_FIELDS]


def listed(items) -> list:
    """Investors as ``write_investors`` records them: ``[organization id, role, share]``, lead first."""
    rows = sorted(items, key=lambda item: (item[1], item[0]))
    return [[organization, role, None if share is None else str(share)] for organization, role, share in rows]


class OutcomeImporter(ProgramRowsImporter):
    """Outcomes, found by key. A new outcome may start at any stage of its kind (an import records
    history: a round closed in 2012 is imported closed, with its first stage change, and a closed
    investment records each investor's ``invests_in`` as ``record_investment`` does); an existing
    one keeps its kind, startup and stage (stages move on the outcome's page, with their evidence).
    Amounts get their USD and KRW values locked with one rate table for the whole file."""

    kind = "outcomes"
    ignored_columns = VALUE_FIELDS  # locked here from the amount, never read from a file
    columns = (
        Column("key", "key", required=True, help=KEY_HELP, example="thyroscope-series-b"),
        Column("kind", "choice", required=True, help=", ".join(Kind.values), example="investment"),
        Column(
            "stage",
            "choice",
            required=True,
            help=gettext_lazy("A stage of the kind, e.g. in_review"),
            example="in_review",
        ),
        Column("startup", "key", required=True, help=gettext_lazy("The startup's key"), example="thyroscope"),
        Column("program", "key", help=gettext_lazy("The program's key (program managers: required)")),
        Column("counterparty", "key", help=gettext_lazy("The counterparty's key, if registered")),
        Column(
            "investors",
            "keys",
            help=gettext_lazy("A round's investors: keys separated by ; (key=share for a known share)"),
        ),
        Column("lead_investor", "key", help=gettext_lazy("The round's lead investor's key")),
        Column("counterparty_description_ko"),
        Column("counterparty_description_en", example="A US venture capital firm"),
        Column("counterparty_kind", "choice", help=", ".join(Organization.Kind.values)),
        Column("counterparty_country", help=gettext_lazy("ISO 3166 code"), example="US"),
        Column("title_ko", example="시리즈 B 투자 검토"),
        Column("title_en", example="Series B under review"),
        Column("summary_ko", "long_text"),
        Column("summary_en", "long_text"),
        Column("public_title_ko"),
        Column("public_title_en"),
        Column("public_summary_ko", "long_text"),
        Column("public_summary_en", "long_text"),
        Column("regulator", help=gettext_lazy("Regulatory outcomes: e.g. FDA, MFDS")),
        Column("pathway", help=gettext_lazy("Regulatory outcomes: e.g. 510(k)")),
        Column("market_country", help=gettext_lazy("ISO 3166 code")),
        Column("amount", "number", help=gettext_lazy("10,000,000 or 10000000"), example="10000000"),
        Column(
            "currency", "choice", help=", ".join(code for code, _label in CURRENCY_CHOICES), example="USD"
        ),
        Column("amount_disclosure", "choice", help=", ".join(Disclosure.values), example="auto"),
        Column("quantity", "number"),
        Column("quantity_unit_ko"),
        Column("quantity_unit_en"),
        Column("quantity_period", "choice", help=", ".join(Period.values)),
        Column("reported_on", "date", required=True, example="2024-01-18"),
        Column("occurred_on", "date"),
        Column("is_public", "boolean", help=gettext_lazy("yes or no (default yes)"), example="yes"),
        Column("source", "key", help=gettext_lazy("A source's key")),
    )

    def prepare(self, records) -> None:
        self.load_references(records, ["startup", "counterparty", "investors", "lead_investor"])
        self.rates = RememberedRates(self.rates or rate_table())
        self.sources = dict(Source.objects.values_list("key", "pk"))
        self.existing = self.by_key(Outcome.objects.all(), keys_of(records))
        self.investors_of: dict[int, list] = {}
        ids = [outcome.pk for outcome in self.existing.values()]
        for chunk in chunked(ids):
            for outcome_id, organization_id, role, share in Investor.objects.filter(
                outcome_id__in=chunk
            ).values_list("outcome_id", "organization_id", "role", "share"):
                self.investors_of.setdefault(outcome_id, []).append((organization_id, role, share))
        self.participants = set()
        if not self.sees_everything:
            self.participants = set(
                Participant.objects.filter(program_id__in=self.managed).values_list(
                    "program_id", "organization_id"
                )
            )

    def plan_row(self, row):
        key = self.natural_key(row)
        existing = self.existing.get(key)
        if existing is not None and not self.sees_everything and existing.program_id not in self.managed:
            self.stop("key", _("This outcome exists and is not of a program you manage."))
        values = {}
        kind = self.choice(row, "kind", Kind)
        stage = self.choice(row, "stage", Stage)
        startup_id = self.organization(row, "startup", required=True)
        values.update(kind=kind, stage=stage, startup_id=startup_id)
        if "program" in row:
            values["program_id"] = self.program(row, required=not self.sees_everything)
        elif not self.sees_everything:
            self.program(row, required=True)
        if "counterparty" in row:
            values["counterparty_id"] = self.organization(row, "counterparty")
        for name in TEXT_COLUMNS:
            if name in row:
                values[name] = self.text(row, name)
        for name in LONG_TEXT_COLUMNS:
            if name in row:
                values[name] = self.text(row, name, multiline=True)
        for name, choices in (
            ("counterparty_kind", Organization.Kind),
            ("currency", CURRENCIES),
            ("amount_disclosure", Disclosure),
            ("quantity_period", Period),
        ):
            if name in row:
                values[name] = self.choice(row, name, choices)
        if values.get("amount_disclosure") == "":
            values["amount_disclosure"] = Disclosure.AUTO
        for name in ("counterparty_country", "market_country"):
            if name in row:
                values[name] = self.text(row, name).upper()
        for name in ("amount", "quantity"):
            if name in row:
                values[name] = cents(self.number(row, name))
        for name in ("reported_on", "occurred_on"):
            if name in row:
                values[name] = self.date(row, name)
        if "is_public" in row:
            values["is_public"] = self.boolean(row, "is_public", True)
        if "source" in row:
            source_key = self.text(row, "source")
            values["source_id"] = self.sources.get(source_key) if source_key else None
            if source_key and values["source_id"] is None:
                self.problem("source", _("No source has the key %(key)s.") % {"key": source_key})
        investors = (
            self.investors(row, startup_id) if ("investors" in row or "lead_investor" in row) else None
        )
        if self._row_problems:
            return None
        if (
            not self.sees_everything
            and values.get("program_id") is not None
            and (values["program_id"], startup_id) not in self.participants
        ):
            self.stop("startup", _("This startup does not take part in the program."))

        if existing is None:
            obj = new_instance(Outcome, key=key)
            before = None
        else:
            obj = existing
            before = snapshot(obj, OUTCOME.audited)
            for name in FIXED:
                field = Outcome._meta.get_field(name)
                if values[field.attname if field.is_relation else name] != getattr(obj, field.attname):
                    self.problem(
                        name,
                        _(
                            "An outcome's kind, startup and stage are not changed by an import: move its "
                            "stage on its page."
                        ),
                    )
            if self._row_problems:
                return None
        if investors and not values.get("counterparty_id") and existing is None:
            leads = [item[0] for item in investors if item[1] == Investor.Role.LEAD]
            values["counterparty_id"] = leads[0] if leads else investors[0][0]
        for name, value in values.items():
            setattr(obj, name, value)
        if (
            before is None
            or any(_plain(getattr(obj, name)) != _plain(before.get(name)) for name in SOURCE_FIELDS)
            or (obj.amount is not None and obj.rate_on is None)
        ):
            try:
                for name, value in locked_values(
                    obj.amount, obj.currency, obj.occurred_on or obj.reported_on, self.rates
                ).items():
                    setattr(obj, name, value)
            except FxError:
                self.stop(
                    "currency", _("Dari cannot convert this currency to USD and KRW: no ECB reference rate.")
                )
        self.validate(obj, IMPORTED_FIELDS, default_column="key")
        if investors:
            if obj.kind != Kind.INVESTMENT:
                self.problem("investors", _("Only an investment has investors."))
            shares = [share for _org, _role, share in investors if share is not None]
            if shares and (obj.amount is None or sum(shares) > obj.amount):
                self.problem("investors", _("The investors' shares add up to more than the round's amount."))
        after = snapshot(obj, OUTCOME.audited)
        plan = Plan(self._row, obj, before, changed(before, after) if before is not None else after)
        if existing is not None:
            plan.extra["version"] = obj.version
        if investors is not None:
            new_list = listed(investors)
            old_list = listed(self.investors_of.get(obj.pk, [])) if existing is not None else []
            if new_list != old_list:
                plan.extra.update(
                    investors=investors, investors_before=old_list, investors_after=new_list, changed=True
                )
        return plan

    def investors(self, row, startup_id) -> list:
        items = []
        lead_key = self.text(row, "lead_investor") if "lead_investor" in row else ""
        entries = split_list(self.text(row, "investors")) if "investors" in row else []
        if lead_key and lead_key not in [entry.split("=", 1)[0].strip() for entry in entries]:
            entries.insert(0, lead_key)
        seen = set()
        for entry in entries:
            key, _sep, share_text = entry.partition("=")
            key = key.strip()
            organization_id = self.organizations.get(key)
            if organization_id is None:
                self.problem(
                    "investors", _("No organization you may see has the key %(key)s.") % {"key": key}
                )
                continue
            if organization_id in seen:
                self.problem("investors", _("Each investor is listed once."))
                continue
            if organization_id == startup_id:
                self.problem("investors", _("A startup does not invest in itself."))
                continue
            seen.add(organization_id)
            share = None
            if share_text.strip():
                try:
                    share = cents(read_number(share_text))
                except ValueError:
                    self.problem("investors", _("%(value)s is not a number.") % {"value": share_text})
                    continue
                try:
                    # The column's digits and decimals (as the service's full_clean) and not below 0
                    # (as the round's form).
                    SHARE.clean(share, None)
                    MinValueValidator(0)(share)
                except ValidationError as error:
                    self.problem("investors", " ".join(error.messages))
                    continue
            role = Investor.Role.LEAD if key == lead_key else Investor.Role.PARTICIPANT
            items.append((organization_id, role, share))
        return items

    def write(self, plans, progress) -> None:
        now = timezone.now()
        new = [plan for plan in plans if plan.is_new]
        changed_plans = [plan for plan in plans if not plan.is_new and plan.changes]
        check_versions(Outcome, changed_plans)
        insert_many(Outcome, [plan.obj for plan in new])
        progress(len(new), len(plans), _("Added %(count)d outcomes") % {"count": len(new)})
        fields = {"version"}
        for plan in changed_plans:
            plan.obj.version += 1
            fields |= {Outcome._meta.get_field(name).name for name in plan.changes}
        if changed_plans:
            Outcome.objects.bulk_update(
                [plan.obj for plan in changed_plans], sorted(fields), batch_size=WRITE_BATCH
            )
        recorded_by = getattr(self.actor.user, "pk", None)
        insert_rows(
            StageChange,
            [
                {
                    "outcome_id": plan.obj.pk,
                    "stage": plan.obj.stage,
                    "recorded_on": plan.obj.occurred_on or plan.obj.reported_on,
                    "source_id": plan.obj.source_id,
                    "recorded_by_id": recorded_by,
                    "recorded_at": now,
                }
                for plan in new
            ],
        )
        language = current_language()
        audit_plans(
            self.actor,
            "outcomes.outcome",
            new,
            changed_plans,
            OUTCOME.audited,
            also=self.investors_created,
            label=lambda outcome: outcome_label(outcome, language),
        )

        with_investors = [plan for plan in plans if "investors" in plan.extra]
        replaced = [plan.obj.pk for plan in with_investors if not plan.is_new]
        for chunk in chunked(replaced):
            Investor.objects.filter(outcome_id__in=chunk).delete()
        insert_rows(
            Investor,
            [
                {"outcome_id": plan.obj.pk, "organization_id": organization_id, "role": role, "share": share}
                for plan in with_investors
                for organization_id, role, share in plan.extra["investors"]
            ],
        )
        # A new round's investors are in its created entry; an existing one's change has its own.
        write_audit(
            self.actor,
            "outcomes.outcome.investors_changed",
            [
                (
                    plan.obj,
                    {"investors": [plan.extra["investors_before"], plan.extra["investors_after"]]},
                    outcome_label(plan.obj, language),
                )
                for plan in with_investors
                if not plan.is_new
            ],
        )
        self.record_investments(
            [plan for plan in new if plan.obj.kind == Kind.INVESTMENT and plan.obj.stage == "closed"]
        )
        progress(len(plans), len(plans), _("Wrote %(count)d outcomes") % {"count": len(plans)})

    @staticmethod
    def investors_created(plan) -> dict:
        if plan.extra.get("investors_after"):
            return {"investors": [None, plan.extra["investors_after"]]}
        return {}

    def record_investments(self, plans) -> None:
        """``invests_in`` from each investor of a closed round to its startup, once (what
        ``record_investment`` does when a round closes on its page), in Dari's name."""
        if not plans:
            return
        pairs = {}
        for plan in plans:
            outcome = plan.obj
            investors = [outcome.counterparty_id] if outcome.counterparty_id else []
            investors += [item[0] for item in plan.extra.get("investors", [])]
            for investor_id in investors:
                if investor_id != outcome.startup_id:
                    pairs.setdefault((investor_id, outcome.startup_id), outcome.occurred_on)
        startups = sorted({startup for _investor, startup in pairs})
        existing = set()
        for start in range(0, len(startups), 900):
            existing.update(
                Relationship.objects.filter(
                    kind=Relationship.Kind.INVESTS_IN, object_id__in=startups[start : start + 900]
                ).values_list("subject_id", "object_id")
            )
        new_pairs = {pair: on for pair, on in pairs.items() if pair not in existing}
        language = current_language()
        names = {
            pk: organization_label(pk, *self.organization_names[pk], language)
            for pk in {organization for pair in new_pairs for organization in pair}
        }
        kind = Relationship.Kind.INVESTS_IN
        kind_label = str(kind.label)
        new_ids = insert_rows(
            Relationship,
            [
                {"subject_id": subject, "kind": kind.value, "object_id": object_, "started_on": on}
                for (subject, object_), on in new_pairs.items()
            ],
            with_ids=True,
        )
        ids = dict(zip(new_pairs, new_ids, strict=True))
        write_audit(
            self.actor,
            "registry.relationship.created",
            [
                (
                    ids[(subject, object_)],
                    created_relationship(subject, kind.value, object_, on),
                    f"{names[subject]} {kind_label} {names[object_]}",  # its str()
                )
                for (subject, object_), on in new_pairs.items()
            ],
            model=Relationship,
        )


def created_relationship(subject: int, kind: str, object_: int, started_on) -> dict:
    """What ``created_changes(relationship, RELATIONSHIP.audited)`` records of a new relationship
    with only these set (its notes and end empty), without an instance."""
    values = {
        "started_on": started_on.isoformat() if started_on else None,
        "subject": subject,
        "kind": kind,
        "object": object_,
    }
    return {name: [None, value] for name, value in values.items() if value is not None}


class RememberedRates:
    """A rate table whose reference days and rates are each looked up once for the whole file (many
    rounds share a day): the same answers as the table's, as ``locked_values`` asks them."""

    def __init__(self, table: RateTable):
        self.table = table
        self.days: dict = {}
        self.rates: dict = {}

    def __getattr__(self, name):
        return getattr(self.table, name)

    def reference_day(self, on, *currencies):
        key = (on, currencies)
        if key not in self.days:
            self.days[key] = self.table.reference_day(on, *currencies)
        return self.days[key]

    def rate(self, source: str, target: str, on) -> Rate:
        key = (source, target, on)
        if key not in self.rates:
            self.rates[key] = self.table.rate(source, target, on)
        return self.rates[key]

    def convert(self, amount, source: str, target: str, on):
        return RateTable.convert(self, amount, source, target, on)  # with the remembered rate


def outcome_label(outcome: Outcome, language: str) -> str:
    """``str(outcome)`` in ``language`` (the active one, looked up once for many outcomes)."""
    return str(localized(outcome, "title", language)) or outcome.key


def organization_label(pk: int, name_ko: str, name_en: str, language: str) -> str:
    """``str(organization)`` in ``language`` from its names, without loading the organization."""
    names = SimpleNamespace(name_ko=name_ko, name_en=name_en)
    return str(localized(names, "name", language)) or f"#{pk}"


SHARE = Investor._meta.get_field("share")


def cents(number: Decimal | None) -> Decimal | None:
    """An amount, quantity or share as its column stores it (two decimals), so that 10000000 read
    from a file equals the 10000000.00 stored and a re-import changes nothing."""
    if number is None:
        return None
    try:
        stored = number.quantize(Decimal("0.01"))
    except ArithmeticError:
        return number  # too many digits: the field's own check says so
    # More decimals than the column keeps (100.005) are refused by the field's check, never rounded.
    return stored if stored == number else number


def _plain(value):
    if value is None or value == "":
        return None
    if isinstance(value, Decimal):
        return value.normalize()
    if hasattr(value, "isoformat"):
        return value.isoformat()
    try:
        return Decimal(str(value)).normalize()
    except ArithmeticError:
        return value
