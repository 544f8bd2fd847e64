"""Importing organizations and people: a dry run reports every bad row and changes nothing, an
import is all or nothing, the same file again changes nothing, and every change has its audit entry."""

from datetime import date

import pytest
from django.core.exceptions import PermissionDenied

from dari.accounts.models import AuditEntry
from dari.registry.models import Affiliation, Organization, Person
from tests.factories import ClusterFactory, OrganizationFactory, SectorFactory, UserFactory

from .helpers import csv_bytes, import_bytes, xlsx_bytes

pytestmark = pytest.mark.django_db

ORGANIZATIONS = """key,kind,name_ko,name_en,cluster,sectors,country,city_ko,city_en,aliases,is_public
thyroscope,startup,㈜타이로스코프,Thyroscope,ulsan,digital-health,KR,울산,Ulsan,타이로스코프;Thyro,yes
sb-solution,startup,㈜에스비솔루션,SB Solution,ulsan,,kr,울산,Ulsan,,예
"""


@pytest.fixture
def staff(db):
    return UserFactory(username="importer", is_staff=True)


@pytest.fixture
def world(db):
    ClusterFactory(key="ulsan")
    SectorFactory(key="digital-health")


def test_an_import_adds_the_organizations_with_their_audit_entries(staff, world):
    report = import_bytes(staff, "organizations", csv_bytes(ORGANIZATIONS))

    assert report.ok and (report.rows, report.created, report.changed, report.unchanged) == (2, 2, 0, 0)
    thyroscope = Organization.objects.get(key="thyroscope")
    assert (thyroscope.name_ko, thyroscope.name_en, thyroscope.cluster.key) == (
        "㈜타이로스코프",
        "Thyroscope",
        "ulsan",
    )
    assert thyroscope.aliases == ["타이로스코프", "Thyro"]
    assert [sector.key for sector in thyroscope.sectors.all()] == ["digital-health"]
    assert Organization.objects.get(key="sb-solution").country == "KR"
    entry = AuditEntry.objects.get(action="registry.organization.created", object_id=thyroscope.pk)
    assert entry.actor == staff and entry.changes["name_en"] == [None, "Thyroscope"]
    assert entry.changes["sectors"] == [None, [thyroscope.sectors.get().pk]]


def test_imported_rows_take_ids_never_given_before_and_their_entries_name_them(staff, world):
    # The import gives the new rows their ids itself: above the largest ever given (a deleted row's
    # id is not given again, as the database would not give it) and each audit entry names its own.
    OrganizationFactory(key="kept")
    gone = OrganizationFactory(key="gone")  # the largest id given, then deleted
    gone_id = gone.pk
    gone.delete()

    import_bytes(staff, "organizations", csv_bytes(ORGANIZATIONS))
    later = OrganizationFactory(key="later")

    imported = Organization.objects.filter(key__in=["thyroscope", "sb-solution"]).order_by("pk")
    assert min(organization.pk for organization in imported) > gone_id
    assert later.pk > max(organization.pk for organization in imported)
    for organization in imported:
        entry = AuditEntry.objects.get(action="registry.organization.created", object_id=organization.pk)
        assert entry.object_label == str(organization)
        assert entry.changes["name_en"] == [None, organization.name_en]


def test_importing_the_same_file_again_changes_nothing(staff, world):
    import_bytes(staff, "organizations", csv_bytes(ORGANIZATIONS))
    entries = AuditEntry.objects.count()
    versions = list(Organization.objects.order_by("key").values_list("version", "updated_at"))

    report = import_bytes(staff, "organizations", csv_bytes(ORGANIZATIONS))

    assert (report.created, report.changed, report.unchanged) == (0, 0, 2)
    assert AuditEntry.objects.count() == entries
    assert list(Organization.objects.order_by("key").values_list("version", "updated_at")) == versions


def test_a_changed_row_updates_its_organization_with_the_changed_fields_audited(staff, world):
    import_bytes(staff, "organizations", csv_bytes(ORGANIZATIONS))
    before = Organization.objects.get(key="thyroscope")
    sector_id = before.sectors.get().pk

    report = import_bytes(
        staff, "organizations", csv_bytes("key,kind,name_en,sectors\nthyroscope,startup,Thyroscope Inc.,\n")
    )

    assert (report.created, report.changed) == (0, 1)
    after = Organization.objects.get(key="thyroscope")
    assert after.name_en == "Thyroscope Inc." and after.name_ko == "㈜타이로스코프"  # columns left out stay
    assert after.version == before.version + 1 and after.updated_at > before.updated_at
    assert list(after.sectors.all()) == []
    entry = AuditEntry.objects.get(action="registry.organization.changed")
    assert entry.changes == {
        "name_en": ["Thyroscope", "Thyroscope Inc."],
        "sectors": [[sector_id], []],
    }


def test_a_dry_run_reports_every_bad_row_and_changes_nothing(staff, world):
    text = """key,kind,name_ko,name_en,cluster,website,is_public
good,startup,좋은,Good,ulsan,,yes
,startup,이름,Name,,,
bad-kind,spaceship,이름,Name,,,
no-name,startup,,,,,
bad-cluster,startup,,Name,mars,not a site,maybe
good,startup,좋은,Good again,,,
"""
    report = import_bytes(staff, "organizations", csv_bytes(text), dry_run=True)

    problems = [(problem.row, problem.column) for problem in report.problems]
    assert problems == [
        (3, "key"),
        (4, "kind"),
        (5, "name_en"),
        (6, "cluster"),
        (6, "website"),
        (6, "is_public"),
        (7, "key"),
    ]
    assert "spaceship" in report.problems[1].message
    assert report.problems[-1].message == "The same key is already on row 2."
    assert Organization.objects.count() == 0 and AuditEntry.objects.count() == 0


def test_the_row_report_reads_in_the_users_language(staff, world):
    from django.utils import translation

    with translation.override("ko"):
        report = import_bytes(staff, "organizations", csv_bytes("key,kind,name_en\nx,startup,\n"))
    assert report.problems[0].message == "한국어나 영어로 이름을 입력하세요."
    assert report.problem_lines()[0].endswith("name_en: 한국어나 영어로 이름을 입력하세요.")


def test_a_file_with_one_bad_row_imports_nothing(staff, world):
    text = ORGANIZATIONS + "broken,startup,,,,,,,,,\n"
    report = import_bytes(staff, "organizations", csv_bytes(text))

    assert not report.ok and [problem.row for problem in report.problems] == [4]
    assert Organization.objects.count() == 0 and AuditEntry.objects.count() == 0


def test_an_unknown_or_missing_column_is_reported_on_the_header_row(staff, world):
    report = import_bytes(staff, "organizations", csv_bytes("key,name_en,colour\nx,X,red\n"))

    assert [(problem.row, problem.column) for problem in report.problems] == [(1, "colour"), (1, "kind")]
    assert Organization.objects.count() == 0


@pytest.mark.parametrize("encoding", ["utf-8", "utf-8-sig", "cp949"])
def test_utf8_with_or_without_bom_and_cp949_read_the_same(staff, world, encoding):
    report = import_bytes(staff, "organizations", csv_bytes(ORGANIZATIONS, encoding))

    assert report.ok and report.created == 2
    assert Organization.objects.get(key="thyroscope").name_ko == "㈜타이로스코프"


def test_an_xlsx_file_imports_like_its_csv(staff, world):
    rows = [line.split(",") for line in ORGANIZATIONS.strip().splitlines()]
    report = import_bytes(staff, "organizations", xlsx_bytes(rows), "organizations.xlsx")

    assert report.ok and report.created == 2 and report.encoding == "xlsx"


def test_a_neutralised_cell_reads_back_as_it_was(staff, world):
    report = import_bytes(staff, "organizations", csv_bytes("key,kind,name_en\nplus,startup,'+Plus Bio\n"))

    assert report.ok and Organization.objects.get(key="plus").name_en == "+Plus Bio"


def test_only_staff_import_organizations_and_people(db, world):
    member = UserFactory(username="member")
    for kind in ("organizations", "people"):
        with pytest.raises(PermissionDenied):
            import_bytes(member, kind, csv_bytes(ORGANIZATIONS))
    assert Organization.objects.count() == 0


PEOPLE = """key,name_ko,name_en,email,is_public,public_listing_basis,organization,title_ko,title_en
kim-doo-gyeom,김두겸,Kim Doo-gyeom,,yes,public_role,ulsan-city,시장,Mayor
lee-private,이비공개,Lee Private,lee@example.com,no,,ulsan-city,연구원,Researcher
"""


def test_people_import_with_a_confirmed_affiliation_and_the_listing_rule(staff, world):
    city = OrganizationFactory(key="ulsan-city", kind="city_government")

    report = import_bytes(staff, "people", csv_bytes(PEOPLE))

    assert report.ok and report.created == 2
    mayor = Person.objects.get(key="kim-doo-gyeom")
    assert (mayor.is_public, mayor.public_listing_basis) == (True, "public_role")
    affiliation = Affiliation.objects.get(person=mayor)
    assert (affiliation.organization, affiliation.title_en, affiliation.is_confirmed) == (city, "Mayor", True)
    assert AuditEntry.objects.filter(action="registry.person.created").count() == 2
    assert AuditEntry.objects.filter(action="registry.affiliation.created").count() == 2
    again = import_bytes(staff, "people", csv_bytes(PEOPLE))
    assert (again.created, again.changed, again.unchanged) == (0, 0, 2)


def test_a_public_person_needs_a_listing_basis(staff, world):
    report = import_bytes(staff, "people", csv_bytes("key,name_en,is_public\nsomeone,Someone,yes\n"))

    assert [(problem.row, problem.column) for problem in report.problems] == [(2, "public_listing_basis")]
    assert Person.objects.count() == 0


def test_consent_as_the_basis_records_when_and_by_whom(staff, world):
    import_bytes(
        staff, "people", csv_bytes("key,name_en,is_public,public_listing_basis\npark,Park,yes,consent\n")
    )

    park = Person.objects.get(key="park")
    assert park.listing_consent_recorded_by == staff and park.listing_consent_at.date() >= date(2026, 1, 1)


def test_a_row_added_between_the_check_and_the_write_fails_the_whole_import(staff, world):
    from dari.core.services import Conflict

    def meanwhile(done, total, message, phase="check"):
        if phase == "write" and done == 0:  # after the check, before the write transaction
            OrganizationFactory(key="sb-solution", name_en="Someone else's")

    with pytest.raises(Conflict):
        import_bytes(staff, "organizations", csv_bytes(ORGANIZATIONS), progress=meanwhile)

    assert not Organization.objects.filter(key="thyroscope").exists()
    assert Organization.objects.get(key="sb-solution").name_en == "Someone else's"
    assert not AuditEntry.objects.filter(action="registry.organization.created").exists()


def test_a_row_changed_between_the_check_and_the_write_fails_the_whole_import(staff, world):
    from dari.core.services import Conflict

    import_bytes(staff, "organizations", csv_bytes(ORGANIZATIONS))

    def meanwhile(done, total, message, phase="check"):
        if phase == "write" and done == 0:
            organization = Organization.objects.get(key="thyroscope")
            organization.version += 1  # what another edit's save does
            organization.save()

    changed = ORGANIZATIONS.replace("Thyroscope,", "Thyroscope Inc.,").replace(
        "SB Solution", "SB Solution Co."
    )
    with pytest.raises(Conflict):
        import_bytes(staff, "organizations", csv_bytes(changed), progress=meanwhile)
    assert Organization.objects.get(key="sb-solution").name_en == "SB Solution"


def test_a_translated_name_is_imported_as_a_translation_and_an_empty_origin_keeps_it(staff, world):
    rows = "key,kind,name_ko,name_en,name_ko_origin,name_en_origin\n"
    report = import_bytes(
        staff,
        "organizations",
        csv_bytes(rows + "hz-bio,distributor,항저우 바이오,Hangzhou Bio,translation,original\n"),
    )
    organization = Organization.objects.get(key="hz-bio")
    assert report.ok and (organization.name_ko_origin, organization.name_en_origin) == (
        "translation",
        "original",
    )
    entry = AuditEntry.objects.get(action="registry.organization.created", object_id=organization.pk)
    assert entry.changes["name_ko_origin"] == [None, "translation"]

    # An empty cell (or no column) leaves the origin as it is; a word that is no origin is a bad row.
    assert (
        import_bytes(
            staff, "organizations", csv_bytes(rows + "hz-bio,distributor,항저우 바이오,Hangzhou Bio,,\n")
        ).unchanged
        == 1
    )
    bad = import_bytes(
        staff, "organizations", csv_bytes(rows + "hz-bio,distributor,x,y,machine,\n"), dry_run=True
    )
    assert [(problem.row, problem.column) for problem in bad.problems] == [(2, "name_ko_origin")]
    people = "key,name_en,name_en_origin\nli-wei,Li Wei,translation\n"
    assert import_bytes(staff, "people", csv_bytes(people)).ok
    assert Person.objects.get(key="li-wei").name_en_origin == "translation"


@pytest.mark.parametrize("threshold", [1, 1000])
def test_a_large_import_reads_the_statistics_of_the_tables_it_wrote_again_on_postgresql(
    staff, world, monkeypatch, threshold
):
    # ANALYZE after the commit once the rows written in bulk reach the threshold (2 organizations
    # and their 2 audit entries here); SQLite keeps no statistics, so it is never asked.
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    from dari.exchange.importing import engine

    monkeypatch.setattr(engine, "ANALYZE_AFTER_ROWS", threshold)
    with CaptureQueriesContext(connection) as queries:
        assert import_bytes(staff, "organizations", csv_bytes(ORGANIZATIONS)).ok
    analysed = [query["sql"] for query in queries if query["sql"].startswith("ANALYZE")]
    if connection.vendor == "postgresql" and threshold == 1:
        assert analysed == ['ANALYZE "accounts_auditentry", "registry_organization"']
    else:
        assert analysed == []
