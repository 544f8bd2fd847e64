"""Registry rows as the matching engine's profiles (``dari.engines.matching.profiles``).

Identifiers: an organization is ``"o<pk>"``, a person ``"p<pk>"``, so both can share one search
index. Everything is read in a handful of queries, whatever the number of organizations.
"""

from collections import defaultdict

from dari.engines.matching.profiles import Deal, Profile
from dari.registry.models import Affiliation, Organization, Person, Relationship, Sector

from .models import MatchingProfile


def organization_id(pk: int) -> str:
    return f"o{pk}"


def person_id(pk: int) -> str:
    return f"p{pk}"


def parse_id(value: str) -> tuple[str, int] | None:
    """``"o12"`` → ``("organization", 12)``; None for anything else."""
    kinds = {"o": "organization", "p": "person"}
    if len(value) < 2 or value[0] not in kinds or not value[1:].isdigit():
        return None
    return kinds[value[0]], int(value[1:])


def sector_tree() -> tuple[dict[int, str], dict[str, str], dict[str, tuple[str, str]], list[list[str]]]:
    """(key by pk, parent key by key, (English, Korean) label by key, synonym groups) of the taxonomy."""
    sectors = list(Sector.objects.all())
    key_of = {sector.pk: sector.key for sector in sectors}
    parents = {sector.key: key_of[sector.parent_id] for sector in sectors if sector.parent_id}
    labels = {
        sector.key: (sector.name_en or sector.key, sector.name_ko or sector.name_en) for sector in sectors
    }
    groups = [
        [term for term in [sector.name_en, sector.name_ko, *sector.synonyms_en, *sector.synonyms_ko] if term]
        for sector in sectors
    ]
    return key_of, parents, labels, groups


def with_ancestors(keys, parents: dict[str, str]) -> frozenset[str]:
    found = set()
    for key in keys:
        while key and key not in found:
            found.add(key)
            key = parents.get(key)
    return frozenset(found)


def amount(value) -> float | None:
    return float(value) if value is not None else None


def organization_profiles() -> list[Profile]:
    """Every organization as a Profile: sectors with their ancestors, its matching profile, its
    relationships (``related``) and, for investors, the deals its ``invests_in`` relationships record."""
    key_of, parents, _labels, _groups = sector_tree()
    organizations = list(Organization.objects.order_by("pk"))
    sectors_of: dict[int, set[str]] = defaultdict(set)
    for organization_pk, sector_pk in Organization.sectors.through.objects.values_list(
        "organization_id", "sector_id"
    ):
        sectors_of[organization_pk].add(key_of[sector_pk])
    matching = {profile.organization_id: profile for profile in MatchingProfile.objects.all()}
    related: dict[int, set[str]] = defaultdict(set)
    investors_of: dict[int, set[str]] = defaultdict(set)
    deals_of: dict[int, list[tuple[int, object]]] = defaultdict(list)
    for subject, kind, obj, started_on in Relationship.objects.values_list(
        "subject_id", "kind", "object_id", "started_on"
    ):
        related[subject].add(organization_id(obj))
        related[obj].add(organization_id(subject))
        if kind == Relationship.Kind.INVESTS_IN:
            investors_of[obj].add(organization_id(subject))
            deals_of[subject].append((obj, started_on))
    by_pk = {organization.pk: organization for organization in organizations}

    def deal(company_pk: int, on) -> Deal:
        company = by_pk[company_pk]
        company_profile = matching.get(company_pk)
        return Deal(
            company=organization_id(company_pk),
            on=on,
            stage=company_profile.stage if company_profile else "",
            sectors=with_ancestors(sectors_of[company_pk], parents),
            country=company.country,
            region=company.city_en,
            co_investors=frozenset(investors_of[company_pk]),
        )

    profiles = []
    for organization in organizations:
        extra = matching.get(organization.pk)
        texts_en = [organization.description_en]
        texts_ko = [organization.description_ko]
        if extra is not None:
            texts_en += [extra.needs_en, extra.thesis_en]
            texts_ko += [extra.needs_ko, extra.thesis_ko]
        profiles.append(
            Profile(
                id=organization_id(organization.pk),
                kind=organization.kind,
                name_en=organization.name_en,
                name_ko=organization.name_ko,
                text_en="\n".join(text for text in texts_en if text),
                text_ko="\n".join(text for text in texts_ko if text),
                sectors=with_ancestors(sectors_of[organization.pk], parents),
                country=organization.country,
                region=organization.city_en,
                stage=extra.stage if extra else "",
                amount_sought_usd=amount(extra.amount_sought_usd) if extra else None,
                check_min_usd=amount(extra.check_min_usd) if extra else None,
                check_max_usd=amount(extra.check_max_usd) if extra else None,
                stages_of_interest=frozenset(extra.stages_of_interest) if extra else frozenset(),
                regions_of_interest=frozenset(extra.regions_of_interest) if extra else frozenset(),
                deals=tuple(
                    deal(company, on)
                    for company, on in sorted(
                        deals_of[organization.pk], key=lambda item: (item[1] is None, item[1])
                    )
                ),
                related=frozenset(related[organization.pk]),
                extra={
                    "short_name_en": organization.short_name_en,
                    "short_name_ko": organization.short_name_ko,
                    "aliases": [name for name in organization.aliases or [] if isinstance(name, str)],
                    "city_ko": organization.city_ko,
                    "website": organization.website,
                    # For the per-process visibility masks (engine.Loaded), not for scoring.
                    "is_public": organization.is_public,
                    "cluster_id": organization.cluster_id,
                },
            )
        )
    return profiles


def person_profiles() -> list[Profile]:
    """Every person as a Profile for search: names, and their confirmed affiliations' titles as text
    (an unconfirmed one is a claim, which search must not publish), with the organization's name
    where its profile is public (a private one's name would find its people for anyone)."""
    titles: dict[int, list[tuple[str, str]]] = defaultdict(list)
    rows = Affiliation.objects.confirmed().values_list(
        "person_id",
        "title_en",
        "title_ko",
        "organization__name_en",
        "organization__name_ko",
        "organization__is_public",
    )
    for person_pk, title_en, title_ko, name_en, name_ko, is_public in rows:
        if not is_public:
            name_en = name_ko = ""
        titles[person_pk].append(
            (" ".join(filter(None, [title_en, name_en])), " ".join(filter(None, [title_ko, name_ko])))
        )
    return [
        Profile(
            id=person_id(person.pk),
            kind="person",
            name_en=person.name_en,
            name_ko=person.name_ko,
            text_en="\n".join(en for en, _ko in titles[person.pk] if en),
            text_ko="\n".join(ko for _en, ko in titles[person.pk] if ko),
        )
        for person in Person.objects.order_by("pk")
    ]
