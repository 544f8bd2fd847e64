"""Importing organizations and people (the registry's kinds)."""

from __future__ import annotations

from django.core.exceptions import ValidationError
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from dari.accounts.access import access_for
from dari.accounts.audit import created_changes, snapshot
from dari.core.bilingual import NameOrigin
from dari.registry.models import Affiliation, Cluster, Organization, Person, Sector
from dari.registry.services import AFFILIATION, ORGANIZATION, PERSON, require_public_role_right, stamp_consent

from .engine import (
    WRITE_BATCH,
    Column,
    Importer,
    Plan,
    audit_plans,
    changed,
    check_versions,
    chunked,
    created_from,
    insert_many,
    keys_of,
    new_instance,
    write_audit,
)

KEY_HELP = gettext_lazy("The natural key: letters, digits and hyphens; the same key updates the same row.")
BOTH = gettext_lazy("Give the Korean or the English name, or both.")
ORIGIN_HELP = gettext_lazy("original or translation (default original): whether the name is the one it uses")


ORIGINS = ("name_ko_origin", "name_en_origin")


def origin_columns() -> tuple[Column, Column]:
    """Whether each name is the organization's or person's own or a translation (``NameOrigin``), so
    that an exported translated name imports back as a translation."""
    return (
        Column("name_ko_origin", "choice", help=ORIGIN_HELP, example="original"),
        Column("name_en_origin", "choice", help=ORIGIN_HELP, example="original"),
    )


def read_origins(importer: Importer, row: dict, values: dict) -> None:
    """The name origins a row gives; an empty cell keeps the current one (original for a new row)."""
    for name in ("name_ko_origin", "name_en_origin"):
        if row.get(name) not in (None, ""):
            values[name] = importer.choice(row, name, NameOrigin) or NameOrigin.ORIGINAL


def refresh_search_after_commit() -> None:
    """Imported organizations and people reach search once the import commits: the worker encodes
    the changed profiles into a new index snapshot (only those whose text changed: their
    ``updated_at`` moved, which the bulk writes set) while searches keep using the current one."""
    from dari.matching.tasks import schedule_index_refresh

    schedule_index_refresh()


def may_import_registry(user) -> bool:
    """Staff: an import writes many organizations' or people's records at once."""
    return access_for(user).sees_everything


def split_list(value: str) -> list[str]:
    return [item.strip() for item in value.replace("|", ";").split(";") if item.strip()]


class OrganizationImporter(Importer):
    kind = "organizations"
    columns = (
        Column("key", "key", required=True, help=KEY_HELP, example="thyroscope"),
        Column("kind", "choice", required=True, help=", ".join(Organization.Kind.values), example="startup"),
        Column("name_ko", help=BOTH, example="㈜타이로스코프"),
        Column("name_en", help=BOTH, example="Thyroscope"),
        *origin_columns(),
        Column("short_name_ko"),
        Column("short_name_en"),
        Column("aliases", help=gettext_lazy("Other names, separated by ;"), example="타이로스코프"),
        Column("description_ko", "long_text"),
        Column("description_en", "long_text"),
        Column(
            "cluster", "key", help=gettext_lazy("A cluster's key, e.g. ulsan or san-diego"), example="ulsan"
        ),
        Column("sectors", "keys", help=gettext_lazy("Sector keys, separated by ;"), example=""),
        Column("website", example="https://thyroscope.com"),
        Column("country", help=gettext_lazy("ISO 3166 code, e.g. KR or US"), example="KR"),
        Column("city_ko", example="울산"),
        Column("city_en", example="Ulsan"),
        Column("is_public", "boolean", help=gettext_lazy("yes or no (default yes)"), example="yes"),
    )
    plain_fields = [name for name in ORGANIZATION.audited if name != "sectors"]

    @classmethod
    def may_import(cls, user) -> bool:
        return may_import_registry(user)

    def prepare(self, records) -> None:
        self.existing = self.by_key(Organization.objects.all(), keys_of(records))
        self.clusters = dict(Cluster.objects.values_list("key", "pk"))
        self.sector_ids = dict(Sector.objects.values_list("key", "pk"))
        self.present = set()
        self.sectors_of: dict[int, list[int]] = {}
        if self.existing and "sectors" in self.header:
            through = Organization.sectors.through.objects.filter(
                organization_id__in=[organization.pk for organization in self.existing.values()]
            )
            for organization_id, sector_id in through.values_list("organization_id", "sector_id"):
                self.sectors_of.setdefault(organization_id, []).append(sector_id)

    def plan_row(self, row: dict) -> Plan | None:
        key = self.natural_key(row)
        values = {}
        for column in self.columns:
            name = column.name
            if name not in row or name in ("key", "sectors", "cluster", "aliases", "is_public", *ORIGINS):
                continue
            if column.type == "choice":
                values[name] = self.choice(row, name, Organization.Kind)
            else:
                values[name] = self.text(row, name, multiline=column.type == "long_text")
        read_origins(self, row, values)
        if "country" in values:
            values["country"] = values["country"].upper()
        if "is_public" in row:
            values["is_public"] = self.boolean(row, "is_public", True)
        if "aliases" in row:
            values["aliases"] = split_list(self.text(row, "aliases"))
        if "cluster" in row:
            cluster_key = self.text(row, "cluster")
            values["cluster_id"] = self.clusters.get(cluster_key) if cluster_key else None
            if cluster_key and values["cluster_id"] is None:
                self.problem("cluster", _("No cluster has the key %(key)s.") % {"key": cluster_key})
        sectors = None
        if "sectors" in row:
            sectors = []
            for sector_key in split_list(self.text(row, "sectors")):
                if sector_key not in self.sector_ids:
                    self.problem("sectors", _("No sector has the key %(key)s.") % {"key": sector_key})
                else:
                    sectors.append(self.sector_ids[sector_key])
            sectors = sorted(set(sectors))

        existing = self.existing.get(key)
        if existing is None:
            obj = new_instance(Organization, key=key)
            before = None
        else:
            obj = existing
            before = snapshot(obj, self.plain_fields)
        for name, value in values.items():
            setattr(obj, name, value)
        self.validate(obj, self.plain_fields, default_column="name_en")
        after = snapshot(obj, self.plain_fields)
        plan = Plan(self._row, obj, before, changed(before or {}, after) if before is not None else after)
        if sectors is not None:
            old = sorted(self.sectors_of.get(obj.pk, [])) if before is not None else []
            if sectors != old:
                plan.changes["sectors"] = [old, sectors]
                plan.extra["changed"] = True
            plan.extra["sectors"] = sectors
        if before is not None:
            plan.extra["version"] = obj.version
        return plan

    def write(self, plans, progress) -> None:
        new = [plan for plan in plans if plan.is_new]
        changed_plans = [plan for plan in plans if not plan.is_new]
        check_versions(Organization, changed_plans)
        insert_many(Organization, [plan.obj for plan in new])
        progress(len(new), len(plans), _("Added %(count)d organizations") % {"count": len(new)})
        now = timezone.now()
        fields = {"updated_at", "version"}
        for plan in changed_plans:
            plan.obj.updated_at = now  # bulk_update skips auto_now: search re-indexes by it
            plan.obj.version += 1
            fields |= {name for name in plan.changes if name != "sectors"}
        fields = [Organization._meta.get_field(name).name for name in fields]
        if changed_plans:
            Organization.objects.bulk_update(
                [plan.obj for plan in changed_plans], fields, batch_size=WRITE_BATCH
            )
        through = Organization.sectors.through
        replaced = [plan.obj.pk for plan in changed_plans if "sectors" in plan.changes]
        if replaced:
            through.objects.filter(organization_id__in=replaced).delete()
        links = [
            through(organization_id=plan.obj.pk, sector_id=sector_id)
            for plan in plans
            if plan.is_new or "sectors" in plan.changes
            for sector_id in plan.extra.get("sectors", [])
        ]
        through.objects.bulk_create(links, batch_size=WRITE_BATCH)

        created_items = []
        for plan in new:
            changes = created_from(plan)
            if plan.extra.get("sectors"):
                changes["sectors"] = [None, plan.extra["sectors"]]
            created_items.append((plan.obj, changes))
        write_audit(self.actor, "registry.organization.created", created_items)
        write_audit(
            self.actor, "registry.organization.changed", [(plan.obj, plan.changes) for plan in changed_plans]
        )
        refresh_search_after_commit()
        progress(len(plans), len(plans), _("Wrote %(count)d organizations") % {"count": len(plans)})


class PersonImporter(Importer):
    """People, with the registry's listing rule: a public profile needs a recorded basis, only staff
    record a public role, and a basis set to consent records when and by whom. An ``organization``
    column adds a confirmed affiliation (with ``title_ko``/``title_en``) when the person has none
    with it."""

    kind = "people"
    columns = (
        Column("key", "key", required=True, help=KEY_HELP, example="kim-doosung"),
        Column("name_ko", help=BOTH, example="김두겸"),
        Column("name_en", help=BOTH, example="Kim Doo-gyeom"),
        *origin_columns(),
        Column("email", example=""),
        Column("is_public", "boolean", help=gettext_lazy("yes or no (default no)"), example="yes"),
        Column(
            "public_listing_basis",
            "choice",
            help=gettext_lazy("consent or public_role: required for a public profile"),
            example="public_role",
        ),
        Column(
            "organization",
            "key",
            help=gettext_lazy("The key of the organization they work at"),
            example="ulsan-city",
        ),
        Column("title_ko", example="시장"),
        Column("title_en", example="Mayor"),
    )
    plain_fields = list(PERSON.audited)
    given_fields = ["name_ko", "name_en", "email", "is_public", "public_listing_basis"]

    @classmethod
    def may_import(cls, user) -> bool:
        return may_import_registry(user)

    def prepare(self, records) -> None:
        self.existing = self.by_key(Person.objects.all(), keys_of(records))
        self.organizations = {}
        for chunk in chunked(keys_of(records, "organization")):
            self.organizations.update(Organization.objects.filter(key__in=chunk).values_list("key", "pk"))
        self.affiliations = {}
        if self.existing:
            for affiliation in Affiliation.objects.filter(person__in=list(self.existing.values())):
                self.affiliations.setdefault(
                    (affiliation.person_id, affiliation.organization_id), affiliation
                )

    def plan_row(self, row: dict) -> Plan | None:
        key = self.natural_key(row)
        values = {}
        for name in ("name_ko", "name_en", "email"):
            if name in row:
                values[name] = self.text(row, name)
        read_origins(self, row, values)
        if "public_listing_basis" in row:
            values["public_listing_basis"] = self.choice(row, "public_listing_basis", Person.ListingBasis)
        if "is_public" in row:
            values["is_public"] = self.boolean(row, "is_public", False)
        existing = self.existing.get(key)
        obj = existing or Person(key=key)
        before = snapshot(obj, self.plain_fields) if existing else None
        previous_basis = obj.public_listing_basis if existing else ""
        for name, value in values.items():
            setattr(obj, name, value)
        try:
            require_public_role_right(self.actor, previous_basis, obj.public_listing_basis)
        except ValidationError as error:
            self.validation_problems(error, "public_listing_basis")
        stamp_consent(self.actor, obj, previous_basis=previous_basis)
        self.validate(obj, self.plain_fields, default_column="name_en")
        after = snapshot(obj, self.plain_fields)
        plan = Plan(self._row, obj, before, changed(before, after) if before is not None else after)
        if before is not None:
            plan.extra["version"] = obj.version
        organization_key = self.text(row, "organization") if "organization" in row else ""
        if organization_key:
            organization_id = self.organizations.get(organization_key)
            if organization_id is None:
                self.stop(
                    "organization", _("No organization has the key %(key)s.") % {"key": organization_key}
                )
            titles = {name: self.text(row, name) for name in ("title_ko", "title_en") if name in row}
            affiliation = self.affiliations.get((obj.pk, organization_id)) if existing else None
            if affiliation is None:
                plan.extra["affiliation"] = (organization_id, titles)
                plan.extra["changed"] = True
            elif any(getattr(affiliation, name) != value for name, value in titles.items()):
                plan.extra["affiliation_change"] = (affiliation, titles)
                plan.extra["changed"] = True
        return plan

    def write(self, plans, progress) -> None:
        new = [plan for plan in plans if plan.is_new]
        changed_plans = [plan for plan in plans if not plan.is_new and plan.changes]
        check_versions(Person, changed_plans)
        insert_many(Person, [plan.obj for plan in new])
        now = timezone.now()
        fields = {"updated_at", "version"}
        for plan in changed_plans:
            plan.obj.updated_at = now
            plan.obj.version += 1
            fields |= set(plan.changes)
        if changed_plans:
            Person.objects.bulk_update(
                [plan.obj for plan in changed_plans], sorted(fields), batch_size=WRITE_BATCH
            )
        audit_plans(self.actor, "registry.person", new, changed_plans, self.plain_fields)

        new_affiliations = []
        for plan in plans:
            if "affiliation" in plan.extra:
                organization_id, titles = plan.extra["affiliation"]
                new_affiliations.append(
                    Affiliation(
                        person=plan.obj,
                        organization_id=organization_id,
                        confirmed_at=now,
                        confirmed_by=self.actor.user,
                        **titles,
                    )
                )
        Affiliation.objects.bulk_create(new_affiliations, batch_size=WRITE_BATCH)
        write_audit(
            self.actor,
            "registry.affiliation.created",
            [(item, created_changes(item, AFFILIATION.audited)) for item in new_affiliations],
        )
        for plan in plans:
            if "affiliation_change" in plan.extra:
                affiliation, titles = plan.extra["affiliation_change"]
                before = snapshot(affiliation, AFFILIATION.audited)
                for name, value in titles.items():
                    setattr(affiliation, name, value)
                affiliation.save()
                write_audit(
                    self.actor,
                    "registry.affiliation.changed",
                    [(affiliation, changed(before, snapshot(affiliation, AFFILIATION.audited)))],
                )
        refresh_search_after_commit()
        progress(len(plans), len(plans), _("Wrote %(count)d people") % {"count": len(plans)})
