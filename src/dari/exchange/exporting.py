"""Exports of the same kinds, in the columns their imports read: exactly what the viewer may see.

Rows come from ``visible_to(user)`` (a private organization a viewer may not see is absent, and so
is its key wherever another row would name it); an outcome's amount, its locked values and the texts
that may repeat it are blank, or read their public text, when ``dari.core.redaction`` hides them from
the viewer, as on its page; a person's e-mail address only for those who may change the person.
Text that a spreadsheet would run as a formula is neutralised (``tables.neutralise``).
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass

from django.db.models import Prefetch

from dari.core import redaction
from dari.outcomes.models import Investor, Outcome
from dari.outcomes.values import VALUE_FIELDS
from dari.programs.models import Participant, Program
from dari.registry.models import Affiliation, Organization, Person
from dari.registry.permissions import can_change_person

from .importing import IMPORTERS
from .tables import CSV, XLSX, write_csv, write_table_xlsx

#: Columns an outcomes export adds after the import's: the values locked when the amount was recorded.
OUTCOME_VALUE_COLUMNS = VALUE_FIELDS
XLSX_TYPES = {"date": "date", "number": "decimal"}


@dataclass
class Export:
    header: list[str]
    types: list[str]
    rows: Iterable[list]


def columns_of(kind: str, extra: tuple[str, ...] = (), extra_types: tuple[str, ...] = ()):
    columns = IMPORTERS[kind].columns
    header = [column.name for column in columns] + list(extra)
    types = [XLSX_TYPES.get(column.type, "text") for column in columns] + list(extra_types)
    return header, types


def yes_no(value: bool) -> str:
    return "yes" if value else "no"


def export_organizations(user) -> Export:
    header, types = columns_of("organizations")
    organizations = (
        Organization.objects.visible_to(user)
        .select_related("cluster")
        .prefetch_related("sectors")
        .order_by("key")
    )

    def rows():
        for organization in organizations:
            yield [
                organization.key,
                organization.kind,
                organization.name_ko,
                organization.name_en,
                organization.name_ko_origin,
                organization.name_en_origin,
                organization.short_name_ko,
                organization.short_name_en,
                "; ".join(organization.aliases or []),
                organization.description_ko,
                organization.description_en,
                organization.cluster.key if organization.cluster else "",
                "; ".join(sorted(sector.key for sector in organization.sectors.all())),
                organization.website,
                organization.country,
                organization.city_ko,
                organization.city_en,
                yes_no(organization.is_public),
            ]

    return Export(header, types, rows())


def export_people(user) -> Export:
    header, types = columns_of("people")
    visible_organizations = Organization.objects.visible_to(user)
    people = (
        Person.objects.visible_to(user)
        .prefetch_related(
            "affiliations",
            Prefetch(
                "affiliations",
                queryset=Affiliation.objects.visible_to(user)
                .filter(confirmed_at__isnull=False, organization__in=visible_organizations)
                .select_related("organization")
                .order_by("pk"),
                to_attr="shown_affiliations",
            ),
        )
        .order_by("key")
    )

    def rows():
        for person in people:
            affiliation = person.shown_affiliations[0] if person.shown_affiliations else None
            yield [
                person.key,
                person.name_ko,
                person.name_en,
                person.name_ko_origin,
                person.name_en_origin,
                person.email if can_change_person(user, person) else "",
                yes_no(person.is_public),
                person.public_listing_basis,
                affiliation.organization.key if affiliation else "",
                affiliation.title_ko if affiliation else "",
                affiliation.title_en if affiliation else "",
            ]

    return Export(header, types, rows())


def export_participants(user, program: str = "") -> Export:
    header, types = columns_of("participants")
    participants = (
        Participant.objects.filter(
            program__in=Program.objects.visible_to(user),
            organization__in=Organization.objects.visible_to(user),
        )
        .select_related("program", "organization", "cohort__call")
        .order_by("program__key", "organization__key", "cohort__year", "pk")
    )
    if program:
        participants = participants.filter(program__key=program)

    def rows():
        for participant in participants:
            yield [
                participant.program.key,
                participant.organization.key,
                participant.since,
                participant.status,
                participant.cohort.call.round if participant.cohort.call else None,
            ]

    return Export(header, types, rows())


def export_outcomes(user, narrow=None) -> Export:
    """The outcomes ``user`` may see; ``narrow(queryset)``: only those a list's filters show."""
    header, types = columns_of(
        "outcomes", OUTCOME_VALUE_COLUMNS, ("decimal", "decimal", "decimal", "decimal", "date")
    )
    outcomes = (
        Outcome.objects.visible_to(user)
        .for_listing(user)
        .prefetch_related(
            Prefetch("investors", queryset=Outcome.objects.investors_for(user), to_attr="all_investors")
        )
        .order_by("key")
    )
    if narrow is not None:
        outcomes = narrow(outcomes)
    text_columns = [
        name for name in header if name.startswith(("title_", "summary_", "counterparty_description_"))
    ]

    def rows():
        for outcome in outcomes:
            hidden = redaction.hidden_fields(user, outcome)
            values = {
                name: getattr(outcome, name)
                for name in header
                if hasattr(outcome, name) and name not in ("startup", "program", "counterparty", "source")
            }
            for name in hidden & set(values):
                values[name] = None
            for name in text_columns:
                values[name] = redaction.shown(user, outcome, name, default="")
            investors = [item for item in outcome.all_investors if item.organization_visible]
            share_hidden = "share" in redaction.hidden_fields(user, Investor(outcome=outcome))
            values.update(
                startup=outcome.startup.key,
                program=outcome.program.key if outcome.program else "",
                counterparty=outcome.counterparty.key
                if outcome.counterparty and outcome.counterparty_visible
                else "",
                source=outcome.source.key if outcome.source else "",
                lead_investor=next(
                    (item.organization.key for item in investors if item.role == Investor.Role.LEAD), ""
                ),
                investors="; ".join(
                    item.organization.key
                    if item.share is None or share_hidden
                    else f"{item.organization.key}={item.share}"
                    for item in investors
                    if item.role != Investor.Role.LEAD or (item.share is not None and not share_hidden)
                ),
                is_public=yes_no(outcome.is_public),
            )
            yield [values.get(name) for name in header]

    return Export(header, types, rows())


EXPORTERS = {
    "organizations": export_organizations,
    "people": export_people,
    "participants": export_participants,
    "outcomes": export_outcomes,
}


def export_name(kind: str, fmt: str) -> str:
    return f"dari-{kind}.{fmt}"


def export_file(user, kind: str, fmt: str = CSV, *, program: str = "", narrow=None) -> bytes:
    """The ``kind`` rows ``user`` may see as a CSV (UTF-8 with BOM) or XLSX file; participants of
    one ``program`` (its key) when given; outcomes narrowed by ``narrow(queryset)`` (the outcome
    list's filters) when given."""
    if kind == "participants":
        export = EXPORTERS[kind](user, program)
    elif kind == "outcomes":
        export = EXPORTERS[kind](user, narrow)
    else:
        export = EXPORTERS[kind](user)
    if fmt == XLSX:
        return write_table_xlsx(kind, export.header, export.types, export.rows)
    return write_csv(export.header, export.rows)
