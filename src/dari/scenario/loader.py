"""Load a scenario file (YAML with natural keys) into the database.

Every record is upserted by its natural key inside one transaction and validated with
``full_clean``, so a bad file changes nothing and loading the same file twice changes nothing.
"""

from __future__ import annotations

from collections import Counter
from datetime import date, datetime
from decimal import Decimal
from pathlib import Path

import yaml
from django.core.exceptions import ValidationError
from django.db import models, transaction
from django.utils import timezone

from dari.accounts.audit import Actor
from dari.accounts.models import User
from dari.accounts.services import grant_membership
from dari.agreements.models import ActionItem, Agreement, AgreementParty, CooperationArea
from dari.core.time import to_utc
from dari.matching.models import MatchingProfile
from dari.outcomes.models import Outcome, StageChange
from dari.outcomes.services import advance_outcome
from dari.outcomes.values import locked_values
from dari.partnering.models import Event, EventItem
from dari.programs import services as program_services
from dari.programs.models import Call, Cohort, Participant, Program, ProgramRole
from dari.programs.reviews import assign_reviewers, save_review, set_review_setup, set_review_status
from dari.registry.models import (
    Affiliation,
    Cluster,
    ClusterStatistic,
    Organization,
    OrganizationFact,
    Person,
    Relationship,
    Sector,
    Source,
)

DEFAULT_SCENARIO = Path(__file__).with_name("ulsan_san_diego.yaml")
#: The usernames of the scenario's made-up accounts start with this.
DEMO_ACCOUNT_PREFIX = "demo-"
SAFE_LOADER = getattr(yaml, "CSafeLoader", yaml.SafeLoader)


class ScenarioError(ValueError):
    """The scenario file is malformed or refers to a key that does not exist."""


def parse_moment(value) -> tuple[datetime | None, str]:
    """``{local: "2024-01-17 10:30", zone: America/Los_Angeles}`` -> (aware datetime, zone), read by
    ``dari.core.time.to_utc``: an unknown zone, a time out of range, or one the zone skips or has
    twice is a bad file."""
    if value is None:
        return None, ""
    expected = f"expected {{local: 'YYYY-MM-DD HH:MM', zone: IANA}}, got {value!r}"
    try:
        zone = value["zone"]
        local = datetime.strptime(str(value["local"]), "%Y-%m-%d %H:%M")
    except (KeyError, TypeError, ValueError) as error:
        raise ScenarioError(expected) from error
    try:
        return to_utc(local, zone, "local", "zone"), zone
    except ValidationError as error:
        raise ScenarioError(f"{expected}: {' '.join(error.messages)}") from error


def parse_date(value) -> date | None:
    if value is None or isinstance(value, date):
        return value
    return date.fromisoformat(str(value))


def parse_decimal(value) -> Decimal | None:
    return None if value is None else Decimal(str(value))


class Loader:
    def __init__(self):
        self.counts: Counter[str] = Counter()
        # Rows by (model, key): the same source or organization is referred to many times.
        self.by_key: dict[tuple[type, str], object] = {}

    def lookup(self, model, key: str | None):
        if key is None:
            return None
        if (model, key) not in self.by_key:
            try:
                self.by_key[model, key] = model.objects.get(key=key)
            except model.DoesNotExist as error:
                raise ScenarioError(f"{model.__name__} with key {key!r} does not exist") from error
        return self.by_key[model, key]

    def upsert(self, model, lookup: dict, values: dict):
        """Create or update one row; returns it. Validates before writing."""
        instance = model.objects.filter(**lookup).first()
        changed = instance is None
        if instance is None:
            instance = model(**lookup)
        for field, value in values.items():
            if changed or getattr(instance, field) != value:
                setattr(instance, field, value)
                changed = True
        if changed:
            # Related rows given as instances were read or written in this load, so they exist: skip
            # the query per foreign key that full_clean spends checking that (a third of the load's
            # queries), but still check uniqueness and constraints on every field.
            loaded = [
                field
                for field, value in (*lookup.items(), *values.items())
                if isinstance(value, models.Model) and value.pk is not None
            ]
            instance.full_clean(exclude=loaded, validate_unique=False, validate_constraints=False)
            instance.validate_unique()
            instance.validate_constraints()
            instance.save()
            self.counts[model.__name__] += 1
        if "key" in lookup:
            self.by_key[model, lookup["key"]] = instance
        return instance

    def set_sectors(self, organization: Organization, sectors: list[Sector]) -> None:
        """Make the organization's sectors exactly ``sectors``, in two queries when they change (the
        related manager's ``set`` spends four: the scenario loads for most tests, so it counts)."""
        through = Organization.sectors.through
        current = set(through.objects.filter(organization=organization).values_list("sector_id", flat=True))
        wanted = {sector.pk for sector in sectors}
        if current == wanted:
            return
        through.objects.filter(organization=organization, sector_id__in=current - wanted).delete()
        through.objects.bulk_create(
            through(organization=organization, sector_id=pk) for pk in sorted(wanted - current)
        )
        self.counts["Organization.sectors"] += 1

    @staticmethod
    def pick(record: dict, *fields: str) -> dict:
        return {field: record[field] for field in fields if field in record}

    def load(self, data: dict) -> None:
        for record in data.get("sources", []):
            published_at, zone = parse_moment(record.get("published_at"))
            values = self.pick(
                record, "title_ko", "title_en", "publisher", "url", "language", "note_ko", "note_en"
            )
            values.update(
                published_on=parse_date(record.get("published_on")),
                published_at=published_at,
                published_time_zone=zone,
            )
            self.upsert(Source, {"key": record["key"]}, values)

        for record in data.get("sectors", []):
            values = self.pick(record, "kind", "name_ko", "name_en", "synonyms_ko", "synonyms_en")
            values["parent"] = self.lookup(Sector, record.get("parent"))
            self.upsert(Sector, {"key": record["key"]}, values)

        for record in data.get("clusters", []):
            values = self.pick(
                record,
                "name_ko",
                "name_en",
                "name_ko_origin",
                "name_en_origin",
                "country",
                "time_zone",
                "description_ko",
                "description_en",
            )
            values["source"] = self.lookup(Source, record.get("source"))
            cluster = self.upsert(Cluster, {"key": record["key"]}, values)
            for statistic in record.get("statistics", []):
                self.upsert(
                    ClusterStatistic,
                    {"cluster": cluster, "key": statistic["key"]},
                    {
                        **self.pick(statistic, "label_ko", "label_en", "unit", "year", "is_approximate"),
                        "value": parse_decimal(statistic["value"]),
                        "source": self.lookup(Source, statistic["source"]),
                    },
                )

        for record in data.get("organizations", []):
            values = self.pick(
                record,
                "kind",
                "name_ko",
                "name_en",
                "name_ko_origin",
                "name_en_origin",
                "short_name_ko",
                "short_name_en",
                "aliases",
                "description_ko",
                "description_en",
                "description_is_illustrative",
                "is_illustrative",
                "website",
                "country",
                "city_ko",
                "city_en",
                "is_public",
            )
            if record.get("is_illustrative"):
                self.check_illustrative_organization(record)
            values["cluster"] = self.lookup(Cluster, record.get("cluster"))
            values["source"] = self.lookup(Source, record.get("source"))
            values["description_source"] = self.lookup(Source, record.get("description_source"))
            organization = self.upsert(Organization, {"key": record["key"]}, values)
            self.set_sectors(organization, [self.lookup(Sector, key) for key in record.get("sectors", [])])
            for fact in record.get("facts", []):
                self.upsert(
                    OrganizationFact,
                    {"organization": organization, "key": fact["key"]},
                    {
                        **self.pick(fact, "label_ko", "label_en", "unit", "year", "is_approximate"),
                        "value": parse_decimal(fact["value"]),
                        "source": self.lookup(Source, fact["source"]),
                    },
                )
            if "matching" in record:
                self.load_matching_profile(organization, record["matching"])

        for record in data.get("people", []):
            values = self.pick(
                record,
                "name_ko",
                "name_en",
                "name_ko_origin",
                "name_en_origin",
                "email",
                "is_public",
                "public_listing_basis",
            )
            values["source"] = self.lookup(Source, record.get("source"))
            person = self.upsert(Person, {"key": record["key"]}, values)
            for affiliation in record.get("affiliations", []):
                loaded = self.upsert(
                    Affiliation,
                    {
                        "person": person,
                        "organization": self.lookup(Organization, affiliation["organization"]),
                        "title_en": affiliation.get("title_en", ""),
                    },
                    {
                        "title_ko": affiliation.get("title_ko", ""),
                        "started_on": parse_date(affiliation.get("started_on")),
                        "ended_on": parse_date(affiliation.get("ended_on")),
                        "source": self.lookup(Source, affiliation.get("source", record.get("source"))),
                    },
                )
                if not loaded.is_confirmed:  # a public source states it: confirmed as staff would
                    loaded.confirmed_at = timezone.now()
                    loaded.save(update_fields=["confirmed_at"])

        for record in data.get("relationships", []):
            self.load_relationship(record)
        for record in data.get("agreements", []):
            self.load_agreement(record)
        for record in data.get("programs", []):
            self.load_program(record)
        for record in data.get("accounts", []):
            self.load_account(record)
        for record in data.get("programs", []):
            for call in record.get("calls", []):
                self.load_call(self.lookup(Program, record["key"]), call)
        for record in data.get("outcomes", []):
            self.load_outcome(record)
        for record in data.get("events", []):
            self.load_event(record)

    @staticmethod
    def check_illustrative_organization(record: dict) -> None:
        """A made-up organization cites no source, and its description says it is made up."""
        cited = [field for field in ("source", "description_source") if record.get(field) is not None]
        if cited:
            raise ScenarioError(
                f"organization {record['key']!r} is illustrative (made up) and may not cite a {cited[0]}"
            )
        has_description = record.get("description_ko") or record.get("description_en")
        if has_description and not record.get("description_is_illustrative"):
            raise ScenarioError(
                f"organization {record['key']!r} is illustrative: set description_is_illustrative: true"
            )

    def cited_source(self, what: str, organizations: list[Organization], source_key: str | None):
        """The source a record about ``organizations`` cites, after checking the provenance rule.

        A record that touches a real organization states a fact about it, so it must cite a source;
        a record among illustrative organizations is made up, so citing a source would dress it as
        fact. A record joining a real and an illustrative organization can satisfy neither: it would
        be an invented fact about a real one.
        """
        real = [organization.key for organization in organizations if not organization.is_illustrative]
        if real and len(real) < len(organizations):
            raise ScenarioError(
                f"{what}: ties real organization {real[0]!r} to an illustrative one; "
                "an illustrative organization cannot have a fact about a real one"
            )
        if real and source_key is None:
            raise ScenarioError(f"{what}: touches real organization {real[0]!r} and must cite a source")
        if not real and source_key is not None:
            raise ScenarioError(f"{what}: is illustrative (made up) and may not cite source {source_key!r}")
        return self.lookup(Source, source_key)

    def load_matching_profile(self, organization: Organization, record: dict) -> None:
        """Upsert the organization's matching profile; fields left out of ``record`` are emptied, so
        the file stays the whole truth about the profile. ``source`` is checked, not stored: the
        profile has no field for it."""
        self.cited_source(f"matching profile of {organization.key!r}", [organization], record.get("source"))
        self.upsert(
            MatchingProfile,
            {"organization": organization},
            {
                "stage": record.get("stage", ""),
                "amount_sought_usd": parse_decimal(record.get("amount_sought_usd")),
                "needs_ko": record.get("needs_ko", ""),
                "needs_en": record.get("needs_en", ""),
                "thesis_ko": record.get("thesis_ko", ""),
                "thesis_en": record.get("thesis_en", ""),
                "check_min_usd": parse_decimal(record.get("check_min_usd")),
                "check_max_usd": parse_decimal(record.get("check_max_usd")),
                "stages_of_interest": record.get("stages_of_interest", []),
                "regions_of_interest": record.get("regions_of_interest", []),
            },
        )

    def load_relationship(self, record: dict) -> None:
        subject = self.lookup(Organization, record["subject"])
        target = self.lookup(Organization, record["object"])
        what = f"relationship {record['subject']!r} {record['kind']} {record['object']!r}"
        self.upsert(
            Relationship,
            {"subject": subject, "kind": record["kind"], "object": target},
            {
                **self.pick(record, "note_ko", "note_en"),
                "started_on": parse_date(record.get("started_on")),
                "ended_on": parse_date(record.get("ended_on")),
                "source": self.cited_source(what, [subject, target], record.get("source")),
            },
        )

    def load_agreement(self, record: dict) -> None:
        signed_at, zone = parse_moment(record.get("signed_at"))
        values = self.pick(
            record,
            "kind",
            "title_ko",
            "title_en",
            "summary_ko",
            "summary_en",
            "place_ko",
            "place_en",
            "context_ko",
            "context_en",
            "is_public",
        )
        values.update(
            signed_at=signed_at,
            signed_time_zone=zone,
            place_organization=self.lookup(Organization, record.get("place_organization")),
            source=self.lookup(Source, record.get("source")),
        )
        agreement = self.upsert(Agreement, {"key": record["key"]}, values)
        parties = {}
        for position, party in enumerate(record.get("parties", []), start=1):
            organization = self.lookup(Organization, party["organization"])
            parties[party["organization"]] = self.upsert(
                AgreementParty,
                {"agreement": agreement, "organization": organization},
                {
                    **self.pick(
                        party, "head_title_ko", "head_title_en", "signatory_title_ko", "signatory_title_en"
                    ),
                    "position": position,
                    "head": self.lookup(Person, party.get("head")),
                    "signatory": self.lookup(Person, party.get("signatory")),
                },
            )
        for area in record.get("areas", []):
            self.upsert(
                CooperationArea,
                {"agreement": agreement, "number": area["number"]},
                self.pick(area, "title_ko", "title_en", "description_ko", "description_en"),
            )
        for item in record.get("action_items", []):
            due_at, due_zone = parse_moment(item.get("due_at"))
            owner = item.get("owner")
            if owner is not None and owner not in parties:
                raise ScenarioError(f"action item {item['key']!r}: owner {owner!r} is not a party")
            area_number = item.get("area")
            self.upsert(
                ActionItem,
                {"agreement": agreement, "key": item["key"]},
                {
                    **self.pick(item, "title_ko", "title_en", "status"),
                    "owner_party": parties.get(owner),
                    "stated_by": self.lookup(Person, item.get("stated_by")),
                    "area": agreement.areas.get(number=area_number) if area_number else None,
                    "due_at": due_at,
                    "due_time_zone": due_zone,
                    "source": self.lookup(Source, item.get("source")),
                },
            )

    def load_program(self, record: dict) -> None:
        values = self.pick(
            record,
            "name_ko",
            "name_en",
            "name_ko_origin",
            "name_en_origin",
            "description_ko",
            "description_en",
            "start_year",
            "is_public",
        )
        values.update(
            started_on=parse_date(record.get("started_on")),
            ended_on=parse_date(record.get("ended_on")),
            source=self.lookup(Source, record.get("source")),
        )
        program = self.upsert(Program, {"key": record["key"]}, values)
        for role in record.get("roles", []):
            self.upsert(
                ProgramRole,
                {
                    "program": program,
                    "organization": self.lookup(Organization, role["organization"]),
                    "role": role["role"],
                },
                {"source": program.source},
            )
        for participant in record.get("participants", []):
            # Participants recorded without a call belong to the program's cohort of their year
            # (``cohort_year``, else the year of ``since``; none recorded: the cohort without a year).
            since = parse_date(participant.get("since"))
            year = participant.get("cohort_year") or (since.year if since else None)
            cohort = self.upsert(Cohort, {"program": program, "call": None, "year": year}, {})
            self.upsert(
                Participant,
                {
                    "program": program,
                    "cohort": cohort,
                    "organization": self.lookup(Organization, participant["organization"]),
                },
                {
                    "since": since,
                    "status": participant.get("status", Participant.Status.ACTIVE),
                    "source": program.source,
                },
            )

    def load_account(self, record: dict) -> None:
        """A made-up account (the illustrative call's reviewers and applicants): created without a
        password, so nobody signs in as it until ``dari demo`` gives it the demo password; its roles
        granted as staff would (``grant_membership``), only in made-up organizations."""
        username = record["username"]
        if not username.startswith(DEMO_ACCOUNT_PREFIX):
            raise ScenarioError(
                f"account {username!r}: the scenario's accounts are made up; their usernames start with "
                f"{DEMO_ACCOUNT_PREFIX}"
            )
        user = User.objects.filter(username=username).first()
        if user is None:
            user = User(
                username=username, **self.pick(record, "first_name", "last_name", "language", "time_zone")
            )
            user.set_unusable_password()
            user.full_clean()
            user.save()
            self.counts["User"] += 1
        self.by_key[User, username] = user
        for role in record.get("roles", []):
            if "organization" in role:
                scope = self.lookup(Organization, role["organization"])
                if not scope.is_illustrative:
                    raise ScenarioError(
                        f"account {username!r}: a made-up account may not belong to real organization "
                        f"{scope.key!r}"
                    )
            else:
                scope = self.lookup(Program, role["program"])
            grant_membership(Actor.system(), user, role["role"], scope)

    def account(self, username: str) -> User:
        try:
            return self.by_key[User, username]
        except KeyError:
            raise ScenarioError(f"account {username!r} is not in the accounts section") from None

    def load_call(self, program: Program, record: dict) -> None:
        """An illustrative call of ``program``, run through the same use cases as in the app: created,
        opened, applied to and submitted at the file's times by the applicants (or by Dari for a
        startup without an account), closed, its reviewers assigned (a conflict of interest refuses
        the file) and its reviews saved and submitted by the reviewers. Loaded once: when the call's
        round exists, the call and what the demo's users did to it since stay as they are."""
        what = f"call {program.key} round {record['round']}"
        if not record.get("is_illustrative"):
            raise ScenarioError(
                f"{what}: the program's real calls are not reported; a call here is illustrative"
            )
        if Call.objects.filter(program=program, round=record["round"]).exists():
            return
        system = Actor.system()
        opens_at, zone = parse_moment(record["opens_at"])
        closes_at, _zone = parse_moment(record["closes_at"])
        values = self.pick(
            record,
            "round",
            "title_ko",
            "title_en",
            "description_ko",
            "description_en",
            "eligibility_ko",
            "eligibility_en",
        )
        call = program_services.create_call(
            system,
            program,
            {
                **values,
                "opens_at": opens_at,
                "closes_at": closes_at,
                "time_zone": zone,
                "form": record["form"],
            },
        )
        Call.objects.filter(pk=call.pk).update(is_illustrative=True)
        call.is_illustrative = True
        setup = self.pick(record, "rubric", "reviews_shared", "blind_review")
        set_review_setup(system, call, None, setup)
        program_services.set_call_status(system, call, Call.Status.OPEN, now=opens_at)
        self.counts["Call"] += 1
        applications = []
        for item in record.get("applications", []):
            startup = self.lookup(Organization, item["startup"])
            if not startup.is_illustrative:
                raise ScenarioError(
                    f"{what}: {startup.key!r} is a real startup; an illustrative call has made-up applicants"
                )
            actor = Actor(user=self.account(item["by"])) if item.get("by") else system
            submitted_at, _zone = parse_moment(item.get("submitted_at"))
            application = program_services.start_application(
                actor, call, startup, {"answers": item.get("answers", {})}, now=submitted_at or opens_at
            )
            if submitted_at is not None:
                program_services.set_application_status(actor, application, "submitted", now=submitted_at)
            applications.append((application, item.get("reviews", [])))
            self.counts["Application"] += 1
        program_services.set_call_status(system, call, record.get("status", Call.Status.OPEN))
        pairs = [
            (application, self.account(review["reviewer"]))
            for application, reviews in applications
            for review in reviews
        ]
        assigned = {
            (review.application_id, review.reviewer_id): review
            for review in assign_reviewers(system, call, None, pairs)
        }
        for application, reviews in applications:
            for item in reviews:
                reviewer = self.account(item["reviewer"])
                review = assigned[application.pk, reviewer.pk]
                actor = Actor(user=reviewer)
                review = save_review(
                    actor, review, self.pick(item, "scores", "comment", "comment_to_applicant")
                )
                submitted_at, _zone = parse_moment(item.get("submitted_at"))
                if submitted_at is not None:
                    set_review_status(actor, review, "submitted", now=submitted_at)
                self.counts["Review"] += 1

    def load_outcome(self, record: dict) -> None:
        values = self.pick(
            record,
            "kind",
            "stage",
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
            "market_country",
            "currency",
            "quantity_unit_ko",
            "quantity_unit_en",
            "quantity_period",
            "is_public",
        )
        values.update(
            startup=self.lookup(Organization, record["startup"]),
            counterparty=self.lookup(Organization, record.get("counterparty")),
            program=self.lookup(Program, record.get("program")),
            amount=parse_decimal(record.get("amount")),
            quantity=parse_decimal(record.get("quantity")),
            reported_on=parse_date(record["reported_on"]),
            occurred_on=parse_date(record.get("occurred_on")),
            source=self.lookup(Source, record.get("source")),
        )
        # The amount's USD and KRW values locked as the app locks them (unchanged on a reload).
        on = values["occurred_on"] or values["reported_on"]
        values.update(locked_values(values["amount"], values.get("currency", ""), on))
        stage = values.pop("stage", None)
        existing = Outcome.objects.filter(key=record["key"]).first()
        if existing is None:
            # A new outcome starts at the scenario's stage, with that stage as its first history row.
            outcome = self.upsert(Outcome, {"key": record["key"]}, {**values, "stage": stage})
            self.upsert(
                StageChange,
                {"outcome": outcome, "stage": outcome.stage, "recorded_on": outcome.reported_on},
                {"source": outcome.source},
            )
            return
        outcome = self.upsert(Outcome, {"key": record["key"]}, values)
        if stage is not None and stage != outcome.stage:
            # A reloaded scenario that reports a later stage moves the outcome like anyone would.
            advance_outcome(Actor.system(), outcome, stage, on=outcome.reported_on, source=outcome.source)
            self.counts["StageChange"] += 1

    def load_event(self, record: dict) -> None:
        """An event (a delegation visit, say) with its programme: each moment at its local time, with
        the agreement it saw signed and its source."""
        values = self.pick(
            record,
            "name_ko",
            "name_en",
            "name_ko_origin",
            "name_en_origin",
            "kind",
            "description_ko",
            "description_en",
            "time_zone",
            "status",
            "is_public",
        )
        event = self.upsert(Event, {"key": record["key"]}, values)
        for item in record.get("items", []):
            starts_at, _zone = parse_moment(item["starts_at"])
            self.upsert(
                EventItem,
                {"event": event, "starts_at": starts_at, "title_en": item.get("title_en", "")},
                {
                    **self.pick(item, "title_ko", "place_ko", "place_en"),
                    "agreement": self.lookup(Agreement, item.get("agreement")),
                    "source": self.lookup(Source, item.get("source")),
                },
            )


def read_scenario(path: Path | str = DEFAULT_SCENARIO) -> dict:
    """The scenario file's sections, or ``ScenarioError`` when it is not a YAML mapping."""
    try:
        # libyaml's parser when PyYAML has it: ten times faster on this file, and most tests load it.
        data = yaml.load(Path(path).read_text(encoding="utf-8-sig"), Loader=SAFE_LOADER)
    except yaml.YAMLError as error:
        raise ScenarioError(f"{path}: not valid YAML: {error}") from error
    if not isinstance(data, dict):
        raise ScenarioError(f"{path}: expected a mapping of sections at the top level")
    return data


def made_up_accounts(path: Path | str = DEFAULT_SCENARIO) -> list[dict]:
    """The scenario's made-up accounts (username and roles), for ``dari demo`` to open them."""
    return list(read_scenario(path).get("accounts", []))


def load_scenario(path: Path | str = DEFAULT_SCENARIO) -> dict[str, int]:
    """Load the scenario at ``path``; return how many rows of each model were created or changed.

    Raises ``ScenarioError`` (or Django's ``ValidationError``) and writes nothing if the file is bad.
    """
    data = read_scenario(path)
    loader = Loader()
    with transaction.atomic():
        loader.load(data)
    return dict(loader.counts)
