"""Load a scenario file (YAML with natural keys) into the database.

Every record is upserted by its natural key inside one transaction and validated with
``full_clean``, so a bad file changes nothing and loading the same file twice changes nothing.
"""

from __future__ import annotations

from collections import Counter
from datetime import date, datetime
from decimal import Decimal
from pathlib import Path
from zoneinfo import ZoneInfo

import yaml
from django.db import transaction

from dari.agreements.models import ActionItem, Agreement, AgreementParty, CooperationArea
from dari.outcomes.models import Outcome, StageChange
from dari.programs.models import Participant, Program, ProgramRole
from dari.registry.models import (
    Affiliation,
    Cluster,
    ClusterStatistic,
    Organization,
    OrganizationFact,
    Person,
    Sector,
    Source,
)

DEFAULT_SCENARIO = Path(__file__).with_name("ulsan_san_diego.yaml")


class ScenarioError(ValueError):
    """The scenario file is malformed or refers to a key that does not exist."""


def parse_moment(value) -> tuple[datetime | None, str]:
    """``{local: "2024-01-17 10:30", zone: America/Los_Angeles}`` -> (aware datetime, zone)."""
    if value is None:
        return None, ""
    try:
        zone = value["zone"]
        local = datetime.strptime(str(value["local"]), "%Y-%m-%d %H:%M")
        # An unknown zone raises ZoneInfoNotFoundError (a KeyError) or ValueError: report it as a bad file.
        tzinfo = ZoneInfo(zone)
    except (KeyError, TypeError, ValueError) as error:
        raise ScenarioError(f"expected {{local: 'YYYY-MM-DD HH:MM', zone: IANA}}, got {value!r}") from error
    return local.replace(tzinfo=tzinfo), zone


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
            instance.full_clean()
            instance.save()
            self.counts[model.__name__] += 1
        if "key" in lookup:
            self.by_key[model, lookup["key"]] = instance
        return instance

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
            values["cluster"] = self.lookup(Cluster, record.get("cluster"))
            values["source"] = self.lookup(Source, record.get("source"))
            values["description_source"] = self.lookup(Source, record.get("description_source"))
            organization = self.upsert(Organization, {"key": record["key"]}, values)
            sectors = [self.lookup(Sector, key) for key in record.get("sectors", [])]
            if set(organization.sectors.all()) != set(sectors):
                organization.sectors.set(sectors)
                self.counts["Organization.sectors"] += 1
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
                self.upsert(
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

        for record in data.get("agreements", []):
            self.load_agreement(record)
        for record in data.get("programs", []):
            self.load_program(record)
        for record in data.get("outcomes", []):
            self.load_outcome(record)

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
            self.upsert(
                Participant,
                {"program": program, "organization": self.lookup(Organization, participant["organization"])},
                {
                    "since": parse_date(participant.get("since")),
                    "status": participant.get("status", Participant.Status.ACTIVE),
                    "source": program.source,
                },
            )

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
        outcome = self.upsert(Outcome, {"key": record["key"]}, values)
        self.upsert(
            StageChange,
            {"outcome": outcome, "stage": outcome.stage, "recorded_on": outcome.reported_on},
            {"source": outcome.source},
        )


def load_scenario(path: Path | str = DEFAULT_SCENARIO) -> dict[str, int]:
    """Load the scenario at ``path``; return how many rows of each model were created or changed.

    Raises ``ScenarioError`` (or Django's ``ValidationError``) and writes nothing if the file is bad.
    """
    try:
        data = yaml.safe_load(Path(path).read_text(encoding="utf-8-sig"))
    except yaml.YAMLError as error:
        raise ScenarioError(f"{path}: not valid YAML: {error}") from error
    if not isinstance(data, dict):
        raise ScenarioError(f"{path}: expected a mapping of sections at the top level")
    loader = Loader()
    with transaction.atomic():
        loader.load(data)
    return dict(loader.counts)
